import { FIELD_NAMES, FieldName, isFieldName } from './fields';
import { FormatDefinition } from './formats';
import { ImportError } from './import-error';

/**
 * Distributor column profiles: JSON documents that map a distributor's export headers to our
 * fields, so a partner can add Ingram Micro or any other export without code. A profile is data
 * loaded by the caller (file picker, config table, JSON file) and checked here; the result is the
 * same FormatDefinition the Microsoft formats use.
 *
 * {
 *   "profile": 1,
 *   "id": "pax8",                       // lower-case letters, digits and dashes
 *   "name": "Pax8 invoice export",
 *   "shape": "line" | "daily",          // one to one, or aggregated daily usage
 *   "dateOrder": "mdy" | "dmy",         // optional, for slash dates; default mdy
 *   "signature": [["Pax8 Invoice Id", "Pax8 Sku"]],   // header groups that identify the file
 *   "columns": { "subscriptionId": ["Subscription Id"], "subtotal": ["Total"], ... },
 *   "required": ["subscriptionId", ["subtotal", "total"]],
 *   "ignored": ["Notes"],               // optional: known columns not read
 *   "sources": { "subtotal": "documented" | "assumed" }   // optional provenance, shown in docs
 * }
 */
export interface ColumnProfileJson {
  readonly profile: 1;
  readonly id: string;
  readonly name: string;
  readonly shape: 'line' | 'daily';
  readonly dateOrder?: 'mdy' | 'dmy';
  readonly signature: readonly (readonly string[])[];
  readonly columns: Readonly<Partial<Record<FieldName, readonly string[]>>>;
  readonly required: readonly (FieldName | readonly FieldName[])[];
  readonly ignored?: readonly string[];
  readonly sources?: Readonly<Record<string, string>>;
  readonly notes?: string;
}

/** Fields a profile must map for its shape to produce lines. */
const NEEDED: Record<'line' | 'daily', readonly (FieldName | readonly FieldName[])[]> = {
  line: ['chargeStartDate', 'chargeEndDate', ['quantity', 'billableQuantity'], ['subtotal', 'total']],
  daily: ['subscriptionId', 'meterId', 'chargeStartDate', 'chargeEndDate', 'usageDate', 'quantity'],
};

/** Validates a parsed JSON profile; throws ImportError('bad-profile') naming every problem. */
export function parseColumnProfile(json: unknown, fileName?: string): FormatDefinition {
  const problems: string[] = [];
  const o = (json ?? {}) as Record<string, unknown>;
  if (typeof json !== 'object' || json === null || Array.isArray(json)) problems.push('a profile is a JSON object');
  if (o.profile !== 1) problems.push('"profile" must be 1 (the profile format version)');
  const id = o.id;
  if (typeof id !== 'string' || !/^[a-z0-9][a-z0-9-]{0,62}$/.test(id)) problems.push('"id" must be lower-case letters, digits and dashes');
  if (typeof o.name !== 'string' || o.name.trim() === '') problems.push('"name" must be a non-empty string');
  if (o.shape !== 'line' && o.shape !== 'daily') problems.push('"shape" must be "line" or "daily"');
  if (o.dateOrder !== undefined && o.dateOrder !== 'mdy' && o.dateOrder !== 'dmy') problems.push('"dateOrder" must be "mdy" or "dmy"');
  const isNames = (v: unknown): v is string[] => Array.isArray(v) && v.length > 0 && v.every((s) => typeof s === 'string' && s.trim() !== '');
  const columns: Partial<Record<FieldName, string[]>> = {};
  if (typeof o.columns !== 'object' || o.columns === null || Array.isArray(o.columns))
    problems.push('"columns" must map our field names to arrays of header names');
  else {
    for (const [field, names] of Object.entries(o.columns as Record<string, unknown>)) {
      if (!isFieldName(field)) problems.push(`"columns": unknown field "${field}" (known: ${FIELD_NAMES.join(', ')})`);
      else if (!isNames(names)) problems.push(`"columns.${field}" must be a non-empty array of header names`);
      else columns[field] = names;
    }
  }
  const signature = o.signature;
  if (!Array.isArray(signature) || signature.length === 0 || !signature.every(isNames))
    problems.push('"signature" must be a non-empty array of non-empty arrays of header names');
  const required: (FieldName | FieldName[])[] = [];
  if (!Array.isArray(o.required)) problems.push('"required" must be an array of field names (or arrays of alternatives)');
  else {
    for (const r of o.required as unknown[]) {
      const group = typeof r === 'string' ? [r] : Array.isArray(r) ? r : null;
      if (group === null || group.length === 0 || !group.every((f) => typeof f === 'string' && isFieldName(f)))
        problems.push(`"required": ${JSON.stringify(r)} is not a field name or a list of them`);
      else if (!group.some((f) => columns[f as FieldName] !== undefined)) problems.push(`"required": ${JSON.stringify(r)} has no column in "columns"`);
      else required.push(typeof r === 'string' ? (r as FieldName) : (group as FieldName[]));
    }
  }
  if (o.shape === 'line' || o.shape === 'daily') {
    for (const need of NEEDED[o.shape]) {
      const group = typeof need === 'string' ? [need] : need;
      if (!group.some((f) => columns[f] !== undefined)) problems.push(`a "${o.shape}" profile must map ${group.join(' or ')}`);
    }
  }
  if (o.ignored !== undefined && !(Array.isArray(o.ignored) && o.ignored.every((s) => typeof s === 'string')))
    problems.push('"ignored" must be an array of header names');
  if (problems.length > 0) {
    throw new ImportError({ code: 'bad-profile', file: fileName, row: 0, reason: `invalid column profile: ${problems.join('; ')}` });
  }
  return {
    id: `profile:${id as string}`,
    label: o.name as string,
    shape: o.shape as 'line' | 'daily',
    columns,
    required,
    signature: signature as string[][],
    ignored: (o.ignored as string[] | undefined) ?? [],
    dateOrder: (o.dateOrder as 'mdy' | 'dmy' | undefined) ?? 'mdy',
  };
}
