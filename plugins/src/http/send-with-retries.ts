/**
 * The one retry loop of the suite's HTTP clients for Microsoft's APIs (Graph's billing exports and
 * subscribedSkus, Partner Center): what each API's throttling guidance asks of a client, written once.
 * - A 401 asks for a fresh token once (the token provider's `fresh`, which skips its cache), then
 *   the answer stands.
 * - A status the API names as passing (429, 503, and for Graph's gateway any 5xx) waits for its
 *   Retry-After, or an exponential back-off with jitter when it names none, up to `maxRetries`.
 * - A failed request (no answer: the network, a timeout) is retried after the back-off too, unless
 *   the caller says it must not be sent twice (`resendUnanswered: false`).
 * Each client keeps its own request ids, headers and typed errors: the loop tells it what happened.
 */
import { parseRetryAfter } from '../../../dataverse/src/client/retry-after';

export interface RetryOptions {
  /**
   * The bearer token of an attempt; `fresh`: the attempt follows a 401, skip the provider's cache.
   * Its failure is not retried here: it ends the loop as the caller's auth error.
   */
  readonly token: (fresh: boolean) => Promise<string>;
  /** Sends one attempt with that token; a throw is a failed request (no answer), retried. */
  readonly send: (token: string, attempt: number) => Promise<Response>;
  /** The statuses worth another attempt after a wait. */
  readonly retryable: (status: number) => boolean;
  readonly maxRetries: number;
  /**
   * False: a request that got no answer is not sent again (a create that may have been done: the
   * caller looks for it instead of making a second). Default true.
   */
  readonly resendUnanswered?: boolean;
  /**
   * The longest Retry-After honoured. `fail`: a longer one ends the loop (`too-long`) so a run is
   * not held for an hour; `cap`: wait this long instead.
   */
  readonly maxRetryAfterMs: number;
  readonly longerRetryAfter: 'fail' | 'cap';
  readonly sleep: (ms: number) => Promise<void>;
}

export type RetryOutcome =
  /** Any status not retried (2xx, 4xx, a 401 after a fresh token): the caller reads it. */
  | { readonly kind: 'answer'; readonly response: Response; readonly attempts: number }
  /** No answer on the last attempt. */
  | { readonly kind: 'network'; readonly error: unknown; readonly attempts: number }
  /** Still a retryable status after every attempt. */
  | { readonly kind: 'throttled'; readonly status: number; readonly attempts: number }
  /** A Retry-After longer than allowed (`longerRetryAfter: 'fail'`). */
  | { readonly kind: 'too-long'; readonly status: number; readonly waitMs: number; readonly attempts: number };

export async function sendWithRetries(o: RetryOptions): Promise<RetryOutcome> {
  let refreshed = false;
  let fresh = false;
  for (let attempt = 0; ; attempt++) {
    const askFresh = fresh;
    fresh = false; // one fresh token after a 401; the provider's cache again for the retries after it
    const token = await o.token(askFresh);
    let response: Response;
    try {
      response = await o.send(token, attempt);
    } catch (error) {
      if (attempt >= o.maxRetries || o.resendUnanswered === false) return { kind: 'network', error, attempts: attempt + 1 };
      await o.sleep(backoff(attempt));
      continue;
    }
    if (response.status === 401 && !refreshed) {
      await response.body?.cancel();
      refreshed = fresh = true;
      continue;
    }
    if (!o.retryable(response.status)) return { kind: 'answer', response, attempts: attempt + 1 };
    await response.body?.cancel();
    const wait = parseRetryAfter(response.headers.get('retry-after'));
    if (attempt >= o.maxRetries) return { kind: 'throttled', status: response.status, attempts: attempt + 1 };
    if (wait !== undefined && wait > o.maxRetryAfterMs && o.longerRetryAfter === 'fail')
      return { kind: 'too-long', status: response.status, waitMs: wait, attempts: attempt + 1 };
    await o.sleep(wait === undefined ? backoff(attempt) : Math.min(wait, o.maxRetryAfterMs));
  }
}

/** Exponential back-off with jitter, capped at a minute, when no Retry-After says how long. */
export function backoff(attempt: number): number {
  return Math.min(60_000, 1000 * 2 ** attempt) * (0.5 + Math.random() / 2);
}
