import { FIELD_NAMES, FieldName, normalizeHeader } from './fields';
import { FormatDefinition } from './formats';
import { ImportErrorCode } from './import-error';

/** The chosen format and where each of our fields sits in this file's header. */
export interface ResolvedColumns {
  readonly format: FormatDefinition;
  /** Fields read from this file, in slot order. */
  readonly fields: readonly FieldName[];
  /** field -> slot in the per-row value array, -1 when the file lacks it. */
  readonly slot: Readonly<Record<FieldName, number>>;
  /** header column index -> slot, -1 for columns not read. */
  readonly slotOfColumn: Int32Array;
  /** field -> the file's header text. */
  readonly headerOf: Partial<Record<FieldName, string>>;
  readonly unknownColumns: readonly string[];
}

export type Detection =
  | { readonly ok: true; readonly resolved: ResolvedColumns }
  | { readonly ok: false; readonly code: ImportErrorCode; readonly column?: string; readonly reason: string };

function signatureMatches(format: FormatDefinition, present: ReadonlySet<string>): boolean {
  return format.signature.some((group) => group.every((name) => present.has(normalizeHeader(name))));
}

function recognised(format: FormatDefinition, present: ReadonlySet<string>): number {
  const known = new Set<string>();
  for (const names of Object.values(format.columns)) for (const n of names ?? []) known.add(normalizeHeader(n));
  for (const n of format.ignored ?? []) known.add(normalizeHeader(n));
  let count = 0;
  for (const p of present) if (known.has(p)) count++;
  return count;
}

/**
 * Picks the format for a header: by objectType when the JSON says it, else every format whose
 * signature matches, preferring the one that recognises most columns (ties: list order).
 */
export function detectFormat(
  header: readonly string[],
  formats: readonly FormatDefinition[],
  hint: {
    readonly objectType?: string;
    readonly forced?: string;
    /**
     * Pick the format without checking its required columns: the header is one JSON item's keys,
     * which leave out the properties that are null on that item (the caller checks the columns the
     * format reads, and each item's values are checked as it is read).
     */
    readonly skipRequired?: boolean;
  } = {},
): Detection {
  const normalized = header.map(normalizeHeader);
  const present = new Set(normalized.filter((h) => h !== ''));
  let candidates: FormatDefinition[];
  if (hint.forced !== undefined) {
    candidates = formats.filter((f) => f.id === hint.forced);
    if (candidates.length === 0) return { ok: false, code: 'unknown-header-set', reason: `no format or profile named "${hint.forced}"` };
  } else if (hint.objectType !== undefined && hint.objectType !== '') {
    const type = hint.objectType.toLowerCase();
    candidates = formats.filter((f) => (f.objectTypes ?? []).some((t) => t.toLowerCase() === type));
    if (candidates.length === 0) {
      return {
        ok: false,
        code: 'unknown-header-set',
        column: 'attributes.objectType',
        reason: `Partner Center object type "${hint.objectType}" is not a bill line item this importer reads`,
      };
    }
  } else {
    candidates = formats.filter((f) => signatureMatches(f, present));
    if (candidates.length === 0) {
      const shown = header.slice(0, 12).join(', ') + (header.length > 12 ? ', …' : '');
      return { ok: false, code: 'unknown-header-set', reason: `the header (${shown}) matches no known bill format or distributor profile` };
    }
  }
  let best = candidates[0] as FormatDefinition;
  let bestScore = recognised(best, present);
  for (const f of candidates.slice(1)) {
    const score = recognised(f, present);
    if (score > bestScore) {
      best = f;
      bestScore = score;
    }
  }
  return resolveColumns(best, header, normalized, hint.skipRequired === true);
}

export function resolveColumns(format: FormatDefinition, header: readonly string[], normalized = header.map(normalizeHeader), skipRequired = false): Detection {
  const indexOf = new Map<string, number>();
  normalized.forEach((h, i) => {
    if (h !== '' && !indexOf.has(h)) indexOf.set(h, i);
  });
  const fields: FieldName[] = [];
  const slot = {} as Record<FieldName, number>;
  for (const f of FIELD_NAMES) slot[f] = -1;
  const headerOf: Partial<Record<FieldName, string>> = {};
  const slotOfColumn = new Int32Array(header.length).fill(-1);
  for (const [field, names] of Object.entries(format.columns) as [FieldName, readonly string[]][]) {
    for (const name of names) {
      const idx = indexOf.get(normalizeHeader(name));
      if (idx !== undefined && slotOfColumn[idx] === -1) {
        slot[field] = fields.length;
        slotOfColumn[idx] = fields.length;
        fields.push(field);
        headerOf[field] = header[idx] as string;
        break;
      }
    }
  }
  for (const req of skipRequired ? [] : format.required) {
    const group = typeof req === 'string' ? [req] : req;
    if (!group.some((f) => slot[f] >= 0)) {
      const names = group.map((f) => format.columns[f]?.[0] ?? f);
      return {
        ok: false,
        code: 'missing-required-column',
        column: names.join(' or '),
        reason: `${format.label}: required column ${names.join(' or ')} is missing`,
      };
    }
  }
  const ignored = new Set((format.ignored ?? []).map(normalizeHeader));
  const unknownColumns = header.filter(
    (h, i) => slotOfColumn[i] === -1 && normalized[i] !== '' && !ignored.has(normalized[i] as string) && !isAliasOfUsed(format, normalized[i] as string),
  );
  return { ok: true, resolved: { format, fields, slot, slotOfColumn, headerOf, unknownColumns } };
}

function isAliasOfUsed(format: FormatDefinition, normalized: string): boolean {
  return Object.values(format.columns).some((names) => (names ?? []).some((n) => normalizeHeader(n) === normalized));
}
