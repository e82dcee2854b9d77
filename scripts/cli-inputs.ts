/**
 * What the CLI commands read, shared by them (reconcile, invoice, accrual, renewals, prices, sync):
 * the CRM snapshot, bills, invoice files, price sheets, each failing as an InputError that names
 * the file and why. A module of its own, without a command's `require.main` guard, so a command
 * bundled alone (scripts/run.js) does not start another command it reads with.
 */
import { createReadStream, existsSync, readFileSync } from 'node:fs';
import { basename } from 'node:path';
import {
  addDays,
  Decimal,
  parseDate,
  period,
  PriceBook,
  PriceBookError,
  PriceSheetReader,
  type InvoiceTotal,
  type PriceSheet,
  type PriceSheetInput,
  type RevenueLine,
} from '../core/src';
import type { ImportResult } from '../core/src/import';
import type { BillLine, RejectedRow, UsageAggregate } from '../core/src/import/types';
import type { ReconRows } from '../dataverse/src/mappers';
import { billFileOptions, importBillFile, type FileImportOptions } from './bill-file/parallel-import';
import { UsageError } from './cli-args';

/** Unusable input: the command exits 2 with this message. */
export class InputError extends Error {}

/** A JSON file (a byte-order mark, as Windows tools write, is skipped), or an InputError naming it. */
function readJson(file: string): unknown {
  if (!existsSync(file)) throw new InputError(`${file}: no such file`);
  try {
    return JSON.parse(readFileSync(file, 'utf8').replace(/^\uFEFF/, ''));
  } catch (error) {
    throw new InputError(`${file}: not valid JSON (${(error as Error).message})`);
  }
}

/** The invoices of a Partner Center invoice JSON file (one Invoice, or a collection of them), each with its totalCharges. */
export function readInvoiceJson(file: string): InvoiceTotal[] {
  const json = readJson(file);
  const items = Array.isArray((json as { items?: unknown }).items) ? ((json as { items: unknown[] }).items as unknown[]) : [json];
  return items.map((item, i) => {
    const o = (item ?? {}) as Record<string, unknown>;
    const where = `${file}: invoice ${i + 1}`;
    if (typeof o['id'] !== 'string' || o['id'] === '') throw new InputError(`${where} has no id`);
    // A JSON number: its text as JSON wrote it is the exact amount (2076.63 reads back as 2076.63).
    if (typeof o['totalCharges'] !== 'number' || !Number.isFinite(o['totalCharges']))
      throw new InputError(`${where} (${o['id']}): totalCharges ${JSON.stringify(o['totalCharges'])} is not a number`);
    return {
      invoiceId: o['id'],
      total: new Decimal(String(o['totalCharges'])),
      ...(typeof o['currencyCode'] === 'string' ? { currency: o['currencyCode'] } : {}),
      source: `Partner Center invoice JSON ${basename(file)}`,
    };
  });
}

export type BillEncoding = 'windows-1252' | 'iso-8859-1' | 'utf-8';

/** `--encoding`: one of the encodings the importer can be told; anything else is a usage error. */
export function billEncoding(value: string | undefined): BillEncoding | undefined {
  if (value === undefined) return undefined;
  const known: readonly BillEncoding[] = ['utf-8', 'windows-1252', 'iso-8859-1'];
  if (!known.includes(value.toLowerCase() as BillEncoding)) throw new UsageError(`--encoding ${value}: expected one of ${known.join(', ')}`);
  return value.toLowerCase() as BillEncoding;
}

/** What `--accept-rejected` waives: the importer refused rows, listed in the report with their money. */
export function rejectedRowsMessage(count: number, what: string): string {
  return `${count} bill row${count === 1 ? ' was' : 's were'} rejected by the importer and ${count === 1 ? 'is' : 'are'} not in ${what} (each is listed with its row, reason and money); correct the file, or pass --accept-rejected once they are accounted for`;
}

/** The snapshot's tables, checked for the format marker and the tables reconciliation needs. */
export function readSnapshot(file: string): ReconRows {
  const json = readJson(file);
  const snapshot = json as { format?: unknown; version?: unknown; tables?: Record<string, unknown> };
  if (snapshot.format !== 'cspb-snapshot' || snapshot.version !== 1)
    throw new InputError(`${file}: not a cspb-snapshot version 1 file (format: ${String(snapshot.format)}, version: ${String(snapshot.version)})`);
  const tables = snapshot.tables ?? {};
  for (const name of ['account', 'cspb_offer', 'cspb_billingcontract', 'cspb_subscription', 'cspb_subscriptionchange']) {
    if (!Array.isArray(tables[name])) throw new InputError(`${file}: tables.${name} is missing or not a list`);
  }
  return tables as unknown as ReconRows;
}

export async function readBill(
  file: string,
  encoding?: BillEncoding,
): Promise<{ lines: readonly BillLine[]; usage: readonly UsageAggregate[]; rejected: readonly RejectedRow[] }> {
  return reportBill(file, await importBillOf(file, encoding));
}

export function importBillOf(file: string, encoding?: BillEncoding, how: FileImportOptions = {}): Promise<ImportResult> {
  if (!existsSync(file)) return Promise.reject(new InputError(`${file}: no such file`));
  return importBillFile(file, billFileOptions(basename(file), encoding), how);
}

