/**
 * npm run reconcile -- --bill <file> [--bill <usage file>] --org <snapshot.json>
 *                      [--period YYYY-MM] [--tolerance 0.01] [--invoices <invoices.json>]...
 *                      [--encoding windows-1252|iso-8859-1] [--accept-rejected] [--price-sheet <file> [--market XX]]
 *                      [--json | --csv <out> | --html <out>]
 * Reads the vendor bill(s) with the importer and the CRM snapshot, reconciles, prints the summary
 * (three-way when customer invoices are known, the snapshot's issued invoices or --invoices files
 * from `npm run invoice -- --json`: Microsoft cost no customer line carries is revenue leakage),
 * and writes the report. Exits 2 on unusable input, saying which file and why, and also when the
 * importer refused any bill row (each is in the report with its money) unless --accept-rejected.
 */
import { writeFileSync } from 'node:fs';
import {
  Decimal,
  resultToCsv,
  resultToHtml,
  resultToJson,
  summaryTable,
  checkCompleteness,
  type CompletenessReport,
  type InvoiceTotal,
  type ReconResult,
} from '../core/src';
import type { FileImportOptions } from './bill-file/parallel-import';
import { collectGarbage } from './bill-file/collect-garbage';
import type { ImportResult } from '../core/src/import';
import type { BillLine, RejectedRow, UsageAggregate } from '../core/src/import/types';
import { issuedRevenueFromRows, MappingError } from '../dataverse/src/mappers';
import { prepareRun, runReconciliation, type PreparedRun, type ReconRunInput } from '../dataverse/src/runs';
import {
  billEncoding,
  importBillOf,
  InputError,
  readInvoiceJson,
  readInvoices,
  readPrices,
  readSnapshot,
  rejectedRowsMessage,
  reportBill,
  type BillEncoding,
} from './cli-inputs';
import { monthArg, parseArgs, runCommand, UsageError } from './cli-args';

export interface ReconcileFiles {
  readonly bills: readonly string[];
  readonly org: string;
  /** Invoices sent to customers (`npm run invoice -- --json` files), besides the snapshot's issued ones: with either, revenue leakage is assessed. */
  readonly invoices?: readonly string[];
  readonly period?: string;
  readonly tolerance?: string;
  /** The bills' text encoding when it is not UTF-8/16/32 (Excel's windows-1252). */
  readonly encoding?: BillEncoding;
  /** Microsoft's licence-based price list: stale CRM cost findings. */
  readonly priceSheet?: string;
  /** The partner's market, when the price sheet holds several. */
  readonly market?: string;
  /** Invoice totals to check the imported lines against before reconciling: "G000012345=1234.56". */
  readonly invoiceTotals?: readonly string[];
  /** Partner Center invoice JSON (Get invoice by ID, or the collection): each invoice's totalCharges is checked. */
  readonly invoiceJson?: readonly string[];
  /** Check the bill is whole (invoice totals, Azure plan charges against the daily usage) and refuse to reconcile when not. */
  readonly checkCompleteness?: boolean;
  /** Largest difference the completeness checks accept (default 0.01). */
  readonly completenessTolerance?: string;
  /** How the bill files are read (tests read small files in chunks to hold that path equal). */
  readonly fileImport?: Pick<FileImportOptions, 'parallelism' | 'minChunkedBytes'>;
}

/** The bill is not whole: nothing was reconciled; the differences are listed largest first. */
export class IncompleteBill extends InputError {
  constructor(readonly report: CompletenessReport) {
    super(
      [
        `the bill is not complete (${report.differences.length} difference${report.differences.length === 1 ? '' : 's'}, largest first); nothing was reconciled:`,
        ...report.differences.map((d) => `  ${d.difference.isNegative() ? '' : '+'}${d.difference.toFixed(2)}  ${d.explanation}`),
      ].join('\n'),
    );
  }
}

