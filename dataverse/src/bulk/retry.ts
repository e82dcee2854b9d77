import { DataverseError } from '../client/types';

/**
 * Retrying transient failures the way Dataverse's service protection asks: wait what Retry-After
 * says when the server sent it, otherwise back off exponentially with jitter; give up after a
 * bounded number of attempts and throw the last error.
 */
export interface RetryPolicy {
  /** Attempts in all, the first included (default 6). */
  readonly maxAttempts?: number;
  /** First back-off when no Retry-After came (default 1 s), doubled each attempt. */
  readonly baseDelayMs?: number;
  /** Longest single wait (default 60 s). */
  readonly maxDelayMs?: number;
  /** Share of the back-off randomised (default 0.5): parallel writers do not retry in step. */
  readonly jitter?: number;
  /** Injected in tests to observe the waits without spending them. */
  readonly sleep?: (ms: number) => Promise<void>;
  readonly random?: () => number;
  readonly onRetry?: (info: RetryInfo) => void;
}

export interface RetryInfo {
  readonly attempt: number;
  readonly delayMs: number;
  readonly error: DataverseError;
}

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
