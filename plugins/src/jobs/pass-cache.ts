/**
 * What one pass of a chunked job reads once and every later chunk of the same pass reuses (a run's
 * findings, the imported usage an invoice run bills): without it each chunk reads it all again (a
 * 200,000-line bill in 40 chunks read 8 million rows). A pass starts afresh at chunk 0, so a re-run
 * after CRM was corrected sees the correction; another worker, or a restarted one, computes afresh,
 * and the same rows give the same value. A failed computation is forgotten.
 */
export class PassCache<T> {
  private last: { readonly key: string; readonly value: Promise<T> } | undefined;

  get(key: string, chunk: number, compute: () => Promise<T>): Promise<T> {
    if (chunk === 0 || this.last?.key !== key) {
      const value = compute();
      this.last = { key, value };
      value.catch(() => {
        if (this.last?.value === value) this.last = undefined;
      });
    }
    return this.last.value;
  }
}