export function reportBill(
  file: string,
  result: ImportResult,
): { lines: readonly BillLine[]; usage: readonly UsageAggregate[]; rejected: readonly RejectedRow[] } {
  if (result.summary.failed) {
    const first = result.errors[0];
    throw new InputError(`${file}: ${first ? first.message : 'the file could not be read as a bill'}`);
  }
  const s = result.summary;
  for (const row of result.rejected.slice(0, 5))
    console.warn(
      `rejected: ${row.file ?? basename(file)} row ${row.row}: ${row.reason}${row.amount !== undefined ? ` (${row.amount.toFixed(2)} ${row.currency ?? ''})`.replace(' )', ')') : ''}`,
    );
  if (s.rowsRejected > 5) console.warn(`rejected: ... and ${s.rowsRejected - 5} more rows (all listed in the report)`);
  const rejectedMoney = Object.entries(s.rejectedAmounts).map(([currency, amount]) => `${amount.toFixed(2)} ${currency}`.trim());
  const unreadable = s.rejectedWithoutAmount > 0 ? `${s.rejectedWithoutAmount} without a readable amount` : '';
  console.error(
    `${basename(file)}: ${s.formatLabel}, ${s.rowsRead} rows read, ${s.rowsAccepted} accepted, ${s.rowsRejected} rejected${
      s.rowsRejected > 0 ? ` (${[...rejectedMoney, unreadable].filter(Boolean).join(', ')})` : ''
    }, ${s.lineCount} lines, total ${s.total.toFixed(2)} ${s.currencies.join('/')}`,
  );
  return { lines: result.lines, usage: result.usage, rejected: result.rejected };
}

/**
 * The lines of an invoices file (`npm run invoice -- --json`) as revenue. Every document in the
 * file counts as sent: the partner passes what it invoiced. A line that is not what that command
 * writes is an error naming the file, the document, the line and the field.
 */
export function readInvoices(file: string): RevenueLine[] {
  const json = readJson(file);
  if (!Array.isArray(json)) throw new InputError(`${file}: expected the list of invoices \`npm run invoice -- --json\` writes`);
  const types = new Set<string>(['recurring', 'prorated', 'usage', 'oneTime', 'credit', 'discount', 'commitment', 'tax']);
  const out: RevenueLine[] = [];
  json.forEach((invoice: { lines?: unknown }, i) => {
    if (!Array.isArray(invoice?.lines)) throw new InputError(`${file}: invoice ${i + 1} has no lines list`);
    invoice.lines.forEach((line: Record<string, unknown>, j) => {
      const where = `${file}: invoice ${i + 1}, line ${j + 1}`;
      if (line['subscriptionId'] === null || line['subscriptionId'] === undefined) return;
      const field = (name: string, ok: (v: unknown) => boolean) => {
        const value = line[name];
        if (!ok(value)) throw new InputError(`${where}: ${name} ${JSON.stringify(value)} is not valid`);
        return value as string;
      };
      const isDate = (v: unknown) => typeof v === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(v);
      const type = field('type', (v) => typeof v === 'string' && types.has(v)) as RevenueLine['type'];
      const amount = field('amount', (v) => typeof v === 'string' && /^-?\d+(\.\d+)?$/.test(v));
      const start = parseDate(field('serviceStart', isDate));
      const endInclusive = parseDate(field('serviceEndInclusive', isDate));
      out.push({
        subscriptionId: field('subscriptionId', (v) => typeof v === 'string' && v !== ''),
        type,
        servicePeriod: period(start, addDays(endInclusive, 1)),
        amount: new Decimal(amount),
      });
    });
  });
  return out;
}

/** A price sheet file read in streamed text (core/src/prices has no I/O); not a price list: an InputError naming file, row and column. */
export async function readPriceSheetFile(file: string): Promise<PriceSheet> {
  if (!existsSync(file)) throw new InputError(`${file}: no such file`);
  const reader = new PriceSheetReader(basename(file));
  const stream = createReadStream(file, { encoding: 'utf8', highWaterMark: 1 << 20 });
  for await (const text of stream) reader.push(text as string);
  const sheet = reader.finish();
  if (sheet.failed)
    throw new InputError(`${file}: row ${sheet.failed.row}${sheet.failed.column ? `, column ${sheet.failed.column}` : ''}: ${sheet.failed.reason}`);
  return sheet;
}

/** The sheet's prices for the reconciliation, its rejected rows said on stderr (each with row, column and value). */
export async function readPrices(file: string, market: string | undefined, warn: (line: string) => void = (l) => console.error(l)): Promise<PriceSheetInput> {
  const sheet = await readPriceSheetFile(file);
  if (sheet.rejected.length > 0) {
    warn(`warning: ${file}: ${sheet.rejected.length} of ${sheet.rowsRead} price rows not read:`);
    for (const r of sheet.rejected.slice(0, 20)) warn(`  row ${r.row}, ${r.column} ${JSON.stringify(r.value)}: ${r.reason}`);
    if (sheet.rejected.length > 20) warn(`  ... and ${sheet.rejected.length - 20} more`);
  }
  try {
    return { book: new PriceBook(sheet.rows, market), fileName: sheet.fileName };
  } catch (error) {
    if (error instanceof PriceBookError) throw new InputError(`${file}: ${error.message}${market === undefined ? ' (--market)' : ''}`);
    throw error;
  }
}
