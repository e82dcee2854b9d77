import { retryDelay } from '../../dataverse/src/bulk/retry';
import { parseRetryAfter } from '../../dataverse/src/client/retry-after';
import { DataverseError } from '../../dataverse/src/client/types';
import type { TokenProvider } from './auth';

export const API_PATH = '/api/data/v9.2/';

export class WebApiError extends Error {
  constructor(
    readonly status: number,
    readonly method: string,
    readonly path: string,
    message: string,
  ) {
    super(`${method} ${path} failed with ${status}: ${message}`);
  }
}

export type FetchLike = (
  url: string,
  init: { method: string; headers: Record<string, string>; body?: string },
) => Promise<{
  status: number;
  headers: { get(name: string): string | null };
  text(): Promise<string>;
}>;

/** A thin Dataverse Web API client: JSON in and out, OData headers, 429 honoured with Retry-After. */
export class WebApi {
  constructor(
    private readonly orgUrl: string,
    private readonly token: TokenProvider,
    private readonly fetchImpl: FetchLike = fetch as unknown as FetchLike,
    private readonly sleep: (ms: number) => Promise<void> = (ms) => new Promise((r) => setTimeout(r, ms)),
  ) {}

  async request<T = unknown>(method: 'GET' | 'POST' | 'PATCH', path: string, body?: unknown): Promise<T | undefined> {
    for (let attempt = 1; ; attempt++) {
      const headers: Record<string, string> = {
        Authorization: `Bearer ${await this.token()}`,
        Accept: 'application/json',
        'OData-MaxVersion': '4.0',
        'OData-Version': '4.0',
      };
      if (body !== undefined) headers['Content-Type'] = 'application/json; charset=utf-8';
      const response = await this.fetchImpl(this.orgUrl + API_PATH + path, { method, headers, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });
      if (response.status === 429 && attempt < 5) {
        // The suite's one parser and one wait rule: Retry-After when valid, else back-off with jitter, capped.
        await this.sleep(retryDelay(new DataverseError('throttled', 429, undefined, parseRetryAfter(response.headers.get('Retry-After'))), attempt));
        continue;
      }
      const text = await response.text();
      if (response.status >= 400) {
        let message = text;
        try {
          message = (JSON.parse(text) as { error?: { message?: string } }).error?.message ?? text;
        } catch {
          /* not JSON: keep the text */
        }
        throw new WebApiError(response.status, method, path, message);
      }
      return text.trim() === '' ? undefined : (JSON.parse(text) as T);
    }
  }
}
