import { badRequest } from '../errors';
import type { TableMeta } from '../metadata';

export type PropertyKind = 'string' | 'number' | 'boolean';

/** Properties a row of `meta` carries on read: primary id, columns (lookups as `_x_value`), system columns. */
export function readableProperties(meta: TableMeta): string[] {
  return [meta.primaryId, ...meta.readColumns.keys(), 'createdon', 'modifiedon', 'versionnumber'];
}

/** The JSON type of a readable property; an unknown name is the Web API's 400. */
export function propertyKind(meta: TableMeta, prop: string): PropertyKind {
  if (prop === meta.primaryId || prop === 'createdon' || prop === 'modifiedon') return 'string';
  if (prop === 'versionnumber') return 'number';
  const column = meta.readColumns.get(prop);
  if (!column) {
    const nav = meta.navigation.get(prop) ?? meta.columns.get(prop);
    const hint = nav?.type === 'lookup' ? ` Use the lookup property '_${nav.logicalName}_value'.` : '';
    throw badRequest(`Could not find a property named '${prop}' on type 'Microsoft.Dynamics.CRM.${meta.logicalName}'.${hint}`);
  }
  switch (column.type) {
    case 'wholeNumber':
    case 'decimal':
    case 'money':
    case 'choice':
      return 'number';
    case 'boolean':
      return 'boolean';
    default:
      return 'string';
  }
}
