import type { TableDef } from '../schema/types';
/** Errors and choice maps at the Web API boundary that need no decimal arithmetic. */
export class MappingError extends Error {
  constructor(
    message: string,
    readonly column: string,
    readonly value: unknown,
  ) {
    super(`${column}: ${message} (value: ${JSON.stringify(value)})`);
    this.name = 'MappingError';
  }
}

/**
 * A two-way map between a core union and a Dataverse choice's option values, built from the
 * generated `<Choice>Keys` pairs (each option's core key, from the schema): a renamed option or a
 * value the map lacks throws, naming the column, never maps silently. Free of decimal.js, so form
 * bundles and PCF controls use it too.
 */
/** A choice value's label as the schema (and so the solution's option set) writes it. */
export function choiceLabel(table: TableDef, column: string, value: number): string | undefined {
  const def = table.columns.find((c) => c.logicalName === column);
  return def?.type === 'choice' ? def.options.find((o) => o.value === value)?.label : undefined;
}

export function choiceMap<Core extends string, Value extends number>(pairs: ReadonlyArray<readonly [Core, Value]>, column: string) {
  const toValue = new Map<Core, Value>(pairs);
  const toCore = new Map<number, Core>(pairs.map(([c, v]) => [v, c]));
  return {
    toWebApi(core: Core | undefined): Value | null {
      if (core === undefined) return null;
      const value = toValue.get(core);
      if (value === undefined) throw new MappingError('no option for this value', column, core);
      return value;
    },
    /** `where` names the row's column ("cspb_invoiceline <id>.cspb_linetype") in the error; the column alone by default. */
    fromWebApi(value: unknown, where: string = column): Core | undefined {
      if (value === null || value === undefined) return undefined;
      const core = typeof value === 'number' ? toCore.get(value) : undefined;
      if (core === undefined) throw new MappingError('not an option of this choice', where, value);
      return core;
    },
  };
}
