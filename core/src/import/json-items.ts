/**
 * Streaming reader for Partner Center API JSON: a collection `{ "totalCount": n, "items": [ ... ] }`,
 * a bare array of items, a single object (GET /invoices/{id}), or JSON Lines (one object per line, as
 * Microsoft Graph's billing reconciliation exports write them). A boundary scanner follows string
 * and nesting state across chunks and hands over each element of `items` as soon as it closes, so
 * memory holds one item, not the page. Each item is then parsed by a small recursive-descent parser
 * that keeps numbers as their source text: JSON.parse would turn 0.486031696515249 into a binary
 * float before we could make a Decimal of it.
 */
/** A JSON number kept as its source text. */
export class JsonNumber {
  constructor(readonly text: string) {}
}

export type JsonScalar = string | JsonNumber | boolean | null;
export type JsonValue = JsonScalar | JsonValue[] | { [key: string]: JsonValue };

export class JsonSyntaxError extends Error {}

const MAX_DEPTH = 64;

/** One item, flattened: "attributes.objectType" -> "LicenseBasedLineItem"; arrays of scalars joined by ";". */
export interface FlatItem {
  readonly keys: string[];
  readonly values: string[];
  readonly raw: string;
}

export class JsonItemScanner {
  private buf = '';
  private i = 0;
  private depth = 0;
  private inString = false;
  private escape = false;
  private top: 'unknown' | 'object' | 'array' | 'lines' = 'unknown';
  private itemsDepth = -1;
  private itemsDone = false;
  private itemStart = -1;
  private itemIsObject = false;
  private lastKey = '';
  private stringStart = -1;
  private pendingKey: string | null = null;
  private topText: string[] = [];
  private keepTop = true;
  /** True once the text has shown itself to be JSON Lines (a second top-level object). */
  get jsonLines(): boolean {
    return this.top === 'lines';
  }
  private strayText(): string {
    return this.top === 'array' ? 'text after the JSON value' : 'text between top-level objects (a JSON Lines file holds one object per line)';
  }
  /** Text buffered for an unfinished item (callers refuse runaway items). */
  get pending(): number {
    return this.buf.length - (this.itemStart >= 0 ? this.itemStart : this.i);
  }

  /** Feeds decoded text; calls onItem with each complete item's JSON text. Throws JsonSyntaxError. */
  feed(text: string, onItem: (itemText: string) => void): void {
    // JSON Lines between objects: a line is an object (JSON escapes every newline inside a string),
    // so whole lines are handed over without walking their characters.
    if (this.top === 'lines' && this.depth === 0 && !this.inString && this.itemStart < 0) return this.feedLines(text, onItem);
    this.buf += text;
    const s = this.buf;
    const len = s.length;
    let i = this.i;
    while (i < len) {
      const c = s.charCodeAt(i);
      if (this.inString) {
        if (this.escape) this.escape = false;
        else if (c === 92) this.escape = true;
        else if (c === 34) {
          this.inString = false;
          if (this.depth === 1 && this.top === 'object') this.lastKey = s.slice(this.stringStart + 1, i);
        }
        i++;
        continue;
      }
      switch (c) {
        case 34: // "
          if (this.depth === 0 && this.top !== 'unknown') throw new JsonSyntaxError(this.strayText());
          this.inString = true;
          this.stringStart = i;
          break;
        case 58: // :
          if (this.depth === 1 && this.top === 'object') this.pendingKey = this.lastKey;
          break;
        case 44: // ,
          if (this.depth === 1) this.pendingKey = null;
          break;
        case 123: // {
        case 91: // [
          if (this.depth === 0 && this.top === 'lines') {
            if (c !== 123) throw new JsonSyntaxError('a JSON Lines file holds one object per line');
            this.itemStart = i;
            this.itemIsObject = true;
          } else if (this.depth === 0) {
            if (this.top === 'object' && c === 123 && this.keepTop && this.itemsDepth < 0 && !this.itemsDone) {
              // A second top-level object after a first without `items`: JSON Lines (Graph's billing
              // exports are gzipped JSON Lines). The first object was an item too.
              const first = this.topText.join('') + s.slice(0, i).trimEnd();
              this.topText = [];
              this.top = 'lines';
              this.keepTop = false;
              this.itemsDepth = 0;
              this.itemStart = i;
              this.itemIsObject = true;
              onItem(first);
            } else if (this.top !== 'unknown') throw new JsonSyntaxError('more than one top-level JSON value');
            else this.top = c === 123 ? 'object' : 'array';
            if (this.top === 'array') {
              this.itemsDepth = 1;
              this.keepTop = false;
            }
          } else if (this.depth === 1 && c === 91 && this.top === 'object' && this.pendingKey === 'items' && !this.itemsDone) {
            this.itemsDepth = 2;
            this.keepTop = false;
          } else if (this.depth === this.itemsDepth && this.itemStart < 0) {
            this.itemStart = i;
            this.itemIsObject = c === 123;
          }
          this.depth++;
          if (this.depth > 100000) throw new JsonSyntaxError('JSON nested too deeply');
          break;
        case 125: // }
        case 93: // ]
          this.depth--;
          if (this.depth < 0) throw new JsonSyntaxError(`unexpected "${String.fromCharCode(c)}"`);
          if (this.depth === this.itemsDepth && this.itemStart >= 0) {
            const item = s.slice(this.itemStart, i + 1);
            const wasObject = this.itemIsObject;
            this.itemStart = -1;
            if (wasObject) onItem(item);
          } else if (this.depth === this.itemsDepth - 1 && this.itemsDepth === 2) {
            this.itemsDepth = -1;
            this.itemsDone = true;
          }
          break;
        default:
          if (this.depth === 0 && this.top !== 'unknown' && c !== 32 && c !== 10 && c !== 13 && c !== 9) throw new JsonSyntaxError(this.strayText());
          break;
      }
      i++;
    }
    // Drop what is no longer needed: everything before the open item (or all of it).
    const keepFrom = this.itemStart >= 0 ? this.itemStart : i;
    if (this.keepTop && this.top === 'object') this.topText.push(s.slice(0, keepFrom));
    this.buf = s.slice(keepFrom);
    if (this.itemStart >= 0) this.itemStart -= keepFrom;
    this.stringStart -= keepFrom;
    this.i = i - keepFrom;
  }

