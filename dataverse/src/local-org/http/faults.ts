/**
 * Fault injection for tests: a seeded share of requests answered 429 (with Retry-After), 503
 * (without, so clients fall back to exponential back-off) or never answered (a timeout). The
 * same seed gives the same sequence of faults, so a failing run can be replayed.
 */
export interface FaultOptions {
  readonly seed?: number;
  /** Share (0..1) of requests answered 429 Too Many Requests. */
  readonly throttleRate?: number;
  /** Share answered 503 Service Unavailable. */
  readonly unavailableRate?: number;
  /** Share never answered: the client must time out (the socket is closed when the server stops). */
  readonly timeoutRate?: number;
  /** Retry-After of the 429s, in seconds (Dataverse sends whole seconds). Default 1. */
  readonly retryAfterSeconds?: number;
  /** When true, a timed-out request is applied before the answer is lost (the hardest case for retries). */
  readonly applyBeforeTimeout?: boolean;
  /** Every request waits this long before it is handled: the round trip to a Dataverse far away (benchmarks). */
  readonly latencyMs?: number;
}

export type Fault = 'throttle' | 'unavailable' | 'timeout';

/** mulberry32: small, fast, good enough to spread faults evenly; never for anything secret. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export class FaultInjector {
  private random: () => number;
  private options: FaultOptions;

  constructor(options: FaultOptions = {}) {
    this.options = options;
    this.random = mulberry32(options.seed ?? 1);
  }

  /** Replaces the fault settings (and restarts the sequence from the seed). */
  configure(options: FaultOptions): void {
    this.options = options;
    this.random = mulberry32(options.seed ?? 1);
  }

  get settings(): FaultOptions {
    return this.options;
  }

  /** The fault for the next request, if any. */
  next(): Fault | undefined {
    const { throttleRate = 0, unavailableRate = 0, timeoutRate = 0 } = this.options;
    if (throttleRate + unavailableRate + timeoutRate <= 0) return undefined;
    const r = this.random();
    if (r < throttleRate) return 'throttle';
    if (r < throttleRate + unavailableRate) return 'unavailable';
    if (r < throttleRate + unavailableRate + timeoutRate) return 'timeout';
    return undefined;
  }
}

export interface RequestStats {
  /** HTTP requests received (a $batch is one), faulted ones included. */
  requests: number;
  throttled: number;
  unavailable: number;
  timedOut: number;
  /** Requests by `METHOD first-path-segment`, e.g. `POST cspb_billinglines/Microsoft.Dynamics.CRM.UpsertMultiple`. */
  readonly byRoute: Map<string, number>;
}

export function emptyStats(): RequestStats {
  return { requests: 0, throttled: 0, unavailable: 0, timedOut: 0, byRoute: new Map() };
}
