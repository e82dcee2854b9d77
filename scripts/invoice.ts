/**
 * npm run invoice -- --org <snapshot.json> --period YYYY-MM [--bill <daily usage file>]
 *                    [--encoding windows-1252|iso-8859-1] [--accept-rejected] [--json | --csv <out> | --html <out>]
 * Generates the draft customer invoices of every billing contract for the billing period that
 * contains the month's first day, prints a summary and writes the invoices. Usage from the given
 * bills is re-billed with each contract's markup. Exits 2 on unusable input, and when the importer
 * refused usage rows (their usage is not re-billed) unless --accept-rejected.
 */
import { writeFileSync } from 'node:fs';
import { invoicesSummaryTable, invoicesToCsv, invoicesToHtml, invoicesToJson, monthPeriod, type UsageAggregate } from '../core/src';
import { MappingError } from '../dataverse/src/mappers';
import { runInvoices, type InvoiceRunResult } from '../dataverse/src/runs';
import { parseArgs, UsageError } from './cli-args';
import { billEncoding, InputError, readBill, readSnapshot, rejectedRowsMessage, type BillEncoding } from './reconcile';
import type { RejectedRow } from '../core/src/import/types';

export type InvoiceRun = InvoiceRunResult;

/** The month's drafts of every contract: the same `runInvoices` call the Dynamics invoice run makes. */
export async function invoiceFiles(options: {
  org: string;
  period: string;
  bills?: readonly string[];
  encoding?: BillEncoding;
}): Promise<InvoiceRun & { rejected: readonly RejectedRow[] }> {
  const match = /^(\d{4})-(\d{2})$/.exec(options.period);
  if (!match) throw new UsageError(`--period ${options.period}: expected YYYY-MM`);
  const month = monthPeriod(Number(match[1]), Number(match[2]));
  const rows = readSnapshot(options.org);
  const usage: UsageAggregate[] = [];
  const rejected: RejectedRow[] = [];
  for (const bill of options.bills ?? []) {
    const read = await readBill(bill, options.encoding);
    usage.push(...read.usage);
    rejected.push(...read.rejected);
  }
  try {
    return { ...runInvoices({ rows, usage, at: month.start }), rejected };
  } catch (error) {
    if (error instanceof MappingError) throw new InputError(`${options.org}: ${error.message}`);
    throw error;
  }
}

async function main(argv: readonly string[]): Promise<void> {
  const args = parseArgs(argv, { values: ['org', 'period', 'bill', 'csv', 'html', 'encoding'], flags: ['json', 'accept-rejected'], repeatable: ['bill'] });
  const org = args.value('org');
  const period = args.value('period');
  if (!org || !period)
    throw new UsageError(
      'usage: npm run invoice -- --org <snapshot.json> --period YYYY-MM [--bill <usage file>] [--encoding windows-1252|iso-8859-1] [--accept-rejected] [--json | --csv <out> | --html <out>]',
    );
  const run = await invoiceFiles({ org, period, bills: args.all('bill'), encoding: billEncoding(args.value('encoding')) });
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

if (require.main === module) {
  main(process.argv.slice(2)).catch((error: unknown) => {
    if (error instanceof InputError || error instanceof UsageError) {
      console.error(`error: ${error.message}`);
      process.exit(2);
    }
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
