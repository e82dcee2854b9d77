import { DataverseError, type EntityRecord } from '../client/types';

/**
 * The alternate-key values a record carries, for addressing it by key (UpsertMultiple's
 * `@odata.id`, an upsert's URL). A key column that is a lookup is read from `_x_value` or from
 * its `Schema@odata.bind` reference and named `_x_value`, as the Web API addresses it.
 */
export type KeyValues = Record<string, string | number | boolean | null>;

const GUID_IN_REF = /\(([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\)\s*$/i;

export function keyFromRecord(keyColumns: readonly string[], record: EntityRecord): KeyValues {
  const out: KeyValues = {};
  for (const column of keyColumns) {
    const direct = record[column];
    if (direct !== undefined) {
      out[column] = scalar(column, direct);
      continue;
    }
    const lookupProp = `_${column}_value`;
    if (record[lookupProp] !== undefined) {
      out[lookupProp] = scalar(lookupProp, record[lookupProp]);
      continue;
    }
    const bind = Object.keys(record).find((k) => k.endsWith('@odata.bind') && k.slice(0, -'@odata.bind'.length).toLowerCase() === column);
    const ref = bind === undefined ? undefined : record[bind];
    const guid = typeof ref === 'string' ? GUID_IN_REF.exec(ref)?.[1] : undefined;
    if (guid) {
      out[lookupProp] = guid.toLowerCase();
      continue;
    }
    throw new DataverseError(`The record has no value for the key column '${column}': ${JSON.stringify(record).slice(0, 200)}`, 400, '0x80060888');
  }
  return out;
}

/** As the client interface's RecordKey (strings and numbers): an empty key part cannot address a row. */
export function asRecordKey(key: KeyValues): Record<string, string | number> {
  const out: Record<string, string | number> = {};
  for (const [name, value] of Object.entries(key)) {
    if (typeof value !== 'string' && typeof value !== 'number')
      throw new DataverseError(`Key column '${name}' is ${JSON.stringify(value)}: a key needs a string or number value.`, 400, '0x80060888');
    out[name] = value;
  }
  return out;
}

function scalar(name: string, value: unknown): string | number | boolean | null {
  if (value === null || typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value;
  throw new DataverseError(`Key column '${name}' must hold a string, number or boolean, not ${JSON.stringify(value)}.`, 400, '0x80060888');
}

/**
 * `set(col='v',_lookup_value=<guid>,n=3)`: lookups' GUIDs bare, strings quoted with '' escaping.
 * `encode` percent-encodes the values for use in a URL path (not in a JSON `@odata.id`).
 */
export function keyPath(entitySet: string, key: string | KeyValues, encode = false): string {
  if (typeof key === 'string') return `${entitySet}(${key})`;
  const enc = (s: string) => (encode ? encodeURIComponent(s) : s);
  const parts = Object.entries(key).map(([name, value]) => {
    if (typeof value === 'string') {
      const bareGuid = name.startsWith('_') && name.endsWith('_value') && /^[0-9a-f-]{36}$/i.test(value);
      return `${name}=${bareGuid ? value : `'${enc(value.replace(/'/g, "''"))}'`}`;
    }
    return `${name}=${String(value)}`;
  });
  return `${entitySet}(${parts.join(',')})`;
}
