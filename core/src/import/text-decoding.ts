/**
 * Byte-level sniffing and incremental decoding. TextDecoder is a web-standard global (Node and
 * every browser) but core/ compiles against lib ES2022 without DOM, so it is looked up on
 * globalThis through this minimal structural type instead of an ambient declaration that could
 * clash with @types/node or lib.dom in projects that include core's sources.
 */
export interface TextDecoderLike {
  decode(input?: Uint8Array, options?: { stream?: boolean }): string;
}
type TextDecoderCtor = new (label: string, options?: { fatal?: boolean; ignoreBOM?: boolean }) => TextDecoderLike;

/** Encodings a bill is read in: sniffed (UTF-8/16/32 with their BOMs) or named by the caller. */
export type TextEncodingName = 'utf-8' | 'utf-16le' | 'utf-16be' | 'utf-32le' | 'utf-32be' | 'windows-1252' | 'iso-8859-1';

/** What a caller may name (`--encoding`): the single-byte encodings Excel writes, and UTF-8. */
export const NAMED_ENCODINGS: readonly TextEncodingName[] = ['utf-8', 'windows-1252', 'iso-8859-1'];

export interface Sniffed {
  readonly container: 'text' | 'zip';
  readonly encoding: TextEncodingName;
  readonly bom: boolean;
}

/**
 * Decides from the first bytes: zip (an .xlsx), UTF-8 with BOM, UTF-32 LE/BE with BOM (checked
 * before UTF-16: FF FE 00 00 starts with UTF-16 LE's BOM), UTF-16 LE/BE with BOM (Excel's "Unicode
 * text") or without (a NUL in every other byte of ASCII text), else UTF-8. Needs up to 4 bytes;
 * pass what there is at end of input.
 */
export function sniff(head: Uint8Array): Sniffed {
  const b0 = head[0],
    b1 = head[1],
    b2 = head[2],
    b3 = head[3];
  if (b0 === 0x50 && b1 === 0x4b && b2 === 0x03 && b3 === 0x04) return { container: 'zip', encoding: 'utf-8', bom: false };
  if (b0 === 0xef && b1 === 0xbb && b2 === 0xbf) return { container: 'text', encoding: 'utf-8', bom: true };
  if (b0 === 0xff && b1 === 0xfe && b2 === 0 && b3 === 0) return { container: 'text', encoding: 'utf-32le', bom: true };
  if (b0 === 0 && b1 === 0 && b2 === 0xfe && b3 === 0xff) return { container: 'text', encoding: 'utf-32be', bom: true };
  if (b0 === 0xff && b1 === 0xfe) return { container: 'text', encoding: 'utf-16le', bom: true };
  if (b0 === 0xfe && b1 === 0xff) return { container: 'text', encoding: 'utf-16be', bom: true };
  if (head.length >= 4 && b0 !== 0 && b1 === 0 && b2 !== 0 && b3 === 0) return { container: 'text', encoding: 'utf-16le', bom: false };
  if (head.length >= 4 && b0 === 0 && b1 !== 0 && b2 === 0 && b3 !== 0) return { container: 'text', encoding: 'utf-16be', bom: false };
  return { container: 'text', encoding: 'utf-8', bom: false };
}

/** Bytes that are not text in the encoding the file was read in; the importer names the offset. */
export class InvalidBytesError extends Error {
  constructor(
    readonly offset: number,
    readonly bytes: readonly number[],
    readonly encoding: TextEncodingName,
  ) {
    super(`byte ${bytes.map((b) => `0x${b.toString(16).toUpperCase().padStart(2, '0')}`).join(' ')} at offset ${offset} is not ${encoding.toUpperCase()}`);
  }
}

/**
 * A decoder that refuses invalid input instead of writing U+FFFD into a customer's name: UTF-8
 * and UTF-16 through the platform's TextDecoder (fatal), UTF-32 and ISO-8859-1 here (the WHATWG
 * Encoding standard maps the label iso-8859-1 to windows-1252 and has no UTF-32).
 */
export function createTextDecoder(encoding: TextEncodingName): TextDecoderLike {
  if (encoding === 'utf-32le' || encoding === 'utf-32be') return new Utf32Decoder(encoding === 'utf-32le');
  if (encoding === 'iso-8859-1') return new Latin1Decoder();
  const Ctor = (globalThis as unknown as { TextDecoder?: TextDecoderCtor }).TextDecoder;
  if (Ctor === undefined) throw new Error('TextDecoder is not available in this JavaScript runtime');
  // ignoreBOM: false makes the decoder drop a leading BOM itself, so header names stay clean.
  const inner = new Ctor(encoding, { fatal: encoding !== 'windows-1252', ignoreBOM: false });
  return encoding === 'utf-8' ? new LocatingUtf8Decoder(inner) : new CountingDecoder(inner, encoding);
}

/** Decodes a whole byte array (xlsx parts, tests), replacing what is not UTF-8. */
export function decodeAll(bytes: Uint8Array, encoding: 'utf-8' | 'utf-16le' | 'utf-16be' = 'utf-8'): string {
  const Ctor = (globalThis as unknown as { TextDecoder?: TextDecoderCtor }).TextDecoder;
  if (Ctor === undefined) throw new Error('TextDecoder is not available in this JavaScript runtime');
  return new Ctor(encoding, { fatal: false, ignoreBOM: false }).decode(bytes);
}

