/**
 * npm run accrual -- --org <snapshot.json> --as-of YYYY-MM-DD [--month YYYY-MM] [--bill <invoice file>]
 *                    [--csv <out.csv>] [--json]
 * The Microsoft licence charges coming for a billing month, from the CRM ledger as it stands on the
 * accrual date (core/src/accrual): per customer, subscription and charge type, with totals, and a
 * CSV finance can book. With --bill (the month's invoice reconciliation file, once it arrives) the
 * accrual is closed against it: each difference, largest first, with the ledger changes after the
 * accrual date that explain it, and what the ledger does not explain (the reconciliation's to say).
 * Exit 2 on unusable input, naming the file and why.
 */
import { writeFileSync } from 'node:fs';
import { csvText, formatIso, monthPeriod, toYmd, type Accrual, type ClosedAccrual, type Decimal } from '../core/src';
import { MappingError } from '../dataverse/src/mappers';
import { runAccrual, totalsText } from '../dataverse/src/runs';
import { asOfArg, monthArg, parseArgs, runCommand, UsageError } from './cli-args';
import { InputError, readBill, readSnapshot } from './cli-inputs';

export const ACCRUAL_USAGE = `usage: npm run accrual -- --org <snapshot.json> --as-of YYYY-MM-DD [--month YYYY-MM] [--bill <file>] [--csv <out>] [--json]
  --org <snapshot.json> the CRM snapshot (cspb-snapshot version 1)
  --as-of YYYY-MM-DD    the accrual date: the ledger's changes effective by then count (default: today, UTC)
  --month YYYY-MM       the billing month (default: the accrual date's month)
  --bill <file>         the month's invoice reconciliation file: close the accrual against it
  --csv <out>           the accrual's lines as CSV, for booking
  --json                the accrual (and its closing) as JSON, exact decimal strings`;

const money = (d: Decimal): string => d.toFixed(2);

export function accrualText(accrual: Accrual): string {
  const out = [
    `Microsoft licence charges for ${formatIso(accrual.period.start).slice(0, 7)}, from the ledger as of ${formatIso(accrual.asOf)}: ${accrual.lines.length} lines, ${totalsText(accrual.totals)}`,
  ];
  const byCustomer = new Map<string, Map<string, Decimal>>();
  const byType = new Map<string, Map<string, Decimal>>();
  for (const l of accrual.lines) {
    for (const [map, key] of [
      [byCustomer, l.customerName ?? '(no customer)'],
      [byType, l.chargeType],
    ] as const) {
      const m = map.get(key) ?? new Map<string, Decimal>();
      m.set(l.currency, (m.get(l.currency) ?? l.amount.minus(l.amount)).plus(l.amount));
      map.set(key, m);
    }
  }
  out.push('', 'By customer:');
  for (const [name, m] of [...byCustomer].sort((a, b) => (a[0] < b[0] ? -1 : 1))) out.push(`  ${name.padEnd(32)} ${totalsText(Object.fromEntries(m))}`);
  out.push('', 'By charge type:');
  for (const [type, m] of [...byType].sort((a, b) => (a[0] < b[0] ? -1 : 1))) out.push(`  ${type.padEnd(32)} ${totalsText(Object.fromEntries(m))}`);
  for (const note of accrual.notes) out.push('', `Note: ${note}`);
  return out.join('\n');
}

export function closingText(closed: ClosedAccrual, asOf: string): string {
  const out = [
    `Closed against the invoice: accrued ${totalsText(closed.accrued)}, billed ${totalsText(closed.billed)}`,
    `  explained by ledger changes after ${asOf}: ${totalsText(closed.explainedByLaterChanges)}`,
    `  not explained by the ledger: ${totalsText(closed.unexplained)}`,
    ...(Object.keys(closed.leftOut).length > 0 ? [`  Azure plan charges left out (usage, not in the ledger): ${totalsText(closed.leftOut)}`] : []),
  ];
  if (closed.lines.length > 0) {
    out.push('', 'Differences, largest first:');
    for (const l of closed.lines) out.push(`  ${l.vendorSubscriptionId} ${l.chargeType} (${l.customerName ?? '-'}): ${l.explanation}`);
  }
  return out.join('\n');
}

