import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CellValue, SourceRecord } from '../../pcf-controls/ReconciliationGrid/model/rows';

/** The English strings of a control's resx, as context.resources.getString would return them. */
export function resxStrings(control: string): (key: string) => string {
  const xml = readFileSync(join(__dirname, '../../pcf-controls', control, 'strings', `${control}.1033.resx`), 'utf8');
  const map = new Map<string, string>();
  for (const m of xml.matchAll(/<data name="([^"]+)"[^>]*><value>([\s\S]*?)<\/value><\/data>/g)) {
    map.set(m[1]!, m[2]!.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&'));
  }
  return (key) => {
    const value = map.get(key);
    if (value === undefined) throw new Error(`resx ${control} has no string ${key}`);
    return value;
  };
}

/** Records from plain objects: { column: value } (raw), formatted as the text of the value. */
export function records(
  rows: readonly Record<string, unknown>[],
  formatted: (column: string, raw: unknown) => string = (_, raw) => (raw === null || raw === undefined ? '' : String(raw)),
): SourceRecord[] {
  return rows.map((row, i) => ({
    id: String(row['id'] ?? `r${i + 1}`),
    get: (column: string): CellValue => ({ raw: row[column] ?? null, formatted: formatted(column, row[column]) }),
  }));
}
