import type { EntityRecord } from '../client/types';
import type { ColumnDef, LookupColumn } from '../schema';
import { badRequest, ErrorCodes, validation } from './errors';
import { GUID } from './keys';
import { readNameOf, SYSTEM_COLUMNS, type TableMeta } from './metadata';

/**
 * Column values as Dataverse checks them on write. Amounts and decimals stay the JSON numbers
 * they arrived as: the org only compares them with the column's range, never computes with them.
 */

/** Dataverse Money range (the SQL money type the column maps to). */
const MONEY_LIMIT = 922_337_203_685_477;

export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

const DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** 'YYYY-MM-DD' naming a real calendar day; no Date object, so no time zone can shift it. */
export function isDateOnly(text: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!m) return false;
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  if (month < 1 || month > 12 || day < 1) return false;
  const max = month === 2 && isLeapYear(year) ? 29 : DAYS[month - 1]!;
  return day <= max;
}

/** Throws the Dataverse validation error when `value` cannot be stored in `column`. */
export function checkValue(meta: TableMeta, column: ColumnDef, value: unknown): void {
  const where = `'${column.logicalName}' attribute of the '${meta.logicalName}' entity`;
  if (value === null) return;
  switch (column.type) {
    case 'text':
    case 'memo':
      if (typeof value !== 'string') throw validation(`A validation error occurred. The value of the ${where} must be a string, not ${JSON.stringify(value)}.`);
      if (value.length > column.maxLength)
        throw validation(`A validation error occurred. The length of the ${where} exceeded the maximum allowed length of '${column.maxLength}'.`);
      return;
    case 'wholeNumber':
      if (typeof value !== 'number' || !Number.isInteger(value))
        throw validation(`A validation error occurred. The value of the ${where} must be a whole number, not ${JSON.stringify(value)}.`);
      if (value < column.min || value > column.max)
        throw validation(`A validation error occurred. The value ${value} of the ${where} is outside the valid range (${column.min} to ${column.max}).`);
      return;
    case 'decimal':
      if (typeof value !== 'number' || !Number.isFinite(value))
        throw validation(`A validation error occurred. The value of the ${where} must be a number, not ${JSON.stringify(value)}.`);
      if (value < column.min || value > column.max)
        throw validation(`A validation error occurred. The value ${value} of the ${where} is outside the valid range (${column.min} to ${column.max}).`);
      return;
    case 'money':
      if (typeof value !== 'number' || !Number.isFinite(value))
        throw validation(`A validation error occurred. The value of the ${where} must be a number, not ${JSON.stringify(value)}.`);
      if (value < -MONEY_LIMIT || value > MONEY_LIMIT)
        throw validation(`A validation error occurred. The value ${value} of the ${where} is outside the valid range.`);
      return;
    case 'boolean':
      if (typeof value !== 'boolean')
        throw validation(`A validation error occurred. The value of the ${where} must be true or false, not ${JSON.stringify(value)}.`);
      return;
    case 'choice':
      if (typeof value !== 'number' || !column.options.some((o) => o.value === value))
        throw validation(
          `A validation error occurred. The value ${JSON.stringify(value)} of the ${where} is outside the valid range. Accepted values: ${column.options.map((o) => o.value).join(', ')}.`,
          ErrorCodes.optionOutOfRange,
        );
      return;
    case 'dateOnly':
      if (typeof value !== 'string' || !isDateOnly(value))
        throw validation(`A validation error occurred. The value of the ${where} must be a date 'YYYY-MM-DD', not ${JSON.stringify(value)}.`);
      return;
    case 'lookup':
      if (typeof value !== 'string' || !GUID.test(value))
        throw validation(`A validation error occurred. The value of the ${where} must be a GUID, not ${JSON.stringify(value)}.`);
      return;
  }
}

/** Keys of a write body that carry no column value. */
function isAnnotationOnly(key: string): boolean {
  return key.startsWith('@') || (key.includes('@') && !key.endsWith('@odata.bind'));
}

