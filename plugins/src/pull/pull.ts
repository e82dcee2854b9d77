/**
 * A bill pulled from Microsoft Graph into Dynamics, without a file in anyone's hands:
 * export -> poll -> manifest -> each blob downloaded and gunzipped into a staging folder -> the
 * staged JSON Lines through the core importer (the same typed lines as a CSV) -> the import row and
 * its lines through the one import writer (dataverse/src/imports/write-import, which the
 * BillingImport control uses too).
 *
 * Idempotent and restartable, step by step:
 * - A billed invoice's data never changes: an import already holding its pull key (Completed), or
 *   the same invoice's file imported by hand (same invoice number and format), ends the pull before
 *   Graph is asked anything. Unbilled data changes daily: its pull key carries the
 *   manifest's eTag ("Any change in eTag indicates a new data version", the manifest resource page).
 * - `state.json` in the staging folder keeps the operation's URL and the blobs finished, so a killed
 *   pull resumes: it polls the same operation (a new export only when that one is gone), skips the
 *   finished blobs and downloads the others again whole (a gzip stream cannot resume mid-way).
 * - A manifest with another eTag than the one the staged blobs came from starts the blobs over.
 * - An import row left Writing (killed while writing lines) is finished: only the missing lines are
 *   sent, and UpsertMultiple by the line key writes no duplicate.
 * - An expired SAS (403) asks the operation for its manifest again (a fresh SAS), once per blob;
 *   refused again, the operation is forgotten and the error says so: the next pull starts a new export.
 *
 * A queued job cannot wait minutes inside one message (a function's time limit): `pullStep` polls
 * the export once and writes at most `maxLines` lines per call, and says what is left; the caller
 * keeps the operation's URL where any instance reads it (the month-end row), since the staging
 * folder is one machine's. `pullBill` runs the same steps to the end (the CLI).
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync, createReadStream } from 'node:fs';
import { join } from 'node:path';
import { BillImporter, type ImportResult } from '../../../core/src/import';
import type { DataverseClient } from '../../../dataverse/src/client/types';
import { retrieveAll } from '../../../dataverse/src/client/retrieve-all';
import {
  CspbBillingImportBillKind,
  CspbBillingImportFormat,
  CspbBillingImportImportStatus as Status,
  CspbBillingImportSource,
  CspbBillingImportTable,
  CspbBillingImportVendor,
  type CspbBillingImportRow,
} from '../../../dataverse/generated';
import { DuplicateImport, LinesRefused, writeImport } from '../../../dataverse/src/imports/write-import';
import { supersedeOlderUnbilled } from '../../../dataverse/src/imports/unbilled';
import { listJson } from '../../../dataverse/src/mappers/import-summary';
import { downloadBlob, SasRefused } from './blob-download';
import { PullError } from './errors';
import { blobUrl, type ExportRequest, type GraphBillingClient, type Manifest } from './graph-billing';

export interface PullOptions {
  readonly request: ExportRequest;
  readonly graph: GraphBillingClient;
  /** Where the import row and its lines go (the org, as the pulling app's user). */
  readonly client: DataverseClient;
  /** Staging and checkpoints; one folder per request inside it. */
  readonly stateDir: string;
  readonly onProgress?: (message: string) => void;
  /** Keep the staged JSON Lines after a successful import (default: removed). */
  readonly keepStaging?: boolean;
}

export interface PullStepOptions extends PullOptions {
  /**
   * The export operation to resume, as the caller keeps it (null: none yet). It takes the place of
   * the staging folder's, which another machine does not see.
   */
  readonly operationUrl: string | null;
  /** Lines written by this call at most; the rest by the next calls (an interrupted import resumes by line key). */
  readonly maxLines?: number;
}

