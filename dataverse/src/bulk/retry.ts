import { DataverseError, type RetryPolicyLike } from '../client/types';

/**
 * Retrying transient failures the way Dataverse's service protection asks: wait what Retry-After
 * says when the server sent it, otherwise back off exponentially with jitter; give up after a
 * bounded number of attempts and throw the last error.
 */
/**
 * Attempts in all, the first included (default 6); first back-off when no Retry-After came
 * (default 1 s), doubled each attempt; longest single wait (default 60 s); share of the back-off
 * randomised (default 0.5) so parallel writers do not retry in step; sleep/random injected in tests.
 */
export type RetryPolicy = RetryPolicyLike;

export type RetryInfo = Parameters<NonNullable<RetryPolicyLike['onRetry']>>[0];

export const defaultSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export function retryDelay(error: DataverseError, attempt: number, policy: RetryPolicy = {}): number {
  const max = policy.maxDelayMs ?? 60_000;
  if (error.retryAfterMs !== undefined) return Math.min(error.retryAfterMs, max);
  const base = (policy.baseDelayMs ?? 1000) * 2 ** (attempt - 1);
  const jitter = policy.jitter ?? 0.5;
  const random = policy.random ?? Math.random;
  return Math.min(max, Math.round(base * (1 - jitter + jitter * 2 * random())));
}

/**
 * Runs `fn` until it succeeds, fails with an error `shouldRetry` refuses, or runs out of attempts.
 * Errors that are not DataverseErrors are never retried (they are bugs, not weather).
 */
export async function withRetry<T>(
  fn: (attempt: number) => Promise<T>,
  policy: RetryPolicy = {},
  shouldRetry: (error: DataverseError) => boolean = (e) => e.transient,
): Promise<T> {
  const attempts = Math.max(1, policy.maxAttempts ?? 6);
  const sleep = policy.sleep ?? defaultSleep;
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn(attempt);
    } catch (error) {
      if (!(error instanceof DataverseError) || !shouldRetry(error) || attempt >= attempts) throw error;
      const delayMs = retryDelay(error, attempt, policy);
      policy.onRetry?.({ attempt, delayMs, error });
      await sleep(delayMs);
    }
  }
}
