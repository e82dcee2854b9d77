/**
 * A full garbage collection between two phases of a run, when Node runs with `--expose-gc`
 * (`npm run reconcile` does; nodejs.org/docs/latest-v20.x/api/cli.html, "--expose-gc", added in
 * v20.18.0: `if (globalThis.gc) globalThis.gc()`). Without the flag it does nothing.
 *
 * Why: V8 schedules its next full collection when the heap reaches a multiple of what survived the
 * last one. A million-row run has its last full collection at about 45 MB, while the ledgers are
 * built, then makes its 100 MB of lines, expected charges and findings in a few seconds and never
 * reaches that multiple: it ended holding 70 MB of garbage at its peak (bench:reconcile, traced
 * with --trace-gc: two full collections in the whole run). Collected where the main thread would
 * otherwise wait for the threads reading the usage file, and before the findings are made, the
 * peak is the live data instead.
 */
export function collectGarbage(): void {
  (globalThis as { gc?: () => void }).gc?.();
}