/** A pull that is not finished: Microsoft still exports, or lines are left to write. */
export interface PullPending {
  readonly outcome: 'exporting' | 'writing';
  readonly pullKey: string;
  /** The operation to poll next time (keep it: the next call passes it back). */
  readonly operationUrl: string;
  /** exporting: when Graph asked to be polled again. */
  readonly retryAfterSeconds: number;
  /** writing: the import being written, its lines written so far and left. */
  readonly importId?: string;
  readonly linesWritten?: number;
  readonly linesRemaining?: number;
}

export interface PullResult {
  readonly importId: string;
  readonly pullKey: string;
  /** imported: this pull wrote the import; already-imported: an import had this data, nothing written. */
  readonly outcome: 'imported' | 'already-imported';
  readonly linesWritten: number;
  /** Lines an interrupted earlier attempt had written already. */
  readonly linesAlreadyThere: number;
  readonly blobsDownloaded: number;
  readonly blobsReused: number;
  readonly bytesDownloaded: number;
  readonly import?: ImportResult;
}

interface PullState {
  /** Only in the staging folder's copy when the caller keeps no operation (pullBill). */
  operationUrl?: string;
  eTag?: string;
  done: string[];
}

const FINISHED: ReadonlySet<number> = new Set([Status.Completed, Status.CompletedWithErrors]);

/** The request's identity: what a second pull of the same data is recognised by. */
export function requestKey(request: ExportRequest): string {
  return request.kind === 'unbilled-reconciliation'
    ? `${request.kind}:${request.billingPeriod}:${request.currencyCode.toUpperCase()}`
    : `${request.kind}:${request.invoiceId}`;
}

const SOURCE = {
  'billed-reconciliation': CspbBillingImportSource.GraphBilledReconciliation,
  'billed-usage': CspbBillingImportSource.GraphBilledUsage,
  'unbilled-reconciliation': CspbBillingImportSource.GraphUnbilledReconciliation,
} as const;

const LABEL = {
  'billed-reconciliation': 'billed invoice reconciliation',
  'billed-usage': 'billed daily rated usage',
  'unbilled-reconciliation': 'unbilled invoice reconciliation',
} as const;

/** Pulls to the end: waits for the export and writes every line (the CLI, the benchmark). */
export async function pullBill(options: PullOptions): Promise<PullResult> {
  const result = await pull(options, undefined);
  if (isPending(result)) throw new Error(`pullBill ended ${result.outcome}`); // never: it waits and writes all
  return result;
}

export const isPending = (result: PullResult | PullPending): result is PullPending => result.outcome === 'exporting' || result.outcome === 'writing';

/** One step of a pull for a queued job: one poll of the export, at most `maxLines` lines written. */
export function pullStep(options: PullStepOptions): Promise<PullResult | PullPending> {
  return pull(options, options);
}

