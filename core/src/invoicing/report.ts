import { formatIso, inclusiveEnd } from '../calendar';
import { Decimal, minorUnits, type CurrencyCode } from '../money';
import { csvText, escapeHtml } from '../reconcile/report';
import type { Invoice } from './model';

/** Console, JSON, CSV and HTML views of generated invoices; pure string building. */

/** Amounts at the currency's minor units (JPY 0, USD 2, KWD 3): lines are rounded there already. */
const fmt = (d: Decimal | undefined, currency: CurrencyCode): string => (d === undefined ? '' : d.toFixed(minorUnits(currency)));
const sum = (invoices: readonly Invoice[], pick: (i: Invoice) => Decimal) => invoices.reduce((s, i) => s.plus(pick(i)), new Decimal(0));

export function invoicesSummaryTable(invoices: readonly Invoice[]): string {
  const rows = invoices.map((i) => [
    i.customerName ?? i.customerId,
    i.kind,
    String(i.lines.length),
    fmt(i.subtotal, i.currency),
    fmt(i.tax, i.currency),
    fmt(i.total, i.currency),
    i.currency,
    fmt(i.margin, i.currency),
  ]);
  const header = ['customer', 'kind', 'lines', 'subtotal', 'tax', 'total', 'ccy', 'margin'];
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c]!.length)));
  const line = (cells: string[]) => '  ' + cells.map((cell, c) => (c >= 2 && c !== 6 ? cell.padStart(widths[c]!) : cell.padEnd(widths[c]!))).join('  ');
  const currencies = [...new Set(invoices.map((i) => i.currency))];
  const totals =
    currencies.length === 1
      ? `  ${invoices.length} invoices, subtotal ${fmt(
          sum(invoices, (i) => i.subtotal),
          currencies[0]!,
        )} ${currencies[0]}, tax ${fmt(
          sum(invoices, (i) => i.tax),
          currencies[0]!,
        )}, total ${fmt(
          sum(invoices, (i) => i.total),
          currencies[0]!,
        )}, margin ${fmt(
          sum(invoices, (i) => i.margin),
          currencies[0]!,
        )}`
      : `  ${invoices.length} invoices in ${currencies.join(', ')}`;
  return [line(header), ...rows.map(line), '', totals].join('\n');
}

export function invoicesToJson(invoices: readonly Invoice[]): string {
  return JSON.stringify(
    invoices.map((i) => ({
      draftKey: i.draftKey,
      contractId: i.contractId,
      customerId: i.customerId,
      customerName: i.customerName ?? null,
      kind: i.kind,
      status: i.status,
      period: { start: formatIso(i.period.start), endInclusive: formatIso(inclusiveEnd(i.period)) },
      invoiceDate: formatIso(i.invoiceDate),
      dueDate: formatIso(i.dueDate),
      currency: i.currency,
      subtotal: i.subtotal.toFixed(),
      tax: i.tax.toFixed(),
      total: i.total.toFixed(),
      cost: i.cost.toFixed(),
      margin: i.margin.toFixed(),
      lines: i.lines.map((l) => ({
        id: l.id,
        type: l.type,
        subscriptionId: l.subscriptionId ?? null,
        description: l.description,
        serviceStart: formatIso(l.servicePeriod.start),
        serviceEndInclusive: formatIso(inclusiveEnd(l.servicePeriod)),
        quantity: l.quantity?.toFixed() ?? null,
        unitPrice: l.unitPrice?.toFixed() ?? null,
        amount: l.amount.toFixed(),
        cost: l.cost?.toFixed() ?? null,
        margin: l.margin?.toFixed() ?? null,
        explanation: l.explanation,
      })),
    })),
    null,
    2,
  );
}

const CSV_HEADER = [
  'Invoice',
  'Customer',
  'Kind',
  'Line',
  'Type',
  'Description',
  'Service start',
  'Service end',
  'Quantity',
  'Unit price',
  'Amount',
  'Cost',
  'Margin',
  'Currency',
  'Explanation',
];

/** One row per invoice line; text from CRM is made formula-safe. */
export function invoicesToCsv(invoices: readonly Invoice[]): string {
  const rows = invoices.flatMap((i) =>
    i.lines.map((l, n) =>
      [
        csvText(i.draftKey),
        csvText(i.customerName ?? i.customerId),
        i.kind,
        String(n + 1),
        l.type,
        csvText(l.description),
        formatIso(l.servicePeriod.start),
        formatIso(inclusiveEnd(l.servicePeriod)),
        l.quantity?.toFixed() ?? '',
        l.unitPrice?.toFixed() ?? '',
        fmt(l.amount, i.currency),
        fmt(l.cost, i.currency),
        fmt(l.margin, i.currency),
        i.currency,
        csvText(l.explanation),
      ].join(','),
    ),
  );
  return [CSV_HEADER.join(','), ...rows].join('\r\n') + '\r\n';
}

export function invoicesToHtml(invoices: readonly Invoice[], title: string): string {
  const cell = (text: string, numeric = false) => `<td${numeric ? ' class="n"' : ''}>${escapeHtml(text)}</td>`;
  const sections = invoices
    .map((i) => {
      const lines = i.lines
        .map(
          (l) =>
            `<tr>${cell(l.type)}${cell(l.description)}${cell(`${formatIso(l.servicePeriod.start)}..${formatIso(inclusiveEnd(l.servicePeriod))}`)}${cell(l.quantity?.toFixed() ?? '', true)}${cell(fmt(l.amount, i.currency), true)}${cell(fmt(l.margin, i.currency), true)}</tr>`,
        )
        .join('\n');
      return `<h2>${escapeHtml(i.customerName ?? i.customerId)} (${escapeHtml(i.kind)}, ${escapeHtml(i.status)})</h2>
<p>Invoice date ${formatIso(i.invoiceDate)}, due ${formatIso(i.dueDate)}. Subtotal ${fmt(i.subtotal, i.currency)} + tax ${fmt(i.tax, i.currency)} = <strong>${fmt(i.total, i.currency)} ${escapeHtml(i.currency)}</strong>; margin ${fmt(i.margin, i.currency)}.</p>
<table><tr><th>Type</th><th>Description</th><th>Service</th><th>Qty</th><th>Amount</th><th>Margin</th></tr>
${lines}
</table>`;
    })
    .join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>
<style>body{font-family:Segoe UI,Arial,sans-serif;margin:2em}table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;padding:4px 8px;text-align:left}.n{text-align:right;font-variant-numeric:tabular-nums}</style>
</head><body><h1>${escapeHtml(title)}</h1>
${sections}
</body></html>
`;
}
