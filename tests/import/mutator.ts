import { Random } from '../../scripts/sample-data/random';
/**
 * Seeded byte-level mutator for the fuzz tests (and the longer bench/import fuzz run): reproducible
 * from (seed, index), biased towards the bytes that matter to CSV/JSON/zip parsing.
 */
/** The seeded stream (mulberry32) the fuzz cases are drawn from. */
export const prng = (seed: number): (() => number) => Random.stream(seed);

const SPECIAL = [
  0x22, 0x2c, 0x0a, 0x0d, 0x09, 0x3b, 0x7b, 0x7d, 0x5b, 0x5d, 0x5c, 0x3a, 0x2e, 0x2d, 0x45, 0x30, 0x39, 0x2f, 0x00, 0xff, 0xfe, 0xef, 0xbb, 0xbf, 0xc3, 0x20,
];
const WEIRD_TEXT = [
  '""',
  '","',
  '\r\n',
  '\n\n',
  '1e999',
  '-0',
  '9999999999999999999999.99999999999999999',
  '2/30/2025',
  '13/1/2025',
  'NaN',
  '{"a":[',
  '\\u12',
  ',,,,,',
  '"\n"',
  'USD',
  'usd',
  'XXX',
  'ChargeType',
  '\uFEFF',
  'ÿ',
];

export function mutate(base: Uint8Array, rnd: () => number): Uint8Array {
  let b = Array.from(base);
  const ops = 1 + Math.floor(rnd() * 4);
  const at = () => Math.floor(rnd() * (b.length + 1));
  for (let k = 0; k < ops; k++) {
    switch (Math.floor(rnd() * 9)) {
      case 0: // flip a byte
        if (b.length > 0) b[Math.min(b.length - 1, at())] = Math.floor(rnd() * 256);
        break;
      case 1: // insert a syntax byte
        b.splice(at(), 0, SPECIAL[Math.floor(rnd() * SPECIAL.length)] as number);
        break;
      case 2: {
        // delete a range
        const i = at();
        b.splice(i, 1 + Math.floor(rnd() * 40));
        break;
      }
      case 3: {
        // duplicate a range (duplicate rows, repeated headers)
        const i = at();
        const j = Math.min(b.length, i + 1 + Math.floor(rnd() * 300));
        b.splice(at(), 0, ...b.slice(i, j));
        break;
      }
      case 4: // truncate
        b = b.slice(0, at());
        break;
      case 5: {
        // insert weird text
        const t = Array.from(Buffer.from(WEIRD_TEXT[Math.floor(rnd() * WEIRD_TEXT.length)] as string, 'utf8'));
        b.splice(at(), 0, ...t);
        break;
      }
      case 6: {
        // swap two lines
        const text = Buffer.from(b).toString('latin1').split('\n');
        if (text.length > 2) {
          const i = Math.floor(rnd() * text.length);
          const j = Math.floor(rnd() * text.length);
          [text[i], text[j]] = [text[j] as string, text[i] as string];
          b = Array.from(Buffer.from(text.join('\n'), 'latin1'));
        }
        break;
      }
      case 7: // replace a digit run with another number
        for (let i = at(); i < b.length; i++) {
          if ((b[i] as number) >= 0x30 && (b[i] as number) <= 0x39) {
            b.splice(i, 1, ...Array.from(Buffer.from(String(Math.floor(rnd() * 1e6) / 1000), 'latin1')));
            break;
          }
        }
        break;
      default: // a BOM or NULs at the start
        b.unshift(
          ...([
            [0xef, 0xbb, 0xbf],
            [0xff, 0xfe],
            [0xfe, 0xff],
            [0x00, 0x00],
          ][Math.floor(rnd() * 4)] as number[]),
        );
    }
  }
  return Uint8Array.from(b);
}
