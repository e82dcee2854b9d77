/**
 * Partner Center REST: "Get a customer's subscriptions"
 * (learn.microsoft.com/partner-center/developer/get-all-of-a-customer-s-subscriptions):
 *   GET {baseURL}/v1/customers/{customer-tenant-id}/subscriptions
 * with `Authorization: Bearer`, `Accept: application/json`, and the REST headers page's
 * (learn.microsoft.com/partner-center/developer/headers) MS-RequestId ("If there's a timeout, the
 * retry call should include the same value … Upon receiving a response … reset for the next call")
 * and MS-CorrelationId ("reset for every call").
 *
 * Throttling (learn.microsoft.com/partner-center/developer/api-throttling-guidance): a 429 carries
 * Retry-After in seconds, "wait … then retry"; 503 is treated alike. A 401 asks the token function for
 * a fresh token once (a token expired or revoked early); a second 401 is a real refusal. The endpoint
 * is not documented as paged, but Partner Center's paged APIs all continue with `links.next` and an
 * MS-ContinuationToken header, so that is followed when present rather than silently dropping pages.
 */
import { parseInvoices, type IssuedInvoice } from '../pull/partner-center-invoices';
import { randomUUID } from 'node:crypto';
import { parsePartnerCenterSubscriptions, PartnerCenterParseError, type PcNextLink, type PcSubscription } from '../../../core/src/sync';
import { sendWithRetries } from '../http/send-with-retries';

/** Same contract as pull/graph-token.ts: `fresh` skips the token cache (asked once after a 401). */
export type PartnerCenterToken = (fresh: boolean) => Promise<string>;

export const PARTNER_CENTER_SCOPE = 'https://api.partnercenter.microsoft.com/.default';
export const PARTNER_CENTER_BASE_URL = 'https://api.partnercenter.microsoft.com/v1';

export type PartnerCenterErrorCode =
  /** No token, or 401 again with a fresh one (app not consented, wrong tenant, token audience refused). */
  | 'auth-failed'
  /** 429/503 more times than the client retries, or a Retry-After longer than it will wait. */
  | 'throttled'
  /** Any other error status (403 no relationship with the customer, 404 unknown tenant, 5xx). */
  | 'refused'
  /** The network failed on every try. */
  | 'network'
  /** A 200 whose body is not the documented collection (the parse problems are in `problems`). */
  | 'bad-response'
  /** links.next points elsewhere, repeats itself, or pages never end. */
  | 'bad-paging'
  /** The customer id is not a GUID (it goes into the URL path). */
  | 'bad-customer-id';

export class PartnerCenterError extends Error {
  constructor(
    readonly code: PartnerCenterErrorCode,
    message: string,
    /** The HTTP status of the answer, when there was one. */
    readonly status?: number,
    /** The MS-CorrelationId of the failing call: what Microsoft support asks for. */
    readonly correlationId?: string,
    cause?: unknown,
  ) {
    super(message, cause === undefined ? undefined : { cause });
    this.name = 'PartnerCenterError';
  }
}