async function pull(options: PullOptions, stepwise: PullStepOptions | undefined): Promise<PullResult | PullPending> {
  const { request, graph, client } = options;
  const say = options.onProgress ?? (() => undefined);
  const key = requestKey(request);
  const billed = request.kind !== 'unbilled-reconciliation';
  const empty = { linesWritten: 0, linesAlreadyThere: 0, blobsDownloaded: 0, blobsReused: 0, bytesDownloaded: 0 };

  if (billed) {
    // Pulled before, or imported from the file Partner Center offers for download: a second copy of
    // the invoice would be summed twice by the month's reconciliation (it covers every import of the month).
    const done = (await importWithKey(client, key)) ?? (await fileImportOf(client, request.invoiceId, FORMAT_OF[request.kind]));
    if (done && (FINISHED.has(done.cspb_importstatus) || !done.cspb_pullkey)) {
      say(`already imported as '${done.cspb_name}': nothing to pull`);
      return { importId: done.cspb_billingimportid, pullKey: key, outcome: 'already-imported', ...empty };
    }
  }

  const dir = join(options.stateDir, key.replace(/[^A-Za-z0-9._-]/g, '_'));
  mkdirSync(dir, { recursive: true });
  const statePath = join(dir, 'state.json');
  const state: PullState = existsSync(statePath) ? (JSON.parse(readFileSync(statePath, 'utf8')) as PullState) : { done: [] };
  if (stepwise) {
    if (stepwise.operationUrl) state.operationUrl = stepwise.operationUrl;
    else delete state.operationUrl;
  }
  const save = (): void => writeFileSync(statePath, JSON.stringify(state, null, 2));
  // Done with this data: the staging goes, or (kept for a look) no longer names the operation, whose
  // manifest is the snapshot it took: a later pull must start a new export, not read that one again.
  const finished = (): void => {
    if (!options.keepStaging) rmSync(dir, { recursive: true, force: true });
    else {
      delete state.operationUrl;
      save();
    }
  };

  const polled = await manifestOf(graph, request, state, save, say, stepwise !== undefined);
  if (!('manifest' in polled)) {
    say(`Microsoft is still exporting (${polled.status}): polling again in ${Math.round(polled.retryAfterMs / 1000)} s`);
    return { outcome: 'exporting', pullKey: key, operationUrl: state.operationUrl!, retryAfterSeconds: Math.max(1, Math.ceil(polled.retryAfterMs / 1000)) };
  }
  let manifest = polled.manifest;
  if (state.eTag !== undefined && manifest.eTag !== undefined && manifest.eTag !== state.eTag) {
    say(`Microsoft's data changed (eTag ${state.eTag} -> ${manifest.eTag}): downloading every blob again`);
    for (const name of state.done) rmSync(join(dir, stagedName(name)), { force: true });
    state.done = [];
  }
  state.eTag = manifest.eTag;
  save();
  const pullKey = billed ? key : `${key}:${manifest.eTag ?? manifest.id}`;
  if (!billed) {
    const done = await importWithKey(client, pullKey);
    if (done && FINISHED.has(done.cspb_importstatus)) {
      say(`this version of the data is already imported as '${done.cspb_name}'`);
      finished();
      return { importId: done.cspb_billingimportid, pullKey, outcome: 'already-imported', ...empty };
    }
  }

  // Blob names sort in partition order (part-00000, part-00001, ...): the staged text is the same every time.
  const names = [...new Set(manifest.blobs.map((b) => b.name))].sort();
  if (names.length !== manifest.blobs.length) throw new PullError('bad-manifest', 'The manifest lists a blob twice: its lines would be read twice.');
  let bytesDownloaded = 0;
  let blobsReused = 0;
  let blobsDownloaded = 0;
  for (const [i, name] of names.entries()) {
    const staged = join(dir, stagedName(name));
    if (state.done.includes(name) && existsSync(staged)) {
      blobsReused++;
      continue;
    }
    let refreshed = false;
    for (;;) {
      try {
        const blob = await downloadBlob(blobUrl(manifest, name), name, staged);
        bytesDownloaded += blob.downloadedBytes;
        break;
      } catch (e) {
        if (!(e instanceof SasRefused)) throw e;
        if (refreshed) {
          // The operation's manifest keeps an expired SAS: only a new export gives a new one.
          delete state.operationUrl;
          save();
          throw new PullError('sas-refused', `${e.message} It was refused again with the manifest asked anew: the next pull starts a new export.`, 403);
        }
        say("the manifest's SAS was refused (expired): asking Graph for the manifest again");
        refreshed = true;
        manifest = await graph.waitForManifest(state.operationUrl!);
      }
    }
    blobsDownloaded++;
    state.done.push(name);
    save();
    say(`blob ${i + 1} of ${names.length} downloaded (${name})`);
  }

  const fileName = `graph-${key.replace(/:/g, '-')}.jsonl`;
  const result = await importStaged(
    names.map((n) => join(dir, stagedName(n))),
    fileName,
  );
  if (result.summary.failed) {
    const first = result.errors[0];
    throw new PullError('graph-error', `The pulled data could not be read: ${first ? `${first.code} at row ${first.row}: ${first.message}` : 'no detail'}`);
  }
  say(`${result.summary.rowsRead} rows read, ${result.summary.rowsAccepted} accepted, ${result.summary.rowsRejected} rejected`);
  // A file of this invoice imported meanwhile (the export took minutes): that import stands.
  const byHand = billed ? await fileImportOf(client, request.invoiceId, FORMAT_OF[request.kind]) : undefined;
  if (byHand) {
    say(`'${byHand.cspb_name}' imported this invoice from its file meanwhile: nothing written`);
    finished();
    return { importId: byHand.cspb_billingimportid, pullKey, outcome: 'already-imported', ...empty, blobsDownloaded, blobsReused, bytesDownloaded };
  }
  let partial = await importWithKey(client, pullKey);
  if (partial && partial.cspb_contenthash !== result.summary.contentHash) {
    // A killed attempt wrote lines of other text (a new export orders lines as it likes): its line
    // keys carry that text's hash, so they would stay beside the new ones. Start the import over.
    say(`an interrupted import of other data is replaced ('${partial.cspb_name}')`);
    await client.delete('cspb_billingimports', partial.cspb_billingimportid);
    partial = undefined;
  }
  let importId = partial?.cspb_billingimportid;
  try {
    const written = await writeImport(
      client,
      result,
      partial?.cspb_billingimportid ?? null,
      () => undefined,
      undefined,
      (id) => (importId = id),
      {
        columns: {
          cspb_name: `Microsoft Graph ${LABEL[request.kind]} ${billed ? request.invoiceId : `${request.billingPeriod} ${request.currencyCode}`}`.slice(0, 200),
          cspb_vendor: CspbBillingImportVendor.Microsoft,
          cspb_source: SOURCE[request.kind],
          cspb_billkind: billed ? CspbBillingImportBillKind.Billed : CspbBillingImportBillKind.Unbilled,
          cspb_pullkey: pullKey.slice(0, 200),
        },
        ...(stepwise?.maxLines !== undefined ? { maxLines: stepwise.maxLines } : {}),
      },
    );
    if (written.remaining > 0) {
      say(`${written.alreadyThere + written.written} lines written, ${written.remaining} left for the next step`);
      return {
        outcome: 'writing',
        pullKey,
        operationUrl: state.operationUrl!,
        retryAfterSeconds: 0,
        importId: written.importId,
        linesWritten: written.alreadyThere + written.written,
        linesRemaining: written.remaining,
      };
    }
    if (!billed) for (const name of await supersedeOlderUnbilled(client, written.importId)) say(`'${name}' (an older version of this data) is superseded`);
    finished();
    return {
      importId: written.importId,
      pullKey,
      outcome: 'imported',
      linesWritten: written.written,
      linesAlreadyThere: written.alreadyThere,
      blobsDownloaded,
      blobsReused,
      bytesDownloaded,
      import: result,
    };
  } catch (e) {
    if (e instanceof LinesRefused && importId) {
      // Retrying cannot help: the import says so (Failed, the refused lines listed) instead of staying Writing.
      await client.update('cspb_billingimports', importId, {
        cspb_importstatus: Status.Failed,
        cspb_errors: listJson(
          e.refused.map((r) => ({ code: 'write-failed', row: r.sourceRow, reason: r.message })),
          CspbBillingImportTable.maxLengths.cspb_errors,
        ),
      });
      throw new PullError('lines-refused', e.message);
    }
    if (!(e instanceof DuplicateImport)) throw e;
    say(`the same data is already imported (${e.existingId})`);
    finished();
    return { importId: e.existingId, pullKey, outcome: 'already-imported', ...empty, blobsDownloaded, blobsReused, bytesDownloaded };
  }
}

