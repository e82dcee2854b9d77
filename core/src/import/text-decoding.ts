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

export type TextEncodingName = 'utf-8' | 'utf-16le' | 'utf-16be';

export interface Sniffed {
  readonly container: 'text' | 'zip';
  readonly encoding: TextEncodingName;
  readonly bom: boolean;
}

/**
 * Decides from the first bytes: zip (an .xlsx), UTF-8 with BOM, UTF-16 LE/BE with BOM (Excel's
 * "Unicode text"), UTF-16 without BOM (a NUL in every other byte of ASCII text), else UTF-8.
 * Needs up to 4 bytes; pass what there is at end of input.
 */
export function sniff(head: Uint8Array): Sniffed {
  const b0 = head[0],
    b1 = head[1],
    b2 = head[2],
    b3 = head[3];
  if (b0 === 0x50 && b1 === 0x4b && b2 === 0x03 && b3 === 0x04) return { container: 'zip', encoding: 'utf-8', bom: false };
  if (b0 === 0xef && b1 === 0xbb && b2 === 0xbf) return { container: 'text', encoding: 'utf-8', bom: true };
  if (b0 === 0xff && b1 === 0xfe) return { container: 'text', encoding: 'utf-16le', bom: true };
  if (b0 === 0xfe && b1 === 0xff) return { container: 'text', encoding: 'utf-16be', bom: true };
  if (head.length >= 4 && b0 !== 0 && b1 === 0 && b2 !== 0 && b3 === 0) return { container: 'text', encoding: 'utf-16le', bom: false };
  if (head.length >= 4 && b0 === 0 && b1 !== 0 && b2 === 0 && b3 !== 0) return { container: 'text', encoding: 'utf-16be', bom: false };
  return { container: 'text', encoding: 'utf-8', bom: false };
}

export function createTextDecoder(encoding: TextEncodingName): TextDecoderLike {
  const Ctor = (globalThis as unknown as { TextDecoder?: TextDecoderCtor }).TextDecoder;
  if (Ctor === undefined) throw new Error('TextDecoder is not available in this JavaScript runtime');
  // ignoreBOM: false makes the decoder drop a leading BOM itself, so header names stay clean.
  return new Ctor(encoding, { fatal: false, ignoreBOM: false });
}

/** Decodes a whole byte array (xlsx parts, tests). */
export function decodeAll(bytes: Uint8Array, encoding: TextEncodingName = 'utf-8'): string {
  return createTextDecoder(encoding).decode(bytes);
}