/** `--invoice-total G000012345=1234.56`, or a usage error naming it. */
function invoiceTotalArg(text: string): InvoiceTotal {
  const m = /^([A-Za-z0-9-]{1,50})=(-?\d+(?:\.\d+)?)$/.exec(text.trim());
  if (!m) throw new UsageError(`--invoice-total ${text}: expected <invoice number>=<amount>, such as G000012345=1234.56`);
  return { invoiceId: m[1]!, total: new Decimal(m[2]!), source: 'typed in' };
}

interface StartedBills {
  /** Each file's import, reported in the order given by readBills. */
  readonly imports: ReadonlyArray<Promise<ImportResult>>;
  /**
   * Every licence line of the run, as soon as the files that can hold any are read: a file read in
   * chunks is daily usage (no lines) and may still be on the worker threads. Undefined when a file
   * failed (the run then says so, in file order).
   */
  readonly lines: Promise<BillLine[] | undefined>;
  /** Whether any file is read in chunks (known before it is read). */
  readonly anyChunked: Promise<boolean>;
}

/** Starts reading the bills of a run at the same time (a licence file while threads read a usage file). */
function startBills(files: readonly string[], encoding?: BillEncoding, how: FileImportOptions = {}): StartedBills {
  const started = files.map((file) => {
    let planned: (chunked: boolean) => void = () => undefined;
    const chunked = new Promise<boolean>((resolve) => (planned = resolve));
    const result = importBillOf(file, encoding, { ...how, onPlanned: (c) => planned(c) });
    // Handled in order by readBills; without this a later file's error would count as unhandled meanwhile.
    result.then(
      () => planned(false),
      () => planned(false),
    );
    return { chunked, result };
  });
  const lines = Promise.all(started.map(async ({ chunked, result }) => ((await chunked) ? [] : (await result).lines)))
    .then((lists) => lists.flat())
    .catch(() => undefined);
  const anyChunked = Promise.all(started.map((s) => s.chunked)).then((c) => c.includes(true));
  return { imports: started.map((s) => s.result), lines, anyChunked };
}

/** The started bills, reported in the order given (the first failing file's error is the one said). */
async function readBills(
  bills: StartedBills,
  files: readonly string[],
): Promise<Array<{ lines: readonly BillLine[]; usage: readonly UsageAggregate[]; rejected: readonly RejectedRow[] }>> {
  for (const p of bills.imports) p.catch(() => undefined);
  const out = [];
  for (const [i, file] of files.entries()) out.push(reportBill(file, await (bills.imports[i] as Promise<ImportResult>)));
  return out;
}