type Polled = { readonly manifest: Manifest } | { readonly status: string; readonly retryAfterMs: number };

/**
 * The operation's manifest: the saved operation polled again when there is one, else a new export.
 * `once`: a single poll, its status when the export still runs.
 */
async function manifestOf(
  graph: GraphBillingClient,
  request: ExportRequest,
  state: PullState,
  save: () => void,
  say: (message: string) => void,
  once: boolean,
): Promise<Polled> {
  const poll = async (url: string): Promise<Polled> => (once ? graph.pollOnce(url) : { manifest: await graph.waitForManifest(url) });
  if (state.operationUrl) {
    try {
      say('resuming: polling the export started earlier');
      return await poll(state.operationUrl);
    } catch (e) {
      forgetFailed(e, state, save);
      // An operation link lives for a server-controlled time (404/410 once gone): start a new export.
      if (!(e instanceof PullError && (e.status === 404 || e.status === 410))) throw e;
      say('the earlier export is gone: starting a new one');
    }
  }
  state.operationUrl = await graph.startExport(request);
  save();
  say(`export started: ${state.operationUrl}`);
  try {
    return await poll(state.operationUrl);
  } catch (e) {
    forgetFailed(e, state, save);
    throw e;
  }
}

/** A failed operation is terminal ("Restart the operation"): the next pull starts a new export. */
function forgetFailed(e: unknown, state: PullState, save: () => void): void {
  if (e instanceof PullError && e.code === 'export-failed') {
    delete state.operationUrl;
    save();
  }
}

