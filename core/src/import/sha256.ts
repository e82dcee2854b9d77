/**
 * Incremental SHA-256 (FIPS 180-4) in pure TypeScript. The importer hashes the raw bytes of a bill
 * while streaming them, so importing the same file twice is recognised (content hash = idempotency
 * key). core/ may not use node:crypto, and WebCrypto's digest() is not incremental, hence this.
 * Written for throughput: one reused Int32Array schedule, big-endian words read straight from the
 * byte array, no per-block allocation.
 */
const K = new Int32Array([
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74,
  0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d,
  0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e,
  0x92722c85, 0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5,
  0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
]);

export class Sha256 {
  private readonly h = new Int32Array([0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19]);
  private readonly w = new Int32Array(64);
  /** Bytes of an unfinished block carried over between update() calls. */
  private readonly tail = new Uint8Array(64);
  private tailLength = 0;
  private total = 0;
  private finished = false;

  update(data: Uint8Array): this {
    if (this.finished) throw new Error('Sha256: update() after digest()');
    this.total += data.length;
    let offset = 0;
    if (this.tailLength > 0) {
      const take = Math.min(64 - this.tailLength, data.length);
      this.tail.set(data.subarray(0, take), this.tailLength);
      this.tailLength += take;
      offset = take;
      if (this.tailLength < 64) return this;
      this.blocks(this.tail, 0, 64);
      this.tailLength = 0;
    }
    const whole = (data.length - offset) & ~63;
    if (whole > 0) this.blocks(data, offset, offset + whole);
    offset += whole;
    if (offset < data.length) {
      this.tail.set(data.subarray(offset), 0);
      this.tailLength = data.length - offset;
    }
    return this;
  }

  /** Lower-case hex digest; the hash cannot be updated afterwards. */
  digestHex(): string {
    const bytes = this.digest();
    let out = '';
    for (const b of bytes) out += (b < 16 ? '0' : '') + b.toString(16);
    return out;
  }

  digest(): Uint8Array {
    if (!this.finished) {
      const bitsHigh = Math.floor(this.total / 0x20000000);
      const bitsLow = (this.total * 8) >>> 0;
      const padLength = this.tailLength < 56 ? 64 : 128;
      const pad = new Uint8Array(padLength);
      pad.set(this.tail.subarray(0, this.tailLength));
      pad[this.tailLength] = 0x80;
      writeBe32(pad, padLength - 8, bitsHigh);
      writeBe32(pad, padLength - 4, bitsLow);
      this.blocks(pad, 0, padLength);
      this.finished = true;
    }
    const out = new Uint8Array(32);
    for (let i = 0; i < 8; i++) writeBe32(out, i * 4, this.h[i] as number);
    return out;
  }

  private blocks(p: Uint8Array, start: number, end: number): void {
    const w = this.w;
    const h = this.h;
    let h0 = h[0] as number,
      h1 = h[1] as number,
      h2 = h[2] as number,
      h3 = h[3] as number;
    let h4 = h[4] as number,
      h5 = h[5] as number,
      h6 = h[6] as number,
      h7 = h[7] as number;
    for (let off = start; off < end; off += 64) {
      for (let i = 0; i < 16; i++) {
        const j = off + i * 4;
        w[i] = ((p[j] as number) << 24) | ((p[j + 1] as number) << 16) | ((p[j + 2] as number) << 8) | (p[j + 3] as number);
      }
      for (let i = 16; i < 64; i++) {
        const x = w[i - 15] as number;
        const y = w[i - 2] as number;
        const s0 = ((x >>> 7) | (x << 25)) ^ ((x >>> 18) | (x << 14)) ^ (x >>> 3);
        const s1 = ((y >>> 17) | (y << 15)) ^ ((y >>> 19) | (y << 13)) ^ (y >>> 10);
        w[i] = ((w[i - 16] as number) + s0 + (w[i - 7] as number) + s1) | 0;
      }
      let a = h0,
        b = h1,
        c = h2,
        d = h3,
        e = h4,
        f = h5,
        g = h6,
        hh = h7;
      for (let i = 0; i < 64; i++) {
        const S1 = ((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7));
        const ch = (e & f) ^ (~e & g);
        const t1 = (hh + S1 + ch + (K[i] as number) + (w[i] as number)) | 0;
        const S0 = ((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10));
        const maj = (a & b) ^ (a & c) ^ (b & c);
        const t2 = (S0 + maj) | 0;
        hh = g;
        g = f;
        f = e;
        e = (d + t1) | 0;
        d = c;
        c = b;
        b = a;
        a = (t1 + t2) | 0;
      }
      h0 = (h0 + a) | 0;
      h1 = (h1 + b) | 0;
      h2 = (h2 + c) | 0;
      h3 = (h3 + d) | 0;
      h4 = (h4 + e) | 0;
      h5 = (h5 + f) | 0;
      h6 = (h6 + g) | 0;
      h7 = (h7 + hh) | 0;
    }
    h[0] = h0;
    h[1] = h1;
    h[2] = h2;
    h[3] = h3;
    h[4] = h4;
    h[5] = h5;
    h[6] = h6;
    h[7] = h7;
  }
}

function writeBe32(out: Uint8Array, at: number, v: number): void {
  out[at] = (v >>> 24) & 255;
  out[at + 1] = (v >>> 16) & 255;
  out[at + 2] = (v >>> 8) & 255;
  out[at + 3] = v & 255;
}

/** One-shot convenience: hex SHA-256 of some bytes. */
export function sha256Hex(data: Uint8Array): string {
  return new Sha256().update(data).digestHex();
}