/** The lines finance books: one row per subscription and charge type, amounts as exact decimals. */
export function accrualCsv(accrual: Accrual): string {
  const header = ['BillingMonth', 'AccrualDate', 'CustomerName', 'CustomerId', 'SubscriptionId', 'ProductName', 'ChargeType', 'Quantity', 'Amount', 'Currency'];
  const rows = accrual.lines.map((l) => [
    formatIso(accrual.period.start).slice(0, 7),
    formatIso(accrual.asOf),
    l.customerName ?? '',
    l.customerId ?? '',
    l.vendorSubscriptionId,
    l.productName ?? '',
    l.chargeType,
    String(l.quantity),
    money(l.amount),
    l.currency,
  ]);
  // Numbers as numbers (a spreadsheet sums them); text through csvText, which defuses formulas.
  const cell = (v: string): string => (/^-?\d+(\.\d+)?$/.test(v) ? v : csvText(v));
  return [header, ...rows].map((r) => r.map(cell).join(',')).join('\r\n') + '\r\n';
}

function json(accrual: Accrual, closed: ClosedAccrual | undefined): string {
  const dec = (r: Readonly<Record<string, Decimal>>) => Object.fromEntries(Object.entries(r).map(([c, v]) => [c, v.toFixed()]));
  return JSON.stringify(
    {
      month: formatIso(accrual.period.start).slice(0, 7),
      asOf: formatIso(accrual.asOf),
      totals: dec(accrual.totals),
      notes: accrual.notes,
      lines: accrual.lines.map((l) => ({
        customerName: l.customerName ?? null,
        subscriptionId: l.vendorSubscriptionId,
        productName: l.productName ?? null,
        chargeType: l.chargeType,
        quantity: l.quantity,
        amount: l.amount.toFixed(),
        currency: l.currency,
      })),
      ...(closed
        ? {
            closing: {
              accrued: dec(closed.accrued),
              billed: dec(closed.billed),
              explainedByLaterChanges: dec(closed.explainedByLaterChanges),
              unexplained: dec(closed.unexplained),
              differences: closed.lines.map((l) => ({
                subscriptionId: l.vendorSubscriptionId,
                chargeType: l.chargeType,
                accrued: l.accrued.toFixed(),
                billed: l.billed.toFixed(),
                difference: l.difference.toFixed(),
                explanation: l.explanation,
              })),
            },
          }
        : {}),
    },
    null,
    2,
  );
}

export async function main(argv: readonly string[]): Promise<void> {
  const args = parseArgs(argv, { values: ['org', 'as-of', 'month', 'bill', 'csv'], flags: ['json'], usage: ACCRUAL_USAGE });
  const org = args.value('org');
  if (!org) throw new UsageError(`--org is required\n${ACCRUAL_USAGE}`);
  const asOf = asOfArg(args.value('as-of'));
  const monthText = args.value('month');
  const period = monthText ? monthArg(monthText, '--month') : monthPeriod(toYmd(asOf).year, toYmd(asOf).month);
  if (asOf < period.start || asOf >= period.end)
    throw new UsageError(`--as-of ${formatIso(asOf)} is not in the billing month ${formatIso(period.start).slice(0, 7)}`);
  const bill = args.value('bill');
  const billed = bill ? (await readBill(bill)).lines : undefined;
  let result;
  try {
    // The call the Dynamics accrual makes (dataverse/src/runs/accrual-run.ts).
    result = runAccrual({ rows: readSnapshot(org), period, asOf, ...(billed ? { billed } : {}) });
  } catch (error) {
    if (error instanceof MappingError) throw new InputError(`${org}: ${error.message}`);
    throw error;
  }
  const { accrual, closed } = result;
  if (args.flag('json')) {
    process.stdout.write(json(accrual, closed) + '\n');
  } else {
    console.log(accrualText(accrual));
    if (closed) console.log('\n' + closingText(closed, formatIso(asOf)));
  }
  const csv = args.value('csv');
  if (csv) {
    writeFileSync(csv, accrualCsv(accrual));
    if (!args.flag('json')) console.log(`accrual written: ${csv}`);
  }
}

if (require.main === module)
  runCommand(
    () => main(process.argv.slice(2)),
    (error) => error instanceof InputError,
  );
