/**
 * npm run invoice -- --org <snapshot.json> --period YYYY-MM [--bill <daily usage file>]
 *                    [--encoding windows-1252|iso-8859-1] [--accept-rejected] [--json | --csv <out> | --html <out>]
 * Generates the draft customer invoices of every billing contract for the billing period that
 * contains the month's first day, prints a summary and writes the invoices. Usage from the given
 * bills is re-billed with each contract's markup. Exits 2 on unusable input, and when the importer
 * refused usage rows (their usage is not re-billed) unless --accept-rejected.
 */
import { writeFileSync } from 'node:fs';
import { formatIso, invoicesSummaryTable, invoicesToCsv, invoicesToHtml, invoicesToJson, type UsageAggregate } from '../core/src';
import { MappingError } from '../dataverse/src/mappers';
import { runInvoices, type InvoiceRunResult } from '../dataverse/src/runs';
import { monthArg, parseArgs, runCommand, UsageError } from './cli-args';
import { billEncoding, InputError, readBill, readSnapshot, rejectedRowsMessage, type BillEncoding } from './cli-inputs';
import type { RejectedRow } from '../core/src/import/types';

export type InvoiceRun = InvoiceRunResult;

/**
 * Usage aggregates of the given bills that no invoice line carries, counted by the month they
 * belong to: usage is billed in arrears (an in-advance contract bills a month's usage with the next
 * month's invoice), and a subscription without a billing contract is not invoiced at all. Said,
 * never dropped silently (issue 19: usage of the wrong month was ignored without a word).
 */
export function unbilledUsage(
  run: InvoiceRunResult,
  usage: readonly UsageAggregate[],
  subscriptions: ReadonlyArray<{ readonly cspb_subscriptionid: string; readonly cspb_vendorsubscriptionid?: string | null }>,
): Map<string, number> {
  const crmId = new Map(subscriptions.map((s) => [(s.cspb_vendorsubscriptionid ?? s.cspb_subscriptionid).trim().toLowerCase(), s.cspb_subscriptionid]));
  const billed = new Set(
    run.invoices.flatMap((i) => i.lines.filter((l) => l.type === 'usage').map((l) => `${l.subscriptionId ?? ''}|${formatIso(l.servicePeriod.start)}`)),
  );
  const byMonth = new Map<string, number>();
  for (const u of usage) {
    if (billed.has(`${crmId.get(u.subscriptionId.trim().toLowerCase()) ?? ''}|${formatIso(u.period.start)}`)) continue;
    const month = formatIso(u.period.start).slice(0, 7);
    byMonth.set(month, (byMonth.get(month) ?? 0) + 1);
  }
  return byMonth;
}

/** The month's drafts of every contract: the same `runInvoices` call the Dynamics invoice run makes. */
export async function invoiceFiles(options: {
  org: string;
  period: string;
  bills?: readonly string[];
  encoding?: BillEncoding;
}): Promise<InvoiceRun & { rejected: readonly RejectedRow[]; unbilledUsage: ReadonlyMap<string, number> }> {
  const month = monthArg(options.period);
  const rows = readSnapshot(options.org);
  const usage: UsageAggregate[] = [];
  const rejected: RejectedRow[] = [];
  for (const bill of options.bills ?? []) {
    const read = await readBill(bill, options.encoding);
    usage.push(...read.usage);
    rejected.push(...read.rejected);
  }
  try {
    const run = runInvoices({ rows, usage, at: month.start });
    return { ...run, rejected, unbilledUsage: unbilledUsage(run, usage, rows.cspb_subscription) };
  } catch (error) {
    if (error instanceof MappingError) throw new InputError(`${options.org}: ${error.message}`);
    throw error;
  }
}

async function main(argv: readonly string[]): Promise<void> {
  const args = parseArgs(argv, {
    values: ['org', 'period', 'bill', 'csv', 'html', 'encoding'],
    flags: ['json', 'accept-rejected'],
    repeatable: ['bill'],
    usage: INVOICE_USAGE,
  });
  const org = args.value('org');
  const period = args.value('period');
  if (!org || !period) throw new UsageError(`--org and --period are required\n${INVOICE_USAGE}`);
  const run = await invoiceFiles({ org, period, bills: args.all('bill'), encoding: billEncoding(args.value('encoding')) });
  for (const [month, count] of [...run.unbilledUsage].sort()) {
    console.error(
      `note: ${count} usage line${count === 1 ? '' : 's'} of ${month} ${count === 1 ? 'is' : 'are'} in no invoice of ${period}: usage is billed in arrears (an in-advance contract bills a month's usage with the next month's invoice), and a subscription without a billing contract is not invoiced`,
    );
  }
  if (run.rejected.length > 0 && !args.flag('accept-rejected')) {
    console.error(`error: ${rejectedRowsMessage(run.rejected.length, 'the invoices (their usage is not re-billed)')}`);
    process.exitCode = 2;
  }
  if (args.flag('json')) {
    process.stdout.write(invoicesToJson(run.invoices) + '\n');
    return;
  }
  console.log(`Invoices for ${period}`);
  console.log(invoicesSummaryTable(run.invoices));
  for (const s of run.skipped) console.log(`  no invoice for contract ${s.contractId}: ${s.reason}`);
  for (const w of run.warnings) console.log(`  contract ${w.contractId}: ${w.warning}`);
  const csv = args.value('csv');
  const html = args.value('html');
  if (csv) {
    writeFileSync(csv, invoicesToCsv(run.invoices));
    console.log(`invoices written: ${csv}`);
  }
  if (html) {
    writeFileSync(html, invoicesToHtml(run.invoices, `Invoices ${period}`));
    console.log(`invoices written: ${html}`);
  }
}

const INVOICE_USAGE = `usage: npm run invoice -- --org <snapshot.json> --period YYYY-MM [options]
  --org <snapshot.json> the CRM snapshot (cspb-snapshot version 1)
  --period YYYY-MM      the month whose billing period is invoiced
  --bill <file>         a daily-usage bill whose usage is re-billed at cost + markup; repeatable
  --encoding <name>     windows-1252 or iso-8859-1 for a CSV Excel saved in a Windows code page
  --accept-rejected     exit 0 although the importer refused usage rows
  --json | --csv <out> | --html <out>   the output format
Exit codes: 0 done, 2 unusable input or rejected rows, 1 a bug.`;

if (require.main === module)
  runCommand(
    () => main(process.argv.slice(2)),
    (error) => error instanceof InputError,
  );
