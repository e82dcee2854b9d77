/**
 * One operation at a time: a transaction holds the org from its first write to its commit or
 * rollback, including the awaits of its plug-ins, so two callers never interleave half-done work.
 */
export class Mutex {
  private tail: Promise<void> = Promise.resolve();

  run<T>(fn: () => Promise<T>): Promise<T> {
    const result = this.tail.then(fn);
    this.tail = result.then(
      () => undefined,
      () => undefined,
    );
    return result;
  }
}
