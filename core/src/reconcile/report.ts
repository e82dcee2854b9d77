import { formatIso } from '../calendar';
import { formatDate, formatMoney, formatPeriodText } from '../format';
import type { Decimal } from '../money';
import { ROUNDING_RULE_LABELS } from '../nce/rounding-rules';
import { ALL_CATEGORIES, CATEGORY_LABELS, isExplained } from './categories';
import type { ReconItem, ReconResult } from './model';

/**
 * Reports of a reconciliation run: a console summary, JSON, CSV and a static HTML page. Pure
 * string building; the caller writes the files.
 */

/** Machine formats (CSV, JSON) keep plain decimal text; what a person reads goes through ../format. */
const money = (d: Decimal): string => d.toFixed(2);

function pad(text: string, width: number, right = false): string {
  return right ? text.padStart(width) : text.padEnd(width);
}

/** The console summary, in the reader's locale (default en-US): amounts with their currency code, the period as a month. */
export function summaryTable(result: ReconResult, locale = 'en-US'): string {
  const t = result.totals;
  const currency = result.currency ?? '';
  const shown = (d: Decimal) => formatMoney(d, currency, locale, { code: true });
  const lines = [
    `Reconciliation ${result.billPeriod ? formatPeriodText(result.billPeriod, locale) : '(empty bill)'} ${currency}`.trim(),
    `  bill lines: ${result.billLineCount}   billed ${shown(t.billed)}   expected ${shown(t.expected)}   variance ${shown(t.variance)}   leakage ${shown(t.leakage)}   margin ${shown(t.margin)}`,
    '',
    `  ${pad('category', 36)}${pad('count', 7, true)}${pad('amount', 18, true)}`,
  ];
  for (const c of ALL_CATEGORIES) {
    const total = result.byCategory[c];
    if (total.count === 0) continue;
    lines.push(`  ${pad(CATEGORY_LABELS[c], 36)}${pad(String(total.count), 7, true)}${pad(shown(total.amount), 18, true)}`);
  }
  const open = result.items.filter((i) => !isExplained(i.category)).length;
  lines.push('', `  ${result.items.length - open} explained, ${open} to review`);
  const rejected = result.byCategory.rejectedRow.count;
  if (rejected > 0) {
    lines.push(
      `  ${rejected} bill row${rejected === 1 ? ' was' : 's were'} not read: ${shown(t.rejected)} (readable amounts) is not in this reconciliation (listed as "${CATEGORY_LABELS.rejectedRow}")`,
    );
  }
  return lines.join('\n');
}

function itemJson(item: ReconItem) {
  return {
    key: item.key,
    category: item.category,
    subscriptionId: item.subscriptionId ?? null,
    vendorSubscriptionId: item.vendorSubscriptionId ?? null,
    customerName: item.customerName ?? null,
    productName: item.productName ?? null,
    chargeType: item.chargeType ?? null,
    referenceId: item.referenceId ?? null,
    chargeStart: item.chargeStart === undefined ? null : formatIso(item.chargeStart),
    chargeEnd: item.chargeEndInclusive === undefined ? null : formatIso(item.chargeEndInclusive),
    billedQuantity: item.billedQuantity?.toFixed() ?? null,
    expectedQuantity: item.expectedQuantity?.toFixed() ?? null,
    billedAmount: item.billedAmount.toFixed(),
    expectedAmount: item.expectedAmount.toFixed(),
    variance: item.variance.toFixed(),
    margin: item.margin?.toFixed() ?? null,
    rule: item.rule ?? null,
    ruleText: item.rule ? ROUNDING_RULE_LABELS[item.rule] : null,
    explanation: item.explanation,
    billRows: [...item.billedLines.map((l) => l.row), ...item.billedUsage.map((u) => u.firstRow)],
  };
}

/** JSON with amounts as exact decimal strings (never floats) and dates as ISO dates. */
export function resultToJson(result: ReconResult): string {
  const byCategory = Object.fromEntries(ALL_CATEGORIES.map((c) => [c, { count: result.byCategory[c].count, amount: result.byCategory[c].amount.toFixed() }]));
  return JSON.stringify(
    {
      currency: result.currency,
      billPeriod: result.billPeriod ? { start: formatIso(result.billPeriod.start), end: formatIso(result.billPeriod.end) } : null,
      billLineCount: result.billLineCount,
      warnings: result.warnings,
      totals: Object.fromEntries(Object.entries(result.totals).map(([k, v]) => [k, (v as Decimal).toFixed()])),
      byCategory,
      items: result.items.map(itemJson),
    },
    null,
    2,
  );
}

/**
 * A CSV cell from text that came from a bill or CRM. Text starting with = + - @ or a control
 * character is prefixed with an apostrophe so a spreadsheet shows it instead of running it.
 */
