/**
 * An OAuth 2.0 access token from a token endpoint (RFC 6749): client credentials (a Xero custom
 * connection) or a refresh token (QuickBooks Online, and Xero apps authorised by a person), with
 * the client authenticated by HTTP Basic (section 2.3.1), as both document. The token is cached
 * until a minute before `expires_in`; `fresh` asks anew (after a 401). A refresh token the answer
 * rotates is handed to `onRotated` at once: Intuit's guidance is to always keep the latest one.
 * Written here rather than through xero-node or intuit-oauth: both fix their token endpoints in code,
 * and the suite must reach only local fakes in tests. Secrets go in the request, never in an error.
 */
import type { AccountingSystem } from '../../../core/src';
import { AccountingApiError } from './types';

export type Grant =
  | { readonly kind: 'client_credentials'; readonly scope?: string }
  | { readonly kind: 'refresh_token'; readonly refreshToken: () => string; readonly onRotated: (refreshToken: string) => void };

export interface OAuthOptions {
  readonly system: AccountingSystem;
  readonly tokenUrl: string;
  readonly clientId: string;
  readonly clientSecret: string;
  readonly grant: Grant;
  readonly now?: () => number;
  readonly fetch?: typeof fetch;
}

export function oauthToken(options: OAuthOptions): (fresh: boolean) => Promise<string> {
  let cached: { token: string; until: number } | undefined;
  const now = options.now ?? Date.now;
  return async (fresh) => {
    if (!fresh && cached && now() < cached.until) return cached.token;
    const form = new URLSearchParams({ grant_type: options.grant.kind });
    if (options.grant.kind === 'client_credentials' && options.grant.scope) form.set('scope', options.grant.scope);
    if (options.grant.kind === 'refresh_token') form.set('refresh_token', options.grant.refreshToken());
    let answer: Response;
    try {
      answer = await (options.fetch ?? fetch)(options.tokenUrl, {
        method: 'POST',
        headers: {
          authorization: `Basic ${Buffer.from(`${options.clientId}:${options.clientSecret}`).toString('base64')}`,
          'content-type': 'application/x-www-form-urlencoded',
          accept: 'application/json',
        },
        body: form.toString(),
      });
    } catch (e) {
      throw new AccountingApiError(options.system, 'network', `no answer from the token endpoint ${new URL(options.tokenUrl).host} (${(e as Error).message})`);
    }
    const body = (await answer.json().catch(() => ({}))) as { access_token?: string; expires_in?: number; refresh_token?: string; error?: string };
    if (!answer.ok || !body.access_token)
      throw new AccountingApiError(
        options.system,
        'auth-failed',
        `the token endpoint ${new URL(options.tokenUrl).host} refused client ${options.clientId}: ${body.error ?? answer.status}${options.grant.kind === 'refresh_token' ? ' (a refresh token used before, or older than its lifetime, is refused: authorise the app again)' : ''}`,
        answer.status,
      );
    if (options.grant.kind === 'refresh_token' && body.refresh_token && body.refresh_token !== options.grant.refreshToken())
      options.grant.onRotated(body.refresh_token);
    cached = { token: body.access_token, until: now() + Math.max(0, (body.expires_in ?? 0) - 60) * 1000 };
    return cached.token;
  };
}