/** A fatal platform decoder that reports the stream offset it failed at (approximately: the slice). */
class CountingDecoder implements TextDecoderLike {
  protected offset = 0;
  constructor(
    protected readonly inner: TextDecoderLike,
    private readonly encoding: TextEncodingName,
  ) {}
  decode(input?: Uint8Array, options?: { stream?: boolean }): string {
    try {
      const text = this.inner.decode(input, options);
      this.offset += input?.length ?? 0;
      return text;
    } catch {
      throw new InvalidBytesError(this.offset, input ? [...input.subarray(0, 1)] : [], this.encoding);
    }
  }
}

/**
 * UTF-8 through the native fatal decoder (fast on the million-row file); only when it refuses a
 * slice does a scan in JavaScript find the first invalid byte, so the error names its offset.
 */
class LocatingUtf8Decoder extends CountingDecoder {
  /** Bytes of a character the previous slice ended inside (up to 3). */
  private carry: number[] = [];
  constructor(inner: TextDecoderLike) {
    super(inner, 'utf-8');
  }
  override decode(input?: Uint8Array, options?: { stream?: boolean }): string {
    const bytes = input ?? new Uint8Array(0);
    try {
      const text = this.inner.decode(input, options);
      this.carry = trailingPartial(this.carry, bytes);
      this.offset += bytes.length;
      return text;
    } catch {
      const joined = new Uint8Array(this.carry.length + bytes.length);
      joined.set(this.carry, 0);
      joined.set(bytes, this.carry.length);
      const at = firstInvalidUtf8(joined, options?.stream !== true);
      const index = Math.max(0, at);
      throw new InvalidBytesError(this.offset - this.carry.length + index, [...joined.subarray(index, index + 1)], 'utf-8');
    }
  }
}

/** The bytes of an unfinished UTF-8 character at the end of what was decoded so far. */
function trailingPartial(carry: readonly number[], bytes: Uint8Array): number[] {
  const tail = bytes.length >= 3 ? [...bytes.subarray(bytes.length - 3)] : [...carry, ...bytes].slice(-3);
  for (let i = tail.length - 1; i >= 0; i--) {
    const b = tail[i] as number;
    if (b < 0x80) return [];
    if (b >= 0xc0) {
      const need = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : 2;
      return tail.length - i < need ? tail.slice(i) : [];
    }
  }
  return [];
}

/** Index of the first byte that does not start or continue a valid UTF-8 sequence (RFC 3629), or -1. */
export function firstInvalidUtf8(b: Uint8Array, final: boolean): number {
  let i = 0;
  while (i < b.length) {
    const c = b[i] as number;
    if (c < 0x80) {
      i++;
      continue;
    }
    // Lead byte -> continuation bytes and the smallest code point it may encode (no overlongs).
    const need = c >= 0xc2 && c <= 0xdf ? 1 : c >= 0xe0 && c <= 0xef ? 2 : c >= 0xf0 && c <= 0xf4 ? 3 : 0;
    if (need === 0) return i;
    const min = need === 1 ? 0x80 : need === 2 ? 0x800 : 0x10000;
    if (i + need >= b.length) {
      // A character cut by the end of a slice is not an error yet (the next slice completes it).
      if (final) return i;
      for (let k = i + 1; k < b.length; k++) if (((b[k] as number) & 0xc0) !== 0x80) return i;
      return -1;
    }
    let cp = c & (need === 1 ? 0x1f : need === 2 ? 0x0f : 0x07);
    for (let k = 1; k <= need; k++) {
      const n = b[i + k];
      if (n === undefined || (n & 0xc0) !== 0x80) return i;
      cp = (cp << 6) | (n & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return i;
    i += need + 1;
  }
  return -1;
}

/** UTF-32 (Encoding has no UTF-32 decoder): four bytes per code point, the BOM dropped. */
class Utf32Decoder implements TextDecoderLike {
  private pending = new Uint8Array(0);
  private offset = 0;
  private first = true;
  constructor(private readonly littleEndian: boolean) {}
  decode(input?: Uint8Array, options?: { stream?: boolean }): string {
    const bytes = new Uint8Array(this.pending.length + (input?.length ?? 0));
    bytes.set(this.pending, 0);
    if (input) bytes.set(input, this.pending.length);
    const whole = bytes.length - (bytes.length % 4);
    if (options?.stream !== true && whole !== bytes.length) throw new InvalidBytesError(this.offset + whole, [...bytes.subarray(whole)], this.encoding);
    const view = new DataView(bytes.buffer, bytes.byteOffset, whole);
    const parts: string[] = [];
    for (let i = 0; i < whole; i += 4) {
      const cp = view.getUint32(i, this.littleEndian);
      if (cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) throw new InvalidBytesError(this.offset + i, [...bytes.subarray(i, i + 4)], this.encoding);
      if (this.first && i === 0 && cp === 0xfeff) continue;
      parts.push(String.fromCodePoint(cp));
    }
    this.first = this.first && whole === 0;
    this.offset += whole;
    this.pending = bytes.slice(whole);
    return parts.join('');
  }
  private get encoding(): TextEncodingName {
    return this.littleEndian ? 'utf-32le' : 'utf-32be';
  }
}

/** ISO-8859-1 as the standard defines it: every byte is the code point of the same value. */
class Latin1Decoder implements TextDecoderLike {
  decode(input?: Uint8Array): string {
    if (!input) return '';
    const parts: string[] = [];
    for (let at = 0; at < input.length; at += 8192) parts.push(String.fromCharCode(...input.subarray(at, at + 8192)));
    return parts.join('');
  }
}