export function csvText(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

const CSV_HEADER = [
  'Key',
  'Category',
  'Customer',
  'Vendor subscription id',
  'Product',
  'Charge type',
  'Charge start',
  'Charge end',
  'Reference id',
  'Billed quantity',
  'Expected quantity',
  'Billed',
  'Expected',
  'Variance',
  'Margin',
  'Rule',
  'Explanation',
];

export function resultToCsv(result: ReconResult): string {
  const rows = result.items.map((i) =>
    [
      csvText(i.key),
      csvText(CATEGORY_LABELS[i.category]),
      csvText(i.customerName ?? ''),
      csvText(i.vendorSubscriptionId ?? ''),
      csvText(i.productName ?? ''),
      csvText(i.chargeType ?? ''),
      i.chargeStart === undefined ? '' : formatIso(i.chargeStart),
      i.chargeEndInclusive === undefined ? '' : formatIso(i.chargeEndInclusive),
      csvText(i.referenceId ?? ''),
      i.billedQuantity?.toFixed() ?? '',
      i.expectedQuantity?.toFixed() ?? '',
      money(i.billedAmount),
      money(i.expectedAmount),
      money(i.variance),
      i.margin === undefined ? '' : money(i.margin),
      i.rule ? csvText(ROUNDING_RULE_LABELS[i.rule]) : '',
      csvText(i.explanation),
    ].join(','),
  );
  return [CSV_HEADER.join(','), ...rows].join('\r\n') + '\r\n';
}

export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

/** A self-contained page (no script, no outside resource); every value is escaped; amounts and dates in the reader's locale. */
export function resultToHtml(result: ReconResult, locale = 'en-US'): string {
  const t = result.totals;
  const money = (d: Decimal) => formatMoney(d, result.currency, locale);
  const cell = (text: string, numeric = false) => `<td${numeric ? ' class="n"' : ''}>${escapeHtml(text)}</td>`;
  const categories = ALL_CATEGORIES.filter((c) => result.byCategory[c].count > 0)
    .map((c) => `<tr>${cell(CATEGORY_LABELS[c])}${cell(String(result.byCategory[c].count), true)}${cell(money(result.byCategory[c].amount), true)}</tr>`)
    .join('\n');
  const items = result.items
    .filter((i) => !isExplained(i.category))
    .map(
      (i) =>
        `<tr>${cell(CATEGORY_LABELS[i.category])}${cell(i.customerName ?? '')}${cell(i.productName ?? i.vendorSubscriptionId ?? '')}${cell(i.chargeType ?? '')}${cell(i.chargeStart === undefined ? '' : formatDate(i.chargeStart, locale))}${cell(money(i.billedAmount), true)}${cell(money(i.expectedAmount), true)}${cell(money(i.variance), true)}${cell(`${i.explanation}${i.rule ? ` (${ROUNDING_RULE_LABELS[i.rule]})` : ''}`)}</tr>`,
    )
    .join('\n');
  const title = `Reconciliation ${result.billPeriod ? formatPeriodText(result.billPeriod, locale) : ''} ${result.currency ?? ''}`.trim();
  return `<!doctype html>
<html lang="${escapeHtml(locale.split('-')[0] ?? 'en')}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeHtml(title)}</title>
<style>body{font-family:"Segoe UI",system-ui,-apple-system,Arial,sans-serif;margin:2em;color:#323130;line-height:1.4}h1{font-size:1.6em;font-weight:600}h2{font-size:1.2em;font-weight:600;margin-top:1.5em}table{border-collapse:collapse;margin:1em 0;font-size:.95em}td,th{border-bottom:1px solid #edebe9;padding:6px 10px;text-align:left;vertical-align:top}th{background:#f3f2f1;font-weight:600}tr:nth-child(even) td{background:#faf9f8}.n{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}.warn{border-left:4px solid #a80000;padding:8px 12px;background:#fde7e9}@media print{body{margin:0}tr{break-inside:avoid}}</style>
</head><body>
<h1>${escapeHtml(title)}</h1>
<table><tr><th>Bill lines</th><th>Billed</th><th>Expected</th><th>Variance</th><th>Leakage</th><th>Margin</th><th>Rejected rows</th></tr>
<tr>${cell(String(result.billLineCount), true)}${cell(money(t.billed), true)}${cell(money(t.expected), true)}${cell(money(t.variance), true)}${cell(money(t.leakage), true)}${cell(money(t.margin), true)}${cell(`${result.byCategory.rejectedRow.count} (${money(t.rejected)})`, true)}</tr></table>
${result.byCategory.rejectedRow.count > 0 ? `<p class="warn">${escapeHtml(`${result.byCategory.rejectedRow.count} bill row(s) were not read: ${money(t.rejected)} ${result.currency ?? ''} (readable amounts) is not in this reconciliation; they are listed under "${CATEGORY_LABELS.rejectedRow}".`)}</p>` : ''}
<h2>By category</h2>
<table><tr><th>Category</th><th>Count</th><th>Amount</th></tr>
${categories}
</table>
<h2>To review</h2>
<table><tr><th>Category</th><th>Customer</th><th>Product</th><th>Charge</th><th>Start</th><th>Billed</th><th>Expected</th><th>Variance</th><th>Why</th></tr>
${items}
</table>
</body></html>
`;
}
