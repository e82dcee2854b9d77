import type { RecordKey } from '../client/types';
import { badRequest } from './errors';

/**
 * Parsing of record references as the Web API writes them: `accounts(<guid>)`,
 * `accounts(accountid=<guid>)`, `cspb_billinglines(cspb_linekey='A''1')`,
 * `cspb_discrepancies(_cspb_runid_value=<guid>,cspb_discrepancykey='x')`, absolute or relative.
 */
export const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export type KeyValue = string | number | boolean | null;
export type ParsedKey = string | Record<string, KeyValue>;

export interface RecordRef {
  readonly entitySet: string;
  readonly key: ParsedKey;
}

/** The text inside `set(...)`: a bare guid, or `name=value` pairs separated by commas. */
export function parseKeySegment(inner: string): ParsedKey {
  const text = inner.trim();
  if (GUID.test(text)) return text.toLowerCase();
  const braced = /^\{(.*)\}$/.exec(text);
  if (braced && GUID.test(braced[1]!)) return braced[1]!.toLowerCase();
  const pairs: Record<string, KeyValue> = {};
  let i = 0;
  while (i < text.length) {
    const eq = text.indexOf('=', i);
    if (eq < 0) throw badRequest(`Bad key '${inner}': expected name=value pairs.`);
    const name = text.slice(i, eq).trim();
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) throw badRequest(`Bad key '${inner}': '${name}' is not a property name.`);
    i = eq + 1;
    let value: KeyValue;
    if (text[i] === "'") {
      let out = '';
      i++;
      for (;;) {
        if (i >= text.length) throw badRequest(`Bad key '${inner}': unterminated string.`);
        if (text[i] === "'") {
          if (text[i + 1] === "'") {
            out += "'";
            i += 2;
            continue;
          }
          i++;
          break;
        }
        out += text[i];
        i++;
      }
      value = out;
    } else {
      const end = text.indexOf(',', i);
      const raw = (end < 0 ? text.slice(i) : text.slice(i, end)).trim();
      i = end < 0 ? text.length : end;
      value = raw === 'null' ? null : raw === 'true' ? true : raw === 'false' ? false : GUID.test(raw) ? raw.toLowerCase() : numberOrFail(raw, inner);
    }
    if (name in pairs) throw badRequest(`Bad key '${inner}': '${name}' given twice.`);
    pairs[name] = value;
    while (text[i] === ' ') i++;
    if (i < text.length) {
      if (text[i] !== ',') throw badRequest(`Bad key '${inner}': expected ',' after ${name}.`);
      i++;
    }
  }
  return pairs;
}

function numberOrFail(raw: string, inner: string): number {
  if (!/^-?\d+(\.\d+)?$/.test(raw)) throw badRequest(`Bad key '${inner}': '${raw}' is not a literal (quote strings).`);
  return Number(raw);
}

/**
 * `http://host/api/data/v9.2/accounts(…)`, `/accounts(…)` or `accounts(…)` -> set and key.
 * Returns undefined when the text is not a single record reference.
 */
export function parseRecordRef(ref: string): RecordRef | undefined {
  let path = ref.trim();
  const api = /\/api\/data\/v\d+\.\d+\//.exec(path);
  if (api) path = path.slice(api.index + api[0].length);
  path = path.replace(/^\/+/, '');
  const match = /^([A-Za-z_][A-Za-z0-9_]*)\((.*)\)$/.exec(path);
  if (!match) return undefined;
  return { entitySet: match[1]!, key: parseKeySegment(match[2]!) };
}

/** A caller's RecordKey as a parsed key (guids lower-cased). */
export function fromRecordKey(key: RecordKey): ParsedKey {
  if (typeof key === 'string') {
    if (!GUID.test(key)) throw badRequest(`'${key}' is not a GUID; pass an object for an alternate key.`);
    return key.toLowerCase();
  }
  return { ...key };
}

export function describeKey(key: ParsedKey): string {
  if (typeof key === 'string') return key;
  return Object.entries(key)
    .map(([k, v]) => `${k}=${typeof v === 'string' ? `'${v}'` : String(v)}`)
    .join(',');
}
