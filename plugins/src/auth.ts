import { timingSafeEqual } from 'node:crypto';

/**
 * How Dataverse authenticates a webhook call (serviceendpoint.authtype): WebhookKey sends the key
 * as the `code` query parameter; HttpHeader sends the configured key/value pairs as headers;
 * HttpQueryString sends them as query parameters. Every configured pair must match; values are
 * compared in constant time.
 */
export type WebhookAuth =
  | { readonly kind: 'WebhookKey'; readonly key: string }
  | { readonly kind: 'HttpHeader'; readonly values: Readonly<Record<string, string>> }
  | { readonly kind: 'HttpQueryString'; readonly values: Readonly<Record<string, string>> };

/** Constant-time equality of two strings (the lengths leak, the contents do not). */
export function safeEqual(given: string | undefined, expected: string): boolean {
  if (given === undefined || expected === '') return false;
  const a = Buffer.from(given, 'utf8');
  const b = Buffer.from(expected, 'utf8');
  if (a.length !== b.length) {
    timingSafeEqual(b, b); // same work whatever the length
    return false;
  }
  return timingSafeEqual(a, b);
}

export interface AuthRequest {
  readonly query: URLSearchParams;
  /** Header names lower case. */
  readonly headers: Readonly<Record<string, string | undefined>>;
}

export function authenticate(auth: WebhookAuth, request: AuthRequest): boolean {
  switch (auth.kind) {
    case 'WebhookKey':
      return request.query.getAll('code').length === 1 && safeEqual(request.query.get('code') ?? undefined, auth.key);
    case 'HttpHeader': {
      const pairs = Object.entries(auth.values);
      return pairs.length > 0 && pairs.every(([name, value]) => safeEqual(request.headers[name.toLowerCase()], value));
    }
    case 'HttpQueryString': {
      const pairs = Object.entries(auth.values);
      return (
        pairs.length > 0 && pairs.every(([name, value]) => request.query.getAll(name).length === 1 && safeEqual(request.query.get(name) ?? undefined, value))
      );
    }
  }
}
