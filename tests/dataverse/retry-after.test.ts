/**
 * One Retry-After parser for every client (RFC 9110 §10.2.3: delta-seconds or an HTTP-date;
 * Dataverse's service protection sends seconds, learn.microsoft.com/power-apps/developer/data-platform/api-limits).
 * Anything else is no instruction: the wait falls back to exponential back-off with jitter, and
 * every wait is capped.
 */
import { retryDelay } from '../../dataverse/src/bulk';
import { parseRetryAfter } from '../../dataverse/src/client/retry-after';
import { DataverseError } from '../../dataverse/src/client/types';
import { retryAfterMs } from '../../dataverse/src/node/errors';

const NOW = Date.parse('2026-12-04T12:00:00Z');

describe('Retry-After', () => {
  it.each([
    ['120', 120_000],
    ['0', 0],
    [' 7 ', 7_000],
    [5, 5_000],
    ['Fri, 04 Dec 2026 12:00:30 GMT', 30_000],
    ['Fri, 04 Dec 2026 11:00:00 GMT', 0],
    ['', undefined],
    ['-1', undefined],
    ['0x10', undefined],
    ['1.5', undefined],
    ['soon', undefined],
    ['2026-12-04T12:00:30Z', undefined],
    [null, undefined],
  ] as const)('%j -> %j ms', (raw, expected) => {
    expect(parseRetryAfter(raw, NOW)).toBe(expected);
  });

  it('is what the Node client reads from a failed response, in either header spelling', () => {
    expect(retryAfterMs({ 'retry-after': '3' })).toBe(3000);
    expect(retryAfterMs({ 'Retry-After': '0x10' })).toBeUndefined();
  });

  it('an hour asked is capped (60 s by default, configurable); no valid header backs off exponentially with jitter', () => {
    const hour = new DataverseError('throttled', 429, undefined, parseRetryAfter('3600', NOW));
    expect(retryDelay(hour, 1)).toBe(60_000);
    expect(retryDelay(hour, 1, { maxDelayMs: 5_000 })).toBe(5_000);
    const invalid = new DataverseError('throttled', 429, undefined, parseRetryAfter('-1', NOW));
    const waits = [1, 2, 3].map((attempt) => retryDelay(invalid, attempt, { baseDelayMs: 1000, random: () => 0.5 }));
    expect(waits).toEqual([1000, 2000, 4000]);
  });
});
