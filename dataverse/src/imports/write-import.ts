/**
 * Writing a parsed import through a Dataverse client: content-hash check first, then the lines
 * through the bulk writer (UpsertMultiple by the line key, parallelism from x-ms-dop-hint, 429 and
 * 503 retried after Retry-After), the same writer the server-side import uses. One writer for every
 * path that parses outside the org: the BillingImport control (in the browser) and the pull from
 * Microsoft Graph (scripts/pull, the month-end timer).
 */
import type { BillLine, ImportResult, UsageAggregate } from '../../../core/src/import';
import { CspbBillingImportImportStatus, CspbBillingImportTable, type CspbBillingImportWrite } from '../../generated/cspb_billingimport';
import { CspbBillingLineTable, type CspbBillingLineWrite } from '../../generated/cspb_billingline';
import { billLineToRow } from '../mappers/bill-lines';
import { importFormatChoice, importSummaryColumns } from '../mappers/import-summary';
import type { DataverseClient, EntityRecord } from '../client/types';
import { retrieveAll } from '../client/retrieve-all';
import { bindingCurrencies } from '../client/currency-binding';
import { writeBulk } from '../bulk/bulk-writer';

/** Lines per UpsertMultiple request (Microsoft advises up to 1,000 for standard tables; smaller shows progress sooner). */
export const BATCH_SIZE = 500;
/** Page size when reading the keys of lines an interrupted import already wrote. */
export const KEY_PAGE_SIZE = 5000;

const IMPORTS = CspbBillingImportTable.entitySetName;
const LINES = CspbBillingLineTable.entitySetName;

export class ImportCancelled extends Error {
  constructor() {
    super('Import cancelled');
  }
}

export interface CancelToken {
  readonly cancelled: boolean;
}

export class DuplicateImport extends Error {
  constructor(readonly existingId: string) {
    super(`This file was already imported (billing import ${existingId}).`);
  }
}

/** Lines Dataverse refused for a reason that is not transient: each named, none dropped silently. */
export class LinesRefused extends Error {
  constructor(readonly refused: ReadonlyArray<{ readonly sourceRow: unknown; readonly message: string }>) {
    super(
      `${refused.length} billing line(s) were refused: ${refused
        .slice(0, 3)
        .map((r) => `row ${String(r.sourceRow)}: ${r.message}`)
        .join('; ')}${refused.length > 3 ? '; ...' : ''}`,
    );
  }
}

/**
 * The write body of a bill line: the same mapper the import plugin uses, so a line gets the same
 * natural key, column sizes and rounding whichever path imported the file.
 */
export function lineBody(item: BillLine | UsageAggregate, importId: string, hash: string): CspbBillingLineWrite {
  return billLineToRow(item, importId, hash) as CspbBillingLineWrite;
}

/**
 * The import that pulled this file's invoice from Microsoft Graph (same invoice number and format):
 * a pull holds the whole invoice, so the file would be a second copy the month's reconciliation sums
 * twice. (Two files of one invoice are fine: a bill may come split; only a pull is known whole.)
 */
export async function pulledImportOf(client: DataverseClient, result: ImportResult): Promise<string | undefined> {
  const invoice = result.summary.invoiceNumbers[0];
  const format = importFormatChoice(result.summary);
  if (!invoice || format === null) return undefined;
  const rows = await retrieveAll<Record<string, unknown>>(client, IMPORTS, {
    select: ['cspb_billingimportid', 'cspb_pullkey'],
    filter: `cspb_invoicenumber eq '${invoice.replace(/'/g, "''")}' and cspb_format eq ${format} and cspb_pullkey ne null and cspb_importstatus ne ${CspbBillingImportImportStatus.Failed}`,
  });
  return rows.map((r) => String(r['cspb_billingimportid']))[0];
}

/** The natural keys of the lines an import already has (an earlier attempt cancelled or failed part-way), every page followed. */
export async function existingLineKeys(client: DataverseClient, importId: string): Promise<Set<string>> {
  const rows = await retrieveAll<Record<string, unknown>>(client, LINES, {
    select: ['cspb_linekey'],
    filter: `_cspb_importid_value eq ${importId}`,
    pageSize: KEY_PAGE_SIZE,
  });
  return new Set(rows.flatMap((e) => (typeof e['cspb_linekey'] === 'string' ? [e['cspb_linekey']] : [])));
}

