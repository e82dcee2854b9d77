import { tables } from '../schema';

/**
 * A text column's length as the schema declares it (the one source the solution ships), so a run
 * clips a name or an explanation to what Dataverse will take, never to a number typed in a handler.
 */
export function maxLengthOf(table: string, column: string): number {
  const def = tables.find((t) => t.logicalName === table)?.columns.find((c) => c.logicalName === column);
  if (!def || (def.type !== 'text' && def.type !== 'memo')) throw new Error(`${table}.${column} is not a text column of the schema`);
  return def.maxLength;
}

/** The text cut to its column's length; empty or missing is null. */
export function clipTo(table: string, column: string, value: string | undefined | null): string | null {
  if (value === undefined || value === null || value === '') return null;
  return value.slice(0, maxLengthOf(table, column));
}
