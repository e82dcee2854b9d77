/**
 * Microsoft Graph "List subscribedSkus" for one customer tenant
 * (learn.microsoft.com/graph/api/subscribedsku-list):
 *   GET https://graph.microsoft.com/v1.0/subscribedSkus
 * with `Authorization: Bearer {token}` ("Required"). It takes only `$select` ("It does not support
 * `$filter`") and answers `{ "@odata.context", "value": subscribedSku[] }`, parsed by core
 * (core/src/sync/unassigned-seats.ts: typed, nothing skipped). Paging is not documented for it; an
 * `@odata.nextLink` is followed all the same, on Graph's own origin only (the token goes with it).
 *
 * Whose token. The call reads the *customer's* directory, so the token must be issued by the
 * customer's tenant (authority https://login.microsoftonline.com/{customer tenant id}), not the
 * partner's. What the research found (/tmp/research/pc-subscriptions.md, section 3):
 * - Permissions (the page's table): Organization.Read.All is the least privileged, delegated (work or
 *   school account) or application; Directory.Read.All and the ReadWrite ones also work. Personal
 *   Microsoft accounts are not supported.
 * - App-only (client credentials) against a customer tenant works only when the partner's app is
 *   multi-tenant and has a service principal in that tenant with Organization.Read.All granted there
 *   (admin consent in the customer tenant). GDAP does not help an app-only token: GDAP gives Entra
 *   roles to the partner's *users* (through security groups), not to apps.
 * - With GDAP, the call is delegated (app + user): a partner user in a group holding one of the roles
 *   learn.microsoft.com/partner-center/dap-api-impact lists for GetSubscribedSkus ("Directory Reader,
 *   Global Reader, User Admin, License Admin") signs in, and the token is redeemed at the customer's
 *   authority for
 *   https://graph.microsoft.com/.default (the Secure Application Model's refresh token). That sign-in
 *   happens elsewhere; such a token is handed in as it is (scripts/sync.ts: CSPB_GRAPH_CUSTOMER_TOKEN).
 *   The exact GDAP recipe is not settled by a Microsoft page the research could read: treat it as
 *   background.
 * - A token from the wrong tenant, or without the permission, is Graph's 401/403
 *   (`Authorization_RequestDenied`, "Insufficient privileges to complete the operation.").
 *
 * Failures (learn.microsoft.com/graph/throttling): 429 carries Retry-After in seconds, "wait … then
 * retry"; 503 is treated alike; both reuse dataverse/src/client/retry-after.ts. A 401 asks the token
 * function for a fresh token once (`fresh = true`); a second 401 is a refusal. Each request sends a
 * new `client-request-id` GUID, which Graph echoes and support asks for with its `request-id`.
 */
import { randomUUID } from 'node:crypto';
import { parseSubscribedSkus, SubscribedSkusParseError, type SubscribedSku } from '../../../core/src/sync/unassigned-seats';
import { sendWithRetries } from '../http/send-with-retries';

/** A token for Graph issued by the customer's tenant; `fresh` skips any cache (asked once after a 401). */
export type CustomerGraphToken = (fresh: boolean) => Promise<string>;

export const GRAPH_BASE_URL = 'https://graph.microsoft.com/v1.0';

export type GraphSkusErrorCode =
  /** No token, or 401 again with a fresh one (expired token obtained elsewhere, wrong tenant). */
  | 'auth-failed'
  /** 429/503 more times than the client retries, or a Retry-After longer than it waits. */
  | 'throttled'
  /** Any other error status (403 without Organization.Read.All in the customer tenant, 5xx). */
  | 'refused'
  /** The network failed on every try. */
  | 'network'
  /** A 200 whose body is not the documented collection (the parse problems are its cause). */
  | 'bad-response'
  /** @odata.nextLink leads off Graph's origin, repeats itself, or pages never end. */
  | 'bad-paging';

export class GraphSkusError extends Error {
  constructor(
    readonly code: GraphSkusErrorCode,
    message: string,
    /** The HTTP status of the answer, when there was one. */
    readonly status?: number,
    /** The client-request-id of the failing call, and Graph's request-id when it sent one. */
    readonly clientRequestId?: string,
    readonly requestId?: string,
    cause?: unknown,
  ) {
    super(message, cause === undefined ? undefined : { cause });
    this.name = 'GraphSkusError';
  }
}

export interface GraphSubscribedSkusOptions {
  readonly token: CustomerGraphToken;
  /** Default https://graph.microsoft.com/v1.0 (the tests' fake gives its own). */
  readonly baseUrl?: string;
  readonly fetch?: typeof fetch;
  readonly sleep?: (ms: number) => Promise<void>;
  /** Retries of one request on 429/503 or a network failure (default 6). */
  readonly maxRetries?: number;
  /** Longest Retry-After honoured; a longer one fails as throttled instead of hanging (default 120 s). */
  readonly maxRetryAfterMs?: number;
  /** Pages followed before giving up (default 50). */
  readonly maxPages?: number;
  /** Per-request timeout (default 60 s). */
  readonly timeoutMs?: number;
}

const realSleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export class GraphSubscribedSkusClient {
  private readonly baseUrl: string;
  private readonly fetchFn: typeof fetch;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(private readonly options: GraphSubscribedSkusOptions) {
    this.baseUrl = (options.baseUrl ?? GRAPH_BASE_URL).replace(/\/+$/, '');
    this.fetchFn = options.fetch ?? fetch;
    this.sleep = options.sleep ?? realSleep;
  }

  /** Every SKU the token's tenant subscribes to, all pages read and parsed. */
  async subscribedSkus(): Promise<SubscribedSku[]> {
    let url = `${this.baseUrl}/subscribedSkus`;
    const origin = new URL(this.baseUrl).origin;
    const out: SubscribedSku[] = [];
    const followed = new Set<string>([url]);
    for (let page = 1; ; page++) {
      const { text, clientRequestId, requestId } = await this.get(url);
      let parsed;
      try {
        parsed = parseSubscribedSkus(text);
      } catch (e) {
        if (!(e instanceof SubscribedSkusParseError)) throw e;
        throw new GraphSkusError('bad-response', `Page ${page} of GET ${url}: ${e.message}`, 200, clientRequestId, requestId, e);
      }
      out.push(...parsed.skus);
      if (parsed.nextLink === null) return out;
      let next: URL;
      try {
        next = new URL(parsed.nextLink, url);
      } catch {
        throw new GraphSkusError('bad-paging', `@odata.nextLink "${parsed.nextLink.slice(0, 100)}" is not a URL.`, undefined, clientRequestId, requestId);
      }
      if (next.origin !== origin)
        throw new GraphSkusError('bad-paging', `@odata.nextLink leads to ${next.origin}, not ${origin}: not followed with the token.`);
      if (followed.has(next.href)) throw new GraphSkusError('bad-paging', `@odata.nextLink repeats ${next.href}: the pages would never end.`);
      if (page >= (this.options.maxPages ?? 50)) throw new GraphSkusError('bad-paging', `More than ${page} pages of subscribedSkus: stopped.`);
      followed.add(next.href);
      url = next.href;
    }
  }

  /** One GET: a fresh token once after 401, 429/503 after Retry-After, network failures with back-off. */
  private async get(url: string): Promise<{ text: string; clientRequestId: string; requestId: string | undefined }> {
    let clientRequestId = '';
    let requestId: string | undefined;
    const limit = this.options.maxRetryAfterMs ?? 120_000;
    const outcome = await sendWithRetries({
      token: (fresh) => this.tokenOf(fresh),
      send: async (token) => {
        clientRequestId = randomUUID();
        requestId = undefined;
        const response = await this.fetchFn(url, {
          method: 'GET',
          headers: { authorization: `Bearer ${token}`, accept: 'application/json', 'client-request-id': clientRequestId },
          signal: AbortSignal.timeout(this.options.timeoutMs ?? 60_000),
        });
        requestId = response.headers.get('request-id') ?? undefined;
        return response;
      },
      retryable: (status) => status === 429 || status === 503,
      maxRetries: this.options.maxRetries ?? 6,
      maxRetryAfterMs: limit,
      longerRetryAfter: 'fail',
      sleep: this.sleep,
    });
    if (outcome.kind === 'network')
      throw new GraphSkusError(
        'network',
        `GET ${url} failed ${outcome.attempts} times: ${(outcome.error as Error).message}`,
        undefined,
        clientRequestId,
        undefined,
        outcome.error,
      );
    if (outcome.kind === 'throttled')
      throw new GraphSkusError(
        'throttled',
        `Graph answered ${outcome.status} ${outcome.attempts} times for GET ${url}.`,
        outcome.status,
        clientRequestId,
        requestId,
      );
    if (outcome.kind === 'too-long')
      throw new GraphSkusError(
        'throttled',
        `Graph asks to wait ${outcome.waitMs / 1000} s (Retry-After), longer than ${limit / 1000} s: try later.`,
        outcome.status,
        clientRequestId,
        requestId,
      );
    const response = outcome.response;
    const text = await response.text();
    if (response.status === 200) return { text, clientRequestId, requestId };
    const hint =
      response.status === 403
        ? ' (the token needs Organization.Read.All in the customer tenant: admin consent there for an app, or a GDAP role such as Directory Readers for a user)'
        : response.status === 401
          ? ' (a fresh token was refused too: a token of another tenant, or expired)'
          : '';
    throw new GraphSkusError(
      response.status === 401 ? 'auth-failed' : 'refused',
      `GET ${url} answered ${response.status}${describeGraphError(text)}${hint} (client-request-id ${clientRequestId}${requestId ? `, request-id ${requestId}` : ''})`,
      response.status,
      clientRequestId,
      requestId,
    );
  }

  private async tokenOf(fresh: boolean): Promise<string> {
    try {
      return await this.options.token(fresh);
    } catch (e) {
      if (e instanceof GraphSkusError) throw e;
      throw new GraphSkusError('auth-failed', (e as Error).message, undefined, undefined, undefined, e);
    }
  }
}

/** Graph's error body is `{ error: { code, message, innerError } }`; whatever came, a short text. */
export function describeGraphError(text: string): string {
  if (text.trim() === '') return '';
  try {
    const body = JSON.parse(text) as { error?: { code?: unknown; message?: unknown } };
    const parts = [body.error?.code, body.error?.message].filter((p) => typeof p === 'string' && p !== '');
    if (parts.length > 0) return `: ${parts.join(' ').slice(0, 300)}`;
  } catch {
    // not JSON: the text as it came
  }
  return `: ${text.slice(0, 300)}`;
}
