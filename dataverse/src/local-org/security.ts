import { XMLParser } from 'fast-xml-parser';
import { DataverseError, type EntityRecord } from '../client/types';
import type { OrgMetadata, TableMeta } from './metadata';

/**
 * Security roles as the solution ships them (the <Role> elements of customizations.xml), enforced
 * for the calling user as Dataverse enforces them
 * ("Security concepts in Microsoft Dataverse", learn.microsoft.com/power-platform/admin/wp-security-cds;
 * "Impersonate another user using the Web API", learn.microsoft.com/power-apps/developer/data-platform/webapi/impersonate-another-user-web-api):
 * Create, Read, Write, Delete on a table; Append on the row that gets a lookup and AppendTo on the
 * row it points at; Read on Currency (prvReadTransactionCurrency) to read or write a row with
 * amounts, whose Currency lookup the platform resolves. A call without a user is the system's (the
 * local org's own tools and its in-process plug-ins); a caller is named with the MSCRMCallerID header
 * over HTTP or with `org.as(userId)`.
 *
 * Depth: every Read, Write, Delete, Append and AppendTo the shipped roles grant is Local or Global,
 * which in the local org's one business unit reach every row; Basic appears only on Create, where the
 * new row is the caller's own either way.
 */
export type Right = 'Create' | 'Read' | 'Write' | 'Delete' | 'Append' | 'AppendTo';

export interface OrgUser {
  readonly id: string;
  readonly name: string;
  readonly roles: readonly string[];
}

export interface Caller extends OrgUser {
  readonly privileges: ReadonlySet<string>;
}

/** Role name -> privilege names, from the <Roles> of a customizations.xml. */
export function rolesFromCustomizations(xml: string): Map<string, Set<string>> {
  const doc = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@', isArray: (name) => name === 'Role' || name === 'RolePrivilege' }).parse(
    xml,
  ) as {
    ImportExportXml?: { Roles?: { Role?: Array<{ '@name'?: string; RolePrivileges?: { RolePrivilege?: Array<{ '@name'?: string }> } }> } };
  };
  const roles = new Map<string, Set<string>>();
  for (const role of doc.ImportExportXml?.Roles?.Role ?? []) {
    if (!role['@name']) continue;
    roles.set(role['@name'], new Set((role.RolePrivileges?.RolePrivilege ?? []).map((p) => p['@name'] ?? '').filter(Boolean)));
  }
  return roles;
}

export const privilegeOf = (right: Right, meta: TableMeta): string => `prv${right}${meta.schemaName}`;

/** "Principal user ... is missing prv... privilege": Dataverse's 403 for a missing privilege (0x80040220). */
export function missingPrivilege(caller: Caller, privilege: string): DataverseError {
  return new DataverseError(
    `Principal user (Id=${caller.id}, type=8, roles=${caller.roles.join(', ') || 'none'}) is missing ${privilege} privilege.`,
    403,
    '0x80040220',
  );
}

export function demand(caller: Caller | undefined, privilege: string): void {
  if (caller && !caller.privileges.has(privilege)) throw missingPrivilege(caller, privilege);
}

const CURRENCY_READ = 'prvReadTransactionCurrency';

/** Read of a table (and of Currency when its rows carry amounts). */
export function demandRead(caller: Caller | undefined, meta: TableMeta): void {
  demand(caller, privilegeOf('Read', meta));
  if (meta.columns.has('transactioncurrencyid')) demand(caller, CURRENCY_READ);
}

/**
 * A create or update of `meta` with `body`: the right itself, Read on Currency for a row with
 * amounts, and Append/AppendTo for each lookup the body binds.
 */
export function demandWrite(caller: Caller | undefined, right: 'Create' | 'Write', meta: TableMeta, body: EntityRecord, metadata: OrgMetadata): void {
  if (!caller) return;
  demand(caller, privilegeOf(right, meta));
  if (meta.columns.has('transactioncurrencyid')) demand(caller, CURRENCY_READ);
  for (const key of Object.keys(body)) {
    if (!key.endsWith('@odata.bind') || body[key] === null) continue;
    const column = meta.navigation.get(key.slice(0, -'@odata.bind'.length));
    if (!column) continue; // the write itself refuses an unknown navigation property
    const target = metadata.tryByLogical(column.target);
    // Currency is the platform's: binding it takes Read on Currency (above), not Append rights.
    if (!target || column.logicalName === 'transactioncurrencyid') continue;
    demand(caller, privilegeOf('Append', meta));
    demand(caller, privilegeOf('AppendTo', target));
  }
}
