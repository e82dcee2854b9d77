/**
 * One JSON request to an accounting API through the suite's retry loop (plugins/src/http): 429 and
 * 5xx gateway answers wait for Retry-After (or back off when, as Business Central and QuickBooks
 * document, none is sent), a 401 asks for a fresh token once. The answer's status and body go back
 * to the client, which reads its API's error shape. Tokens are sent, never logged nor put in errors.
 */
import type { AccountingSystem } from '../../../core/src';
import { sendWithRetries } from '../http/send-with-retries';
import { AccountingApiError } from './types';

export interface HttpOptions {
  readonly system: AccountingSystem;
  readonly token: (fresh: boolean) => Promise<string>;
  readonly headers?: Readonly<Record<string, string>>;
  readonly maxRetries?: number;
  readonly sleep?: (ms: number) => Promise<void>;
  readonly fetch?: typeof fetch;
}

export interface JsonAnswer {
  readonly status: number;
  readonly body: unknown;
}

const RETRYABLE = new Set([429, 502, 503, 504]);

/**
 * `once`: a create. Sent again only after a 429 (throttled before it was done); a server or gateway
 * error (5xx) or no answer is not resent, as the work may have been done behind it: it is reported
 * as `network` and the caller looks for the document.
 */
export async function requestJson(
  options: HttpOptions,
  method: string,
  url: string,
  body?: unknown,
  headers: Record<string, string> = {},
  once = false,
): Promise<JsonAnswer> {
  const send = options.fetch ?? fetch;
  const outcome = await sendWithRetries({
    token: async (fresh) => {
      try {
        return await options.token(fresh);
      } catch (e) {
        throw e instanceof AccountingApiError ? e : new AccountingApiError(options.system, 'auth-failed', (e as Error).message);
      }
    },
    send: (token) =>
      send(url, {
        method,
        headers: {
          accept: 'application/json',
          authorization: `Bearer ${token}`,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          ...options.headers,
          ...headers,
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      }),
    retryable: (status) => (once ? status === 429 : RETRYABLE.has(status)),
    resendUnanswered: !once,
    maxRetries: options.maxRetries ?? 5,
    maxRetryAfterMs: 60_000,
    longerRetryAfter: 'cap',
    sleep: options.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms))),
  });
  const where = `${method} ${new URL(url).pathname}`;
  if (outcome.kind === 'network') throw new AccountingApiError(options.system, 'network', `${where}: no answer (${(outcome.error as Error).message})`);
  if (outcome.kind === 'throttled' || outcome.kind === 'too-long')
    throw new AccountingApiError(
      options.system,
      'throttled',
      `${where}: still ${outcome.status} after ${outcome.attempts} attempts; run the post again later`,
      outcome.status,
    );
  if (once && outcome.response.status >= 500) {
    await outcome.response.body?.cancel();
    throw new AccountingApiError(options.system, 'network', `${where}: answered ${outcome.response.status}; it may have been done`, outcome.response.status);
  }
  const text = await outcome.response.text();
  let parsed: unknown;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    parsed = text;
  }
  if (outcome.response.status === 401 || outcome.response.status === 403)
    throw new AccountingApiError(options.system, 'auth-failed', `${where}: refused the credentials (${outcome.response.status})`, outcome.response.status);
  return { status: outcome.response.status, body: parsed };
}