export async function reconcileFiles(files: ReconcileFiles): Promise<ReconResult> {
  // Arguments first: a wrong month is said before any file is read.
  const billPeriod = files.period ? monthArg(files.period) : undefined;
  if (files.market !== undefined && files.priceSheet === undefined)
    throw new UsageError('--market names the market of a --price-sheet: give the price sheet too');
  const prices = files.priceSheet === undefined ? undefined : await readPrices(files.priceSheet, files.market);
  const rows = readSnapshot(files.org);
  let optionsRead: { value: Pick<ReconRunInput, 'billPeriod' | 'tolerancePerUnit' | 'revenue' | 'prices'> } | { error: unknown } | undefined;
  const bills = startBills(files.bills, files.encoding, files.fileImport);
  // The licence pass, made while worker threads may still be reading a large usage file; the run
  // uses it only if nothing it depends on changed (and any error here is said below, in order).
  const early = await bills.lines;
  let prepared: PreparedRun | undefined;
  if (early !== undefined) {
    try {
      prepared = prepareRun({ rows, lines: early, ...runOptions() });
    } catch {
      prepared = undefined;
    }
    // The licence pass's garbage, collected while threads still read a usage file.
    if (await bills.anyChunked) collectGarbage();
  }
  let lines: BillLine[] = [];
  const usage: UsageAggregate[] = [];
  const rejected: RejectedRow[] = [];
  for (const read of await readBills(bills, files.bills)) {
    lines.push(...read.lines);
    usage.push(...read.usage);
    rejected.push(...read.rejected);
  }
  // The merged chunks' garbage, collected before the findings are made.
  collectGarbage();
  // The same lines (files read in chunks hold none): the array the pass was prepared from.
  if (early !== undefined && early.length === lines.length && early.every((l, i) => l === lines[i])) lines = early;
  // A collection (GET /invoices) lists every invoice: only those the imported lines are of are checked.
  const billedInvoices = new Set(lines.map((l) => (l.invoiceNumber ?? '').trim().toUpperCase()));
  const fromJson = (files.invoiceJson ?? []).flatMap(readInvoiceJson);
  const skippedJson = fromJson.filter((i) => !billedInvoices.has(i.invoiceId.trim().toUpperCase()));
  if (skippedJson.length > 0)
    console.error(
      `warning: ${skippedJson.length} invoice(s) of the invoice JSON have no imported line and were not checked: ${skippedJson.map((i) => i.invoiceId).join(', ')}`,
    );
  const invoiceTotals = [...(files.invoiceTotals ?? []).map(invoiceTotalArg), ...fromJson.filter((i) => !skippedJson.includes(i))];
  if (files.checkCompleteness || invoiceTotals.length > 0) {
    let tolerance: Decimal | undefined;
    if (files.completenessTolerance !== undefined) {
      if (!/^\d+(\.\d+)?$/.test(files.completenessTolerance))
        throw new UsageError(`--completeness-tolerance ${files.completenessTolerance}: expected a non-negative decimal`);
      tolerance = new Decimal(files.completenessTolerance);
    }
    const report = checkCompleteness({ lines, usage, invoiceTotals, ...(tolerance ? { tolerance } : {}) });
    for (const note of report.notes) console.error(`warning: ${note}`);
    if (!report.ok) throw new IncompleteBill(report);
  }
  try {
    return runReconciliation({ rows, lines, usage, rejected, ...runOptions() }, prepared);
  } catch (error) {
    if (error instanceof MappingError) throw new InputError(`${files.org}: ${error.message}`);
    throw error;
  }

  /** The run's options, read once (the prepared pass and the run share them; an error is thrown where the run needs them). */
  function runOptions(): Pick<ReconRunInput, 'billPeriod' | 'tolerancePerUnit' | 'revenue' | 'prices'> {
    optionsRead ??= (() => {
      try {
        return { value: readRunOptions() };
      } catch (error) {
        return { error };
      }
    })();
    if ('error' in optionsRead) throw optionsRead.error;
    return optionsRead.value;
  }

  function readRunOptions(): Pick<ReconRunInput, 'billPeriod' | 'tolerancePerUnit' | 'revenue' | 'prices'> {
    let tolerancePerUnit;
    if (files.tolerance !== undefined) {
      if (!/^\d+(\.\d+)?$/.test(files.tolerance)) throw new UsageError(`--tolerance ${files.tolerance}: expected a non-negative decimal`);
      tolerancePerUnit = new Decimal(files.tolerance);
    }
    // What customers were sent: the snapshot's issued invoices (as the Dynamics run reads the org's) and any --invoices files.
    const fromSnapshot = issuedRevenueFromRows(rows.cspb_invoice ?? [], rows.cspb_invoiceline ?? []);
    const fromFiles = files.invoices?.length ? files.invoices.flatMap(readInvoices) : undefined;
    const revenue = fromSnapshot || fromFiles ? [...(fromSnapshot ?? []), ...(fromFiles ?? [])] : undefined;
    return {
      ...(billPeriod ? { billPeriod } : {}),
      ...(tolerancePerUnit ? { tolerancePerUnit } : {}),
      ...(revenue ? { revenue } : {}),
      ...(prices ? { prices } : {}),
    };
  }
}

