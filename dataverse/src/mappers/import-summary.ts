import { addDays, Decimal, formatIso, type ImportErrorCode, type ImportResult, type ImportSummary, type RejectedRow } from '../../../core/src';
import { CspbBillingImportEncodingKeys, CspbBillingImportFormat as Format, CspbBillingImportTable, type CspbBillingImportRow } from '../../generated';
import { MappingError } from './choice';
import { MONEY_PLACES, roundedToWebApi } from './values';

/**
 * One translation of an import result into the billing import's columns, for both writers: the
 * billing-import job (a file attached in Dynamics) and the BillingImport control (a file parsed in
 * the browser). And back: the rejected rows a reconciliation run lists as findings.
 */

export function importFormatChoice(summary: ImportSummary): Format | null {
  if (summary.source === 'json') return Format.PartnerCenterJson;
  switch (summary.format) {
    case null:
      return null;
    case 'nce-license':
      return Format.NceLicense;
    case 'nce-daily-usage':
      return Format.NceDailyUsage;
    case 'legacy-license':
      return Format.LegacyLicense;
    case 'legacy-usage':
    case 'legacy-daily-usage':
      return Format.LegacyUsage;
    default:
      return Format.DistributorProfile;
  }
}

/** The encoding an import names for its file (the importer's option), by the choice's core key. */
export function importEncoding(row: Pick<CspbBillingImportRow, 'cspb_encoding'>): 'utf-8' | 'windows-1252' | 'iso-8859-1' | undefined {
  const key = CspbBillingImportEncodingKeys.find(([, value]) => value === row.cspb_encoding)?.[0];
  // Automatic: sniffed from the bytes (UTF-8/16/32), not forced.
  return key === undefined || key === 'utf-8' ? undefined : key;
}

/** A JSON list within a memo column: halved until it fits (the count columns keep the whole number). */
export function listJson(items: readonly unknown[], maxLength: number): string {
  let keep = items.length;
  let text = JSON.stringify(items);
  while (text.length > maxLength && keep > 0) {
    keep = Math.floor(keep / 2);
    text = JSON.stringify(items.slice(0, keep));
  }
  return text;
}

interface StoredRejectedRow {
  readonly row: number;
  readonly code: ImportErrorCode;
  readonly column?: string;
  readonly value?: string;
  readonly reason: string;
  /** Exact decimal text: a JSON number would be a float. */
  readonly amount?: string;
  readonly currency?: string;
}

const MAX = CspbBillingImportTable.maxLengths;

/** What an import found, as the import row's columns (status, line count and progress are the writer's). */
export function importSummaryColumns(result: ImportResult) {
  const s = result.summary;
  const currency = s.currencies[0] ?? null;
  const rejected: StoredRejectedRow[] = result.rejected.map((r) => ({
    row: r.row,
    code: r.code,
    ...(r.column !== undefined ? { column: r.column } : {}),
    ...(r.rawValue !== undefined ? { value: r.rawValue } : {}),
    reason: r.reason,
    ...(r.amount !== undefined ? { amount: r.amount.toFixed(), ...(r.currency ? { currency: r.currency } : {}) } : {}),
  }));
  const rejectedInCurrency = currency === null ? undefined : s.rejectedAmounts[currency];
  // Partner Center's invoice JSON states the invoice's total (totalCharges): kept for the completeness
  // check. Absent otherwise, and then not written: finance may have typed it in on the import.
  const header = s.invoices.find((i) => i.id === s.invoiceNumbers[0] && i.totalCharges !== undefined);
  return {
    ...(header ? { cspb_invoicetotal: roundedToWebApi(header.totalCharges, 'cspb_invoicetotal', MONEY_PLACES) } : {}),
    cspb_format: importFormatChoice(s),
    cspb_invoicenumber: s.invoiceNumbers[0]?.slice(0, MAX.cspb_invoicenumber) ?? null,
    cspb_periodstart: s.period ? formatIso(s.period.start) : null,
    cspb_periodend: s.period ? formatIso(addDays(s.period.end, -1)) : null,
    cspb_currencycode: currency,
    cspb_totalbilled: roundedToWebApi(s.total, 'cspb_totalbilled', MONEY_PLACES),
    cspb_rowsread: s.rowsRead,
    cspb_rowsaccepted: s.rowsAccepted,
    cspb_rowsrejected: s.rowsRejected,
    cspb_rejectedamount: s.rowsRejected > 0 ? roundedToWebApi(rejectedInCurrency ?? new Decimal(0), 'cspb_rejectedamount', MONEY_PLACES) : null,
    cspb_rejectedrows: rejected.length > 0 ? listJson(rejected, MAX.cspb_rejectedrows) : null,
    // Fields, not toJSON(): a result that crossed from the control's worker holds plain objects.
    cspb_errors:
      result.errors.length > 0
        ? listJson(
            result.errors.map((e) => ({ code: e.code, row: e.row, column: e.column, rawValue: e.rawValue, reason: e.reason })),
            MAX.cspb_errors,
          )
        : null,
  };
}

/**
 * The rejected rows an import row stores, for a reconciliation run. Rows beyond the stored list
 * (the importer keeps 1,000; a very long list is halved to fit) are one more entry saying how many,
 * so the run's findings still account for every row.
 */
export function rejectedRowsFromImport(row: CspbBillingImportRow): RejectedRow[] {
  const count = row.cspb_rowsrejected ?? 0;
  if (count === 0) return [];
  const file = row.cspb_filename ?? row.cspb_name;
  let stored: StoredRejectedRow[] = [];
  if (row.cspb_rejectedrows) {
    try {
      stored = JSON.parse(row.cspb_rejectedrows) as StoredRejectedRow[];
    } catch {
      throw new MappingError(
        `billing import ${row.cspb_name}: cspb_rejectedrows is not the JSON list the import writes`,
        'cspb_rejectedrows',
        row.cspb_rejectedrows.slice(0, 200),
      );
    }
  }
  const out: RejectedRow[] = stored.map((r) => ({
    file,
    row: r.row,
    code: r.code,
    ...(r.column !== undefined ? { column: r.column } : {}),
    ...(r.value !== undefined ? { rawValue: r.value } : {}),
    reason: r.reason,
    ...(r.amount !== undefined ? { amount: new Decimal(r.amount), ...(r.currency ? { currency: r.currency } : {}) } : {}),
  }));
  if (count > out.length) {
    out.push({
      file,
      row: 0,
      code: out[0]?.code ?? 'malformed-record',
      reason: `${count - out.length} more rejected rows are not listed on the import (it keeps the first ${out.length}); the import's Rejected amount counts all of them`,
    });
  }
  return out;
}