const FORMAT_OF = { 'billed-reconciliation': CspbBillingImportFormat.NceLicense, 'billed-usage': CspbBillingImportFormat.NceDailyUsage } as const;

/** An import of the same invoice and kind that came from a file (no pull key), finished or under way. */
async function fileImportOf(client: DataverseClient, invoiceId: string, format: number): Promise<CspbBillingImportRow | undefined> {
  const rows = await retrieveAll<CspbBillingImportRow>(client, 'cspb_billingimports', {
    select: ['cspb_name', 'cspb_importstatus', 'cspb_pullkey', 'cspb_invoicenumber'],
    filter: `cspb_invoicenumber eq '${invoiceId.replace(/'/g, "''")}' and cspb_format eq ${format}`,
  });
  // One being imported counts too: it will hold the invoice.
  return rows.find((r) => !r.cspb_pullkey && r.cspb_importstatus !== Status.Failed);
}

async function importWithKey(client: DataverseClient, key: string): Promise<CspbBillingImportRow | undefined> {
  const rows = await retrieveAll<CspbBillingImportRow>(client, 'cspb_billingimports', {
    select: ['cspb_name', 'cspb_importstatus', 'cspb_pullkey', 'cspb_contenthash'],
    filter: `cspb_pullkey eq '${key.replace(/'/g, "''")}'`,
  });
  // Dataverse compares text case-insensitively; the key is compared exactly here.
  return rows.find((r) => r.cspb_pullkey === key);
}

function stagedName(blobName: string): string {
  return `${blobName.replace(/[^A-Za-z0-9._-]/g, '_')}.jsonl`;
}

/** The staged files, in blob order, through the core importer as one JSON Lines text. */
async function importStaged(paths: readonly string[], fileName: string): Promise<ImportResult> {
  const importer = new BillImporter({
    fileName,
    jsonLines: true,
    // As the server-side import: a line printed twice is a charge billed twice, reported by reconciliation.
    detectDuplicates: false,
    createHasher: () => {
      const hash = createHash('sha256');
      return { update: (data: Uint8Array) => hash.update(data), digestHex: () => hash.digest('hex') };
    },
  });
  let last = 10; // a blob not ending in a newline must not glue its last line to the next blob's first
  for (const path of paths) {
    if (last !== 10) importer.push(new Uint8Array([10]));
    for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) {
      const bytes = chunk as Buffer;
      if (bytes.length === 0) continue;
      importer.push(bytes);
      last = bytes[bytes.length - 1]!;
    }
  }
  return importer.finish();
}