/**
 * Refuses a file whose content hash another import already has; writes the summary on the import
 * (creating it when the form's record is new), then the lines. On an import record that already has
 * lines of this file (an attempt cancelled or failed part-way) only the missing lines are sent, and
 * UpsertMultiple by the line key makes even a resent line no duplicate.
 */
export async function writeImport(
  org: DataverseClient,
  result: ImportResult,
  currentImportId: string | null,
  onProgress: (done: number, total: number) => void,
  token: CancelToken = { cancelled: false },
  /** Told the import's id as soon as it exists (a new form's record is created here): a retry passes it back as currentImportId. */
  onImportId: (id: string) => void = () => undefined,
  options: {
    readonly batchSize?: number;
    /** Columns of the import row beyond the parse's (a pull's source and pull key, its name). */
    readonly columns?: Partial<CspbBillingImportWrite>;
    /**
     * Write at most this many of the missing lines and leave the import Writing (a queued job's
     * share of one message); the next call with the import's id writes the next ones.
     */
    readonly maxLines?: number;
  } = {},
): Promise<{ importId: string; written: number; alreadyThere: number; remaining: number }> {
  // The import and its lines are in the bill's currency, not the user's (see currency-binding.ts).
  const client = bindingCurrencies(org);
  const hash = result.summary.contentHash;
  const existing = await client.retrieveMultiple<Record<string, unknown>>(IMPORTS, {
    select: ['cspb_billingimportid'],
    filter: `cspb_contenthash eq '${hash}'`,
  });
  const other = existing.value.map((e) => String(e['cspb_billingimportid'])).find((id) => id !== currentImportId);
  if (other) throw new DuplicateImport(other);
  if (!options.columns?.cspb_pullkey) {
    const pulled = await pulledImportOf(client, result);
    if (pulled && pulled !== currentImportId) throw new DuplicateImport(pulled);
  }
  const s = result.summary;
  // The same columns the server-side import writes (one mapper), then this writer's status.
  const header: CspbBillingImportWrite = {
    ...importSummaryColumns(result),
    cspb_filename: s.fileName ?? null,
    cspb_contenthash: hash,
    cspb_importstatus: CspbBillingImportImportStatus.Writing,
    ...options.columns,
  };
  let importId = currentImportId;
  if (importId) await client.update(IMPORTS, importId, header as EntityRecord);
  else importId = await client.create(IMPORTS, { cspb_name: s.fileName ?? hash.slice(0, 12), ...header } as EntityRecord);
  onImportId(importId);
  const keysThere = currentImportId ? await existingLineKeys(client, importId) : new Set<string>();
  const bodies = [...result.lines, ...result.usage].map((item) => lineBody(item, importId!, hash));
  const allMissing = keysThere.size === 0 ? bodies : bodies.filter((b) => !keysThere.has(b.cspb_linekey as string));
  const missing = options.maxLines !== undefined && allMissing.length > options.maxLines ? allMissing.slice(0, options.maxLines) : allMissing;
  const remaining = allMissing.length - missing.length;
  const alreadyThere = bodies.length - allMissing.length;
  onProgress(alreadyThere, bodies.length);
  if (token.cancelled) throw new ImportCancelled();
  // The bulk writer stops taking chunks when told; a cancel checked at each progress report.
  const stop = new AbortController();
  const outcome = await writeBulk(client, missing as EntityRecord[], {
    entitySet: LINES,
    keyColumns: CspbBillingLineTable.keys.cspb_key_linekey,
    batchSize: options.batchSize ?? BATCH_SIZE,
    signal: stop.signal,
    onProgress: (p) => {
      onProgress(alreadyThere + p.rowsWritten, bodies.length);
      if (token.cancelled) stop.abort();
    },
  });
  if (outcome.errors.length) throw new LinesRefused(outcome.errors.map((e) => ({ sourceRow: missing[e.index]?.cspb_sourcerow, message: e.error.message })));
  if (outcome.aborted || token.cancelled) throw new ImportCancelled();
  if (remaining > 0) return { importId, written: outcome.rowsWritten, alreadyThere, remaining };
  const status = result.errors.length || s.rowsRejected > 0 ? CspbBillingImportImportStatus.CompletedWithErrors : CspbBillingImportImportStatus.Completed;
  await client.update(IMPORTS, importId, { cspb_importstatus: status, cspb_linecount: alreadyThere + outcome.rowsWritten });
  return { importId, written: outcome.rowsWritten, alreadyThere, remaining: 0 };
}