export interface PartnerCenterClientOptions {
  readonly token: PartnerCenterToken;
  /** Default https://api.partnercenter.microsoft.com/v1 (the tests' fake gives its own). */
  readonly baseUrl?: string;
  readonly fetch?: typeof fetch;
  readonly sleep?: (ms: number) => Promise<void>;
  /** Retries of one request on 429/503 or a network failure (default 6). */
  readonly maxRetries?: number;
  /** Longest Retry-After honoured; a longer one fails as throttled instead of hanging a run (default 120 s). */
  readonly maxRetryAfterMs?: number;
  /** Pages followed before giving up (default 200). */
  readonly maxPages?: number;
  /** Per-request timeout (default 60 s). */
  readonly timeoutMs?: number;
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** The only continuation header a next link may set: the server must not choose our Authorization. */
const CONTINUATION_HEADER = 'ms-continuationtoken';
const realSleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export class PartnerCenterClient {
  private readonly baseUrl: string;
  private readonly fetchFn: typeof fetch;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(private readonly options: PartnerCenterClientOptions) {
    this.baseUrl = (options.baseUrl ?? PARTNER_CENTER_BASE_URL).replace(/\/+$/, '');
    this.fetchFn = options.fetch ?? fetch;
    this.sleep = options.sleep ?? realSleep;
  }

  /** Every subscription of the customer, all pages read and parsed (core's parser: typed, nothing skipped). */
  async customerSubscriptions(customerTenantId: string): Promise<PcSubscription[]> {
    if (!GUID.test(customerTenantId)) throw new PartnerCenterError('bad-customer-id', `The customer tenant id "${customerTenantId}" is not a GUID.`);
    const pages = await this.allPages(
      `${this.baseUrl}/customers/${customerTenantId.toLowerCase()}/subscriptions`,
      'subscriptions',
      (text, url, page, correlationId) => {
        try {
          return parsePartnerCenterSubscriptions(text);
        } catch (e) {
          if (!(e instanceof PartnerCenterParseError)) throw e;
          throw new PartnerCenterError('bad-response', `Page ${page} of ${url}: ${e.message}`, 200, correlationId, e);
        }
      },
    );
    return pages.flatMap((p) => p.subscriptions);
  }

  /** The invoices issued to the partner (GET /v1/invoices, "Get a collection of invoices"): what the month-end timer starts runs for. */
  async invoices(): Promise<{ invoices: IssuedInvoice[]; refused: string[] }> {
    // Unpaged, the documented call answers every invoice; a paged answer says links.next: followed.
    const pages = await this.allPages(`${this.baseUrl}/invoices`, 'invoices', (text, url) => parseInvoices(text, `GET ${url}`));
    return { invoices: pages.flatMap((p) => p.invoices), refused: pages.flatMap((p) => p.refused) };
  }

  /** Each page of a collection, links.next followed (with its continuation header) until a page has none. */
  private async allPages<P extends { readonly next: PcNextLink | null }>(
    first: string,
    what: string,
    read: (text: string, url: string, page: number, correlationId: string) => P,
  ): Promise<P[]> {
    let url = first;
    let headers: Record<string, string> = {};
    const pages: P[] = [];
    const followed = new Set<string>();
    for (let page = 1; ; page++) {
      const { text, correlationId } = await this.get(url, headers);
      const parsed = read(text, url, page, correlationId);
      pages.push(parsed);
      if (parsed.next === null) return pages;
      ({ url, headers } = this.nextRequest(parsed.next.uri, parsed.next.headers));
      const key = `${url} ${headers[CONTINUATION_HEADER] ?? ''}`;
      if (followed.has(key)) throw new PartnerCenterError('bad-paging', `links.next repeats ${url}: the pages would never end.`, undefined, correlationId);
      followed.add(key);
      if (page >= (this.options.maxPages ?? 200))
        throw new PartnerCenterError('bad-paging', `More than ${page} pages of ${what}: stopped.`, undefined, correlationId);
    }
  }

  /**
   * A next link's uri is relative to the versioned base ("/customers/…", no "/v1", as every documented
   * link is); an absolute one must stay on the base's origin, since the token goes with it.
   */
  private nextRequest(uri: string, linkHeaders: Readonly<Record<string, string>>): { url: string; headers: Record<string, string> } {
    const base = new URL(this.baseUrl);
    const url = /^https?:/i.test(uri) ? new URL(uri) : new URL(`${base.pathname.replace(/\/$/, '')}/${uri.replace(/^\/+/, '')}`, base.origin);
    if (url.origin !== base.origin)
      throw new PartnerCenterError('bad-paging', `links.next leads to ${url.origin}, not ${base.origin}: not followed with the token.`);
    const headers: Record<string, string> = {};
    for (const [key, value] of Object.entries(linkHeaders)) if (key.toLowerCase() === CONTINUATION_HEADER) headers[CONTINUATION_HEADER] = value;
    return { url: url.href, headers };
  }

  /** One GET: fresh token once after 401, 429/503 after Retry-After, network failures with back-off. */
  private async get(url: string, extra: Readonly<Record<string, string>>): Promise<{ text: string; correlationId: string }> {
    let requestId = randomUUID();
    let correlationId = '';
    let answered = false;
    const limit = this.options.maxRetryAfterMs ?? 120_000;
    const outcome = await sendWithRetries({
      token: (fresh) => this.tokenOf(fresh),
      send: async (token) => {
        // An answer came to the last try: this is a new request. No answer: the retry keeps the same
        // MS-RequestId, as the headers page asks.
        if (answered) requestId = randomUUID();
        correlationId = randomUUID();
        const response = await this.fetchFn(url, {
          method: 'GET',
          headers: { authorization: `Bearer ${token}`, accept: 'application/json', 'ms-requestid': requestId, 'ms-correlationid': correlationId, ...extra },
          signal: AbortSignal.timeout(this.options.timeoutMs ?? 60_000),
        });
        answered = true;
        return response;
      },
      retryable: (status) => status === 429 || status === 503,
      maxRetries: this.options.maxRetries ?? 6,
      maxRetryAfterMs: limit,
      longerRetryAfter: 'fail',
      sleep: this.sleep,
    });
    if (outcome.kind === 'network') {
      const e = outcome.error as Error;
      throw new PartnerCenterError('network', `GET ${url} failed ${outcome.attempts} times: ${e.message}`, undefined, correlationId, e);
    }
    if (outcome.kind === 'throttled')
      throw new PartnerCenterError(
        'throttled',
        `Partner Center answered ${outcome.status} ${outcome.attempts} times for GET ${url}.`,
        outcome.status,
        correlationId,
      );
    if (outcome.kind === 'too-long')
      throw new PartnerCenterError(
        'throttled',
        `Partner Center asks to wait ${outcome.waitMs / 1000} s (Retry-After), longer than ${limit / 1000} s: try later.`,
        outcome.status,
        correlationId,
      );
    const response = outcome.response;
    const text = await response.text();
    if (response.status === 200) return { text, correlationId };
    throw new PartnerCenterError(
      response.status === 401 ? 'auth-failed' : 'refused',
      `GET ${url} answered ${response.status}${describeError(text)} (MS-CorrelationId ${correlationId})`,
      response.status,
      correlationId,
    );
  }

  private async tokenOf(fresh: boolean): Promise<string> {
    try {
      return await this.options.token(fresh);
    } catch (e) {
      if (e instanceof PartnerCenterError) throw e;
      throw new PartnerCenterError('auth-failed', (e as Error).message, undefined, undefined, e);
    }
  }
}

/**
 * Partner Center's error body is `{code, description, data, source}` (REST error codes page); the 429
 * body is `{statusCode, message}`; an expired-token 401 has been seen empty. Whatever came, a short text.
 */
function describeError(text: string): string {
  if (text.trim() === '') return '';
  try {
    const body = JSON.parse(text) as { code?: unknown; description?: unknown; message?: unknown };
    const parts = [body.code, body.description ?? body.message].filter((p) => typeof p === 'string' || typeof p === 'number');
    if (parts.length > 0) return `: ${parts.join(' ').slice(0, 300)}`;
  } catch {
    // not JSON: the text as it came
  }
  return `: ${text.slice(0, 300)}`;
}