  private feedLines(text: string, onItem: (itemText: string) => void): void {
    const s = this.buf + text;
    let start = 0;
    for (let nl = s.indexOf('\n'); nl >= 0; nl = s.indexOf('\n', start)) {
      this.line(s.slice(start, nl), onItem);
      start = nl + 1;
    }
    this.buf = s.slice(start);
    this.i = 0;
    this.stringStart = -1;
  }

  private line(text: string, onItem: (itemText: string) => void): void {
    const line = text.trim();
    if (line === '') return;
    if (line.charCodeAt(0) !== 123) throw new JsonSyntaxError(this.strayText());
    onItem(line); // a broken line is that item's error, not the file's
  }

  /**
   * End of input. A single top-level object without `items` is itself the one item. Throws when
   * the text ended inside a value.
   */
  end(onItem: (itemText: string) => void): void {
    if (this.top === 'lines' && this.depth === 0 && !this.inString && this.itemStart < 0) {
      const last = this.buf.trim();
      // The last line may lack its newline; one that does not close its object was cut short.
      if (last !== '' && last.charCodeAt(last.length - 1) !== 125) throw new JsonSyntaxError('JSON text ended inside a value');
      this.line(last, onItem);
      this.buf = '';
      return;
    }
    if (this.inString || this.depth !== 0) throw new JsonSyntaxError('JSON text ended inside a value');
    if (this.top === 'unknown') throw new JsonSyntaxError('no JSON value');
    if (this.top === 'object' && this.keepTop && this.itemsDepth < 0 && !this.itemsDone) {
      onItem(this.topText.join('') + this.buf);
    }
    this.topText = [];
  }
}

class Parser {
  i = 0;
  constructor(private readonly s: string) {}

  ws(): void {
    const s = this.s;
    while (this.i < s.length) {
      const c = s.charCodeAt(this.i);
      if (c === 32 || c === 9 || c === 10 || c === 13) this.i++;
      else break;
    }
  }

  value(depth: number): JsonValue {
    if (depth > MAX_DEPTH) throw new JsonSyntaxError('JSON nested too deeply');
    const s = this.s;
    const c = s.charCodeAt(this.i);
    if (c === 34) return this.string();
    if (c === 123) {
      this.i++;
      const obj: { [key: string]: JsonValue } = {};
      this.ws();
      if (s.charCodeAt(this.i) === 125) {
        this.i++;
        return obj;
      }
      for (;;) {
        this.ws();
        if (s.charCodeAt(this.i) !== 34) throw new JsonSyntaxError(`expected a key at ${this.i}`);
        const key = this.string();
        this.ws();
        if (s.charCodeAt(this.i) !== 58) throw new JsonSyntaxError(`expected ":" at ${this.i}`);
        this.i++;
        this.ws();
        const v = this.value(depth + 1);
        if (key !== '__proto__') obj[key] = v;
        this.ws();
        const d = s.charCodeAt(this.i++);
        if (d === 125) return obj;
        if (d !== 44) throw new JsonSyntaxError(`expected "," or "}" at ${this.i - 1}`);
      }
    }
    if (c === 91) {
      this.i++;
      const arr: JsonValue[] = [];
      this.ws();
      if (s.charCodeAt(this.i) === 93) {
        this.i++;
        return arr;
      }
      for (;;) {
        this.ws();
        arr.push(this.value(depth + 1));
        this.ws();
        const d = s.charCodeAt(this.i++);
        if (d === 93) return arr;
        if (d !== 44) throw new JsonSyntaxError(`expected "," or "]" at ${this.i - 1}`);
      }
    }
    if (s.startsWith('true', this.i)) {
      this.i += 4;
      return true;
    }
    if (s.startsWith('false', this.i)) {
      this.i += 5;
      return false;
    }
    if (s.startsWith('null', this.i)) {
      this.i += 4;
      return null;
    }
    return new JsonNumber(this.number());
  }

