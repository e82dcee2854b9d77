import { parseRetryAfter } from '../client/retry-after';
import { DataverseError } from '../client/types';

/**
 * dynamics-web-api rejects with an Error carrying `status`, `code` (Dataverse's hex code) and the
 * response `headers`; a network failure or a timeout has no status; a failed $batch rejects with
 * the array of its parts. All become DataverseError, status 0 for "no answer" (transient).
 */
export function retryAfterMs(headers: unknown): number | undefined {
  if (!headers || typeof headers !== 'object') return undefined;
  const raw = (headers as Record<string, unknown>)['retry-after'] ?? (headers as Record<string, unknown>)['Retry-After'];
  return typeof raw === 'string' || typeof raw === 'number' ? parseRetryAfter(raw) : undefined;
}

export function toDataverseError(error: unknown): DataverseError {
  if (error instanceof DataverseError) return error;
  if (Array.isArray(error)) {
    const failed = error.find((e) => e instanceof Error || (e && typeof e === 'object' && 'status' in e));
    return toDataverseError(failed ?? new Error('The $batch request failed.'));
  }
  const e = (error ?? {}) as { status?: unknown; code?: unknown; message?: unknown; headers?: unknown; error?: { code?: unknown; message?: unknown } };
  const status = typeof e.status === 'number' ? e.status : 0;
  // Inside a $batch the library keeps the parsed body as is: the details sit under `error`.
  const inner = e.error && typeof e.error === 'object' ? e.error : {};
  const code = typeof e.code === 'string' ? e.code : typeof inner.code === 'string' ? inner.code : undefined;
  const text = typeof e.message === 'string' && e.message ? e.message : typeof inner.message === 'string' ? inner.message : '';
  const message = text || (status ? `HTTP ${status}` : 'No response from the server');
  if (status === 0) {
    // ECONNRESET, ETIMEDOUT, "socket hang up", aborts: the request may or may not have been applied.
    return new DataverseError(`${message}${code ? ` (${code})` : ''}`, 0);
  }
  return new DataverseError(message, status, code, retryAfterMs(e.headers));
}
