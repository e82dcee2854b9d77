/**
 * The one Retry-After parser (every client, the deploy script and the workers use it). RFC 9110
 * §10.2.3 allows two forms: delta-seconds (a non-negative whole number) or an HTTP-date
 * (IMF-fixdate, "Wed, 21 Oct 2015 07:28:00 GMT"). Dataverse's service protection sends seconds
 * ("Service protection API limits", learn.microsoft.com/power-apps/developer/data-platform/api-limits).
 * Anything else ("-1", "0x10", "1.5", "") is no instruction: the caller backs off exponentially with
 * jitter instead, and caps every wait (retryDelay in ../bulk/retry).
 */
const SECONDS = /^\d+$/;
const IMF_FIXDATE = /^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} \d{2}:\d{2}:\d{2} GMT$/;

/** Milliseconds to wait, or undefined when the header is absent or not one of the two forms. */
export function parseRetryAfter(raw: string | number | null | undefined, now: number = Date.now()): number | undefined {
  if (raw === null || raw === undefined) return undefined;
  const text = String(raw).trim();
  if (SECONDS.test(text)) return Number(text) * 1000;
  if (IMF_FIXDATE.test(text)) {
    const at = Date.parse(text);
    return Number.isFinite(at) ? Math.max(0, at - now) : undefined;
  }
  return undefined;
}