  /** A JSON number's text (-?(0|[1-9]d*)(.d+)?([eE][+-]?d+)?), scanned without a regex (no match arrays per number). */
  number(): string {
    const s = this.s;
    const start = this.i;
    let i = start;
    const digit = (k: number): boolean => isDigit(s.charCodeAt(k));
    if (s.charCodeAt(i) === 45) i++;
    if (s.charCodeAt(i) === 48) i++;
    else if (digit(i)) while (digit(i)) i++;
    else throw new JsonSyntaxError(`unexpected character at ${start}`);
    if (s.charCodeAt(i) === 46) {
      if (!digit(i + 1)) throw new JsonSyntaxError(`unexpected character at ${i}`);
      i++;
      while (digit(i)) i++;
    }
    const e = s.charCodeAt(i);
    if (e === 101 || e === 69) {
      let k = i + 1;
      const sign = s.charCodeAt(k);
      if (sign === 43 || sign === 45) k++;
      if (digit(k)) {
        while (digit(k)) k++;
        i = k;
      }
    }
    this.i = i;
    return s.slice(start, i);
  }

  /**
   * An object read straight into flat path/value pairs (nested objects by dotted path to depth 3,
   * arrays of scalars joined by ";"), without building the value: no object, no JsonNumber, no walk per item.
   */
  flatObject(keys: string[], values: string[], path: string, depth: number): void {
    const s = this.s;
    this.i++;
    this.ws();
    if (s.charCodeAt(this.i) === 125) {
      this.i++;
      return;
    }
    for (;;) {
      this.ws();
      if (s.charCodeAt(this.i) !== 34) throw new JsonSyntaxError(`expected a key at ${this.i}`);
      const key = this.string();
      this.ws();
      if (s.charCodeAt(this.i) !== 58) throw new JsonSyntaxError(`expected ":" at ${this.i}`);
      this.i++;
      this.ws();
      const full = path ? `${path}.${key}` : key;
      const c = s.charCodeAt(this.i);
      const keep = key !== '__proto__';
      if (c === 123) {
        if (keep && depth + 1 <= 3) this.flatObject(keys, values, full, depth + 1);
        else this.value(depth + 1);
      } else if (c === 91) {
        const arr = this.value(depth + 1) as JsonValue[];
        if (keep && arr.every((x) => x === null || typeof x !== 'object' || x instanceof JsonNumber)) {
          keys.push(full);
          values.push(arr.map(scalarText).join(';'));
        }
      } else {
        const text = c === 34 ? this.string() : c === 116 || c === 102 || c === 110 ? scalarText(this.value(depth + 1)) : this.number();
        if (keep) {
          keys.push(full);
          values.push(text);
        }
      }
      this.ws();
      const d = s.charCodeAt(this.i++);
      if (d === 125) return;
      if (d !== 44) throw new JsonSyntaxError(`expected "," or "}" at ${this.i - 1}`);
    }
  }

  string(): string {
    const s = this.s;
    let out = '';
    let start = ++this.i;
    for (;;) {
      if (this.i >= s.length) throw new JsonSyntaxError('unterminated string');
      const c = s.charCodeAt(this.i);
      if (c === 34) {
        out += s.slice(start, this.i);
        this.i++;
        return out;
      }
      if (c < 32) throw new JsonSyntaxError(`control character in a string at ${this.i}`);
      if (c === 92) {
        out += s.slice(start, this.i);
        const e = s.charAt(this.i + 1);
        const simple: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };
        if (e === 'u') {
          const hex = s.slice(this.i + 2, this.i + 6);
          if (!/^[0-9a-fA-F]{4}$/.test(hex)) throw new JsonSyntaxError(`bad \\u escape at ${this.i}`);
          out += String.fromCharCode(parseInt(hex, 16));
          this.i += 6;
        } else if (simple[e] !== undefined) {
          out += simple[e];
          this.i += 2;
        } else throw new JsonSyntaxError(`bad escape at ${this.i}`);
        start = this.i;
        continue;
      }
      this.i++;
    }
  }
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

/** Parses one item (an object) straight to its flat path/value pairs, numbers as their text. */
export function parseFlatItem(text: string): FlatItem {
  const p = new Parser(text);
  p.ws();
  if (text.charCodeAt(p.i) !== 123) throw new JsonSyntaxError(`an item must be an object, found "${text.charAt(p.i)}" at ${p.i}`);
  const keys: string[] = [];
  const values: string[] = [];
  p.flatObject(keys, values, '', 0);
  p.ws();
  if (p.i !== text.length) throw new JsonSyntaxError(`unexpected text after the value at ${p.i}`);
  return { keys, values, raw: text };
}

function scalarText(v: JsonValue): string {
  if (v === null) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (v instanceof JsonNumber) return v.text;
  return '';
}
