/**
 * Microsoft Graph's partner billing reconciliation exports, as documented (v1.0):
 * - POST /reports/partners/billing/reconciliation/billed/export {invoiceId, attributeSet}
 *   ("billedReconciliation: export", learn.microsoft.com/graph/api/partners-billing-billedreconciliation-export)
 * - POST /reports/partners/billing/usage/billed/export {invoiceId, attributeSet}
 *   ("billedUsage: export", .../partners-billing-billedusage-export)
 * - POST /reports/partners/billing/reconciliation/unbilled/export {billingPeriod, currencyCode, attributeSet}
 *   ("unbilledReconciliation: export", .../partners-billing-unbilledreconciliation-export)
 * each answering 202 Accepted with a Location header: the operation to poll
 * (GET /reports/partners/billing/operations/{id}, "Get operation", .../partners-billing-operation-get),
 * which answers 200 with a runningOperation (status notStarted or running, a Retry-After header
 * saying when to ask again), a failedOperation (error {code, message}) or an exportSuccessOperation
 * whose resourceLocation is the manifest: inline, or as a `resourceLocation@odata.navigationLink`
 * to GET /reports/partners/billing/manifests/{id} (the docs' example shows the link; clients in the
 * field read it inline, so both are accepted).
 *
 * Every request carries the app's token; a 401 asks for a fresh token once; 429 and 503 wait for
 * Retry-After (Graph's throttling guidance, learn.microsoft.com/graph/throttling) up to maxRetries.
 */
import { parseRetryAfter } from '../../../dataverse/src/client/retry-after';
import { sendWithRetries } from '../http/send-with-retries';
import { PullError } from './errors';
import type { GraphToken } from './graph-token';

export type ExportKind = 'billed-reconciliation' | 'billed-usage' | 'unbilled-reconciliation';

export type ExportRequest =
  | { readonly kind: 'billed-reconciliation' | 'billed-usage'; readonly invoiceId: string }
  | { readonly kind: 'unbilled-reconciliation'; readonly billingPeriod: 'current' | 'last'; readonly currencyCode: string };

/** The manifest resource (learn.microsoft.com/graph/api/resources/partners-billing-manifest). */
export interface Manifest {
  readonly id: string;
  readonly schemaVersion?: string;
  readonly dataFormat?: string;
  readonly createdDateTime?: string;
  /** Version of the data: a new eTag is new data. */
  readonly eTag?: string;
  readonly partnerTenantId?: string;
  readonly rootDirectory: string;
  /** A directory SAS, without the leading "?". */
  readonly sasToken: string;
  readonly partitionType?: string;
  readonly blobCount?: number;
  readonly blobs: ReadonlyArray<{ readonly name: string; readonly partitionValue?: string }>;
}

export interface GraphBillingOptions {
  readonly token: GraphToken;
  /** Default https://graph.microsoft.com/v1.0 */
  readonly baseUrl?: string;
  readonly fetch?: typeof fetch;
  readonly sleep?: (ms: number) => Promise<void>;
  /** Retries of one request on 429/503 (default 8). */
  readonly maxRetries?: number;
  /** Wait between polls when the operation sends no Retry-After (default 10 s, the Partner Center docs' example). */
  readonly pollIntervalMs?: number;
  /** Give up on an operation still running after this long (default 30 min; exports take minutes). */
  readonly maxWaitMs?: number;
  /** Told each poll's status (progress for the CLI and the month-end run). */
  readonly onPoll?: (status: string) => void;
}

const PATHS: Record<ExportKind, string> = {
  'billed-reconciliation': '/reports/partners/billing/reconciliation/billed/export',
  'billed-usage': '/reports/partners/billing/usage/billed/export',
  'unbilled-reconciliation': '/reports/partners/billing/reconciliation/unbilled/export',
};

const realSleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export class GraphBillingClient {
  private readonly baseUrl: string;
  private readonly fetchFn: typeof fetch;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(private readonly options: GraphBillingOptions) {
    this.baseUrl = (options.baseUrl ?? 'https://graph.microsoft.com/v1.0').replace(/\/$/, '');
    this.fetchFn = options.fetch ?? fetch;
    this.sleep = options.sleep ?? realSleep;
  }

  /** Starts an export; returns the operation's URL (the Location header). */
  async startExport(request: ExportRequest): Promise<string> {
    const body =
      request.kind === 'unbilled-reconciliation'
        ? { billingPeriod: request.billingPeriod, currencyCode: request.currencyCode, attributeSet: 'full' }
        : { invoiceId: request.invoiceId, attributeSet: 'full' };
    const response = await this.send('POST', `${this.baseUrl}${PATHS[request.kind]}`, body);
    if (response.status !== 202) throw new PullError('graph-error', `The export answered ${response.status}, not 202 Accepted.`, response.status);
    const location = response.headers.get('location');
    if (!location) throw new PullError('graph-error', 'The export answered 202 without a Location header.', 202);
    return new URL(location, this.baseUrl).href;
  }

  /** Polls the operation until it succeeds (its manifest) or fails (PullError export-failed). */
  async waitForManifest(operationUrl: string): Promise<Manifest> {
    const started = Date.now();
    const maxWait = this.options.maxWaitMs ?? 30 * 60_000;
    for (;;) {
      const polled = await this.pollOnce(operationUrl);
      if ('manifest' in polled) return polled.manifest;
      if (Date.now() - started > maxWait) throw new PullError('export-timeout', `The export was still ${polled.status} after ${Math.round(maxWait / 1000)} s.`);
      await this.sleep(polled.retryAfterMs);
    }
  }

  /**
   * One poll of the operation: its manifest once it succeeded, else its status and when to ask
   * again (its Retry-After, capped). A failed operation is a PullError export-failed. A queued job
   * polls once per message instead of waiting inside a function's time limit.
   */
  async pollOnce(operationUrl: string): Promise<{ readonly manifest: Manifest } | { readonly status: string; readonly retryAfterMs: number }> {
    const response = await this.send('GET', operationUrl);
    if (response.status !== 200) throw new PullError('graph-error', `The operation answered ${response.status}.`, response.status);
    const operation = (await response.json()) as Record<string, unknown>;
    const status = String(operation['status'] ?? '');
    this.options.onPoll?.(status);
    if (status === 'succeeded' || status === 'completed') return { manifest: await this.manifestOf(operation) };
    if (status === 'failed') {
      const error = (operation['error'] ?? {}) as { code?: unknown; message?: unknown };
      throw new PullError(
        'export-failed',
        `Microsoft's export failed: ${String(error.message ?? 'no message')} (code ${String(error.code ?? 'none')}).`,
        undefined,
        error.code === undefined ? undefined : String(error.code),
      );
    }
    if (status !== 'running' && status !== 'notStarted')
      throw new PullError('graph-error', `The operation's status "${status}" is none of notStarted, running, succeeded, failed.`);
    return { status, retryAfterMs: capped(parseRetryAfter(response.headers.get('retry-after')) ?? this.options.pollIntervalMs ?? 10_000) };
  }

  private async manifestOf(operation: Record<string, unknown>): Promise<Manifest> {
    let manifest = operation['resourceLocation'];
    const link = operation['resourceLocation@odata.navigationLink'];
    if ((manifest === undefined || manifest === null) && typeof link === 'string') {
      const response = await this.send('GET', new URL(link, this.baseUrl).href);
      if (response.status !== 200) throw new PullError('graph-error', `The manifest answered ${response.status}.`, response.status);
      manifest = await response.json();
    }
    return checkManifest(manifest);
  }

  /** One request: the token attached, a fresh token once after 401, 429 and 5xx retried after Retry-After. */
  private async send(method: 'GET' | 'POST', url: string, body?: unknown): Promise<Response> {
    const outcome = await sendWithRetries({
      token: this.options.token,
      send: async (token) =>
        this.fetchFn(url, {
          method,
          headers: {
            authorization: `Bearer ${token}`,
            accept: 'application/json',
            ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          },
          ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        }),
      // 429 and 503 as Graph's throttling guidance says; 500, 502 and 504 are the gateway's passing failures.
      retryable: (status) => status === 429 || status >= 500,
      maxRetries: this.options.maxRetries ?? 8,
      // A pull waits, it does not hang: Retry-After may name an hour.
      maxRetryAfterMs: MAX_WAIT_MS,
      longerRetryAfter: 'cap',
      sleep: this.sleep,
    });
    if (outcome.kind === 'network') throw new PullError('graph-error', `${method} ${url} failed: ${(outcome.error as Error).message}`);
    if (outcome.kind !== 'answer')
      throw new PullError('throttled', `Graph answered ${outcome.status} ${outcome.attempts} times for ${method} ${url}.`, outcome.status);
    const response = outcome.response;
    if (response.status >= 400) {
      const text = await response.text();
      let message = text.slice(0, 300);
      try {
        const error = (JSON.parse(text) as { error?: { code?: string; message?: string } }).error;
        if (error) message = `${error.code ?? ''}: ${error.message ?? ''}`;
      } catch {
        // not JSON: the text as it came
      }
      throw new PullError(response.status === 401 ? 'auth-failed' : 'graph-error', `${method} ${url} answered ${response.status} ${message}`, response.status);
    }
    return response;
  }
}

/** The longest wait honoured (Retry-After may name an hour): a pull waits, it does not hang. */
const MAX_WAIT_MS = 120_000;
const capped = (ms: number): number => Math.min(ms, MAX_WAIT_MS);

function checkManifest(value: unknown): Manifest {
  const m = value as Partial<Manifest> | null;
  const blobsOk = Array.isArray(m?.blobs) && m.blobs.every((b) => typeof b?.name === 'string' && b.name !== '');
  if (!m || typeof m.rootDirectory !== 'string' || typeof m.sasToken !== 'string' || !blobsOk)
    throw new PullError('bad-manifest', `The export's manifest lacks rootDirectory, sasToken or blobs: ${JSON.stringify(value).slice(0, 300)}`);
  return { ...m, id: String(m.id ?? ''), rootDirectory: m.rootDirectory, sasToken: m.sasToken, blobs: m.blobs! };
}

/** The documented blob address: {rootDirectory}/{blob name}?{sasToken} (the SAS has no leading "?"). */
export function blobUrl(manifest: Manifest, name: string): string {
  return `${manifest.rootDirectory.replace(/\/$/, '')}/${name}?${manifest.sasToken.replace(/^\?/, '')}`;
}