export interface NormalizedWrite {
  /** Primary id given in the body, if any. */
  readonly id?: string;
  /** Column values under their read names (`_x_value` for lookups). */
  readonly changes: Record<string, unknown>;
  /** Lookups to resolve: read name -> reference text (`accounts(<guid>)`), or null to clear. */
  readonly binds: Record<string, { readonly column: LookupColumn; readonly ref: string | null }>;
}

/**
 * A Web API write body -> column changes. Lookups must come as `Schema@odata.bind` (as the Web
 * API requires); `_x_value` properties are read-only there and refused with a hint.
 */
export function normalizeWrite(meta: TableMeta, body: EntityRecord): NormalizedWrite {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) throw badRequest(`The body of a ${meta.logicalName} write must be a JSON object.`);
  const changes: Record<string, unknown> = {};
  const binds: Record<string, { column: LookupColumn; ref: string | null }> = {};
  let id: string | undefined;
  for (const [key, value] of Object.entries(body)) {
    if (key.endsWith('@odata.bind')) {
      const nav = key.slice(0, -'@odata.bind'.length);
      const column = meta.navigation.get(nav);
      if (!column) {
        const near = [...meta.navigation.keys()].find((n) => n.toLowerCase() === nav.toLowerCase());
        throw badRequest(
          `An undeclared property '${nav}' which only has property annotations in the payload but no property value was found in the payload for type 'Microsoft.Dynamics.CRM.${meta.logicalName}'.${near ? ` Navigation properties are case-sensitive: use '${near}'.` : ''}`,
        );
      }
      if (value !== null && typeof value !== 'string') throw badRequest(`${key} must be a record reference such as '${column.targetEntitySet}(<guid>)'.`);
      binds[readNameOf(column)] = { column, ref: value };
      continue;
    }
    if (isAnnotationOnly(key)) continue;
    if (key === meta.primaryId) {
      if (typeof value !== 'string' || !GUID.test(value)) throw badRequest(`${meta.primaryId} must be a GUID, not ${JSON.stringify(value)}.`);
      id = value.toLowerCase();
      continue;
    }
    if ((SYSTEM_COLUMNS as readonly string[]).includes(key)) throw badRequest(`'${key}' is set by the platform and cannot be written on ${meta.logicalName}.`);
    const readColumn = meta.readColumns.get(key);
    if (readColumn?.type === 'lookup')
      throw badRequest(`'${key}' is read-only: set the lookup with "${readColumn.navigationProperty}@odata.bind": "${readColumn.targetEntitySet}(<guid>)".`);
    const column = meta.columns.get(key);
    if (!column) throw badRequest(`Invalid property '${key}' was found in entity 'Microsoft.Dynamics.CRM.${meta.logicalName}'.`);
    if (column.readOnly)
      throw badRequest(
        `'${key}' of ${meta.logicalName} is computed by the platform (exchange rate, base-currency amount) and cannot be written; set the row's currency with "transactioncurrencyid@odata.bind".`,
      );
    checkValue(meta, column, value);
    changes[key] = value;
  }
  return { ...(id === undefined ? {} : { id }), changes, binds };
}

/** Required columns must hold a value once the write is applied (Create: all of them). */
export function checkRequired(meta: TableMeta, row: Record<string, unknown>): void {
  for (const column of meta.columns.values()) {
    if (column.required !== 'required') continue;
    const v = row[readNameOf(column)];
    if (v === null || v === undefined || v === '')
      throw validation(`A validation error occurred. The '${column.logicalName}' attribute of the '${meta.logicalName}' entity is required and has no value.`);
  }
}

/** Defaults the schema declares (choices and yes/no columns) for a new row. */
export function defaults(meta: TableMeta): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const column of meta.columns.values()) {
    if (column.type === 'choice' && column.defaultValue !== undefined) out[column.logicalName] = column.defaultValue;
    if (column.type === 'boolean') out[column.logicalName] = column.defaultValue;
  }
  return out;
}