async function main(argv: readonly string[]): Promise<void> {
  const args = parseArgs(argv, {
    values: [
      'bill',
      'org',
      'csv',
      'html',
      'period',
      'tolerance',
      'invoices',
      'encoding',
      'price-sheet',
      'market',
      'invoice-total',
      'invoice-json',
      'completeness-tolerance',
    ],
    flags: ['json', 'accept-rejected', 'check-completeness'],
    repeatable: ['bill', 'invoices', 'invoice-total', 'invoice-json'],
    usage: RECONCILE_USAGE,
  });
  const bills = args.all('bill');
  const org = args.value('org');
  if (bills.length === 0 || !org) throw new UsageError(`--bill and --org are required\n${RECONCILE_USAGE}`);
  const result = await reconcileFiles({
    bills,
    org,
    period: args.value('period'),
    tolerance: args.value('tolerance'),
    invoices: args.all('invoices'),
    encoding: billEncoding(args.value('encoding')),
    priceSheet: args.value('price-sheet'),
    market: args.value('market'),
    invoiceTotals: args.all('invoice-total'),
    invoiceJson: args.all('invoice-json'),
    checkCompleteness: args.flag('check-completeness'),
    completenessTolerance: args.value('completeness-tolerance'),
  });
  // The reports are written either way; the exit code says whether anything was left out.
  const rejected = result.byCategory.rejectedRow.count;
  if (rejected > 0 && !args.flag('accept-rejected')) {
    console.error(`error: ${rejectedRowsMessage(rejected, 'the reconciliation')}`);
    process.exitCode = 2;
  }
  // On stderr, so --json output stays one document; the period reconciled is in every report's title.
  for (const warning of result.warnings) console.error(`warning: ${warning}`);
  if (args.flag('json')) {
    process.stdout.write(resultToJson(result) + '\n');
    return;
  }
  console.log(summaryTable(result));
  const csv = args.value('csv');
  const html = args.value('html');
  if (csv) {
    writeFileSync(csv, resultToCsv(result));
    console.log(`report written: ${csv}`);
  }
  if (html) {
    writeFileSync(html, resultToHtml(result));
    console.log(`report written: ${html}`);
  }
}

const RECONCILE_USAGE = `usage: npm run reconcile -- --bill <file> [--bill <file>] --org <snapshot.json> [options]
  --bill <file>         a vendor bill (CSV, .xlsx or Partner Center JSON); give the licence and the daily-usage file
  --org <snapshot.json> the CRM snapshot (cspb-snapshot version 1)
  --period YYYY-MM      the bill's month (default: inferred from its order dates)
  --tolerance <amount>  accepted variance per unit (default 0.01)
  --invoices <file>     invoices sent to customers (npm run invoice -- --json), for revenue leakage; repeatable
  --encoding <name>     windows-1252 or iso-8859-1 for a CSV Excel saved in a Windows code page
  --price-sheet <file>  Microsoft's licence-based price list (CSV): each term's CRM cost is checked against the
                        price in force on the term's first day (stale CRM cost findings)
  --market <code>       the partner's market in a price sheet of several (US, GB, ...)
  --invoice-total <invoice>=<amount>   the invoice's total (from its PDF): checked against the imported lines
                        of that invoice before anything is reconciled; repeatable
  --invoice-json <file> Partner Center's invoice JSON (Get invoice by ID, or the collection): the same check
                        with each invoice's totalCharges
  --check-completeness  also check the Azure plan charges of the invoice file against the daily usage, per
                        subscription (implied by --invoice-total and --invoice-json)
  --completeness-tolerance <amount>   largest difference those checks accept (default 0.01)
A bill that is not complete is not reconciled: the differences are listed, largest first, and the exit code is 2.
  --accept-rejected     exit 0 although the importer refused rows (they are listed in the report)
  --json | --csv <out> | --html <out>   the report format
Exit codes: 0 done, 2 unusable input or rejected rows, 1 a bug.`;

if (require.main === module)
  runCommand(
    () => main(process.argv.slice(2)),
    (error) => error instanceof InputError,
  );
