/**
 * Duplicate-row detection for the aggregated usage path, where keeping every row's text would make
 * memory grow with the file. A row is reduced to a 64-bit fingerprint (two independent 32-bit
 * multiplicative hashes of its exact text) kept in an open-addressing table of typed arrays:
 * 12 bytes per distinct row (about 24 MB for a million rows after doubling), no per-row objects.
 * With 64 bits, the chance of two different rows colliding in a million-row file is about 3e-8.
 */
export function fingerprint(s: string, start: number, end: number, out: Uint32Array): void {
  let h1 = 0x811c9dc5 | 0;
  let h2 = 0x01000193 ^ (end - start);
  // Two UTF-16 code units per step: half the loop iterations of a char-by-char hash.
  const pairsEnd = end - ((end - start) & 1);
  for (let i = start; i < pairsEnd; i += 2) {
    const x = s.charCodeAt(i) | (s.charCodeAt(i + 1) << 16);
    h1 = Math.imul(h1 ^ x, 0x01000193);
    h2 = Math.imul(h2 + x, 0x5bd1e995);
    h2 ^= h2 >>> 15;
  }
  if (pairsEnd < end) {
    const x = s.charCodeAt(pairsEnd);
    h1 = Math.imul(h1 ^ x, 0x01000193);
    h2 = Math.imul(h2 + x, 0x5bd1e995);
  }
  h1 ^= h1 >>> 16;
  h1 = Math.imul(h1, 0x85ebca6b);
  h1 ^= h1 >>> 13;
  out[0] = h1 >>> 0;
  out[1] = h2 >>> 0;
}

export class FingerprintSet {
  private keys1: Uint32Array;
  private keys2: Uint32Array;
  private rows: Uint32Array;
  private size = 0;

  constructor(initialCapacity = 1024) {
    let cap = 16;
    while (cap < initialCapacity * 2) cap *= 2;
    this.keys1 = new Uint32Array(cap);
    this.keys2 = new Uint32Array(cap);
    this.rows = new Uint32Array(cap);
  }

  get count(): number {
    return this.size;
  }

  /** Adds the fingerprint; returns the row that already had it, or 0 when it is new. Rows must be > 0. */
  addOrGet(h1: number, h2: number, row: number): number {
    if ((this.size + 1) * 2 > this.rows.length) this.grow();
    const mask = this.rows.length - 1;
    let i = (h1 ^ Math.imul(h2, 0x9e3779b1)) & mask;
    for (;;) {
      const r = this.rows[i] as number;
      if (r === 0) {
        this.keys1[i] = h1;
        this.keys2[i] = h2;
        this.rows[i] = row;
        this.size++;
        return 0;
      }
      if (this.keys1[i] === h1 && this.keys2[i] === h2) return r;
      i = (i + 1) & mask;
    }
  }

  private grow(): void {
    const { keys1, keys2, rows } = this;
    const cap = rows.length * 2;
    this.keys1 = new Uint32Array(cap);
    this.keys2 = new Uint32Array(cap);
    this.rows = new Uint32Array(cap);
    this.size = 0;
    for (let i = 0; i < rows.length; i++) {
      const r = rows[i] as number;
      if (r !== 0) this.addOrGet(keys1[i] as number, keys2[i] as number, r);
    }
  }
}
