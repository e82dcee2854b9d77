import { extensions, tables } from '../../dataverse/src/schema';
import { bracedGuid } from '../../dataverse/src/codegen/stable-guid';
import { el, leaf, type XmlElement } from '../../dataverse/src/codegen/xml';

/**
 * Security roles, least privilege. Privilege names are Dataverse's: prv<Right><Table schema name>
 * (e.g. prvReadcspb_Subscription, prvReadAccount), with depth Basic (user), Local (business unit),
 * Deep (unit and children) or Global (organisation). Shape: `<Role id name>` with IsCustomizable and
 * RolePrivileges, as in microsoft/coe-starter-kit's Roles/*.xml (see tests/solution/reference-exports).
 */
export type Right = 'Create' | 'Read' | 'Write' | 'Delete' | 'Append' | 'AppendTo' | 'Assign' | 'Share';
export type Depth = 'Basic' | 'Local' | 'Deep' | 'Global';
export const ALL_RIGHTS: readonly Right[] = ['Create', 'Read', 'Write', 'Delete', 'Append', 'AppendTo', 'Assign', 'Share'];

export interface RoleDef {
  readonly key: string;
  readonly name: string;
  /** Table logical name -> right -> depth. */
  readonly tables: Readonly<Record<string, Partial<Record<Right, Depth>>>>;
  /** Privileges on platform tables (environment variables...), by full privilege name. */
  readonly platform: Readonly<Record<string, Depth>>;
}

const schemaNameOf = (logicalName: string): string => {
  const found = [...tables, ...extensions].find((t) => t.logicalName === logicalName);
  if (!found) throw new Error(`no table ${logicalName}`);
  return found.schemaName;
};

export const privilegeName = (right: Right, table: string): string => `prv${right}${schemaNameOf(table)}`;

const READ_SETTINGS = { prvReadEnvironmentVariableDefinition: 'Global', prvReadEnvironmentVariableValue: 'Global' } as const;

const FINANCE_TABLES = ['cspb_billingimport', 'cspb_billingline', 'cspb_reconciliationrun', 'cspb_discrepancy', 'cspb_invoicerun', 'cspb_invoice', 'cspb_invoiceline'];

export const ROLES: readonly RoleDef[] = [
  {
    key: 'sales',
    name: 'CSP Sales',
    tables: {
      account: { Read: 'Local', AppendTo: 'Local' },
      cspb_offer: { Read: 'Global', AppendTo: 'Global' },
      cspb_billingcontract: { Read: 'Local', AppendTo: 'Local' },
      cspb_subscription: { Create: 'Basic', Read: 'Local', Write: 'Local', Append: 'Local', AppendTo: 'Local' },
      // The ledger is append-only: create and read, never write or delete.
      cspb_subscriptionchange: { Create: 'Basic', Read: 'Local', Append: 'Local' },
    },
    platform: READ_SETTINGS,
  },
  {
    key: 'finance',
    name: 'CSP Finance',
    tables: {
      account: { Read: 'Global', AppendTo: 'Global' },
      cspb_offer: { Read: 'Global', AppendTo: 'Global' },
      cspb_billingcontract: { Read: 'Global', AppendTo: 'Global' },
      cspb_subscription: { Read: 'Global', AppendTo: 'Global' },
      // The reconciliation grid's ledger correction appends a row; the ledger stays append-only.
      cspb_subscriptionchange: { Create: 'Global', Read: 'Global', Append: 'Global' },
      ...Object.fromEntries(FINANCE_TABLES.map((t) => [t, { Create: 'Global', Read: 'Global', Write: 'Global', Append: 'Global', AppendTo: 'Global' } as const])),
    },
    platform: READ_SETTINGS,
  },
  {
    key: 'admin',
    name: 'CSP Billing Admin',
    tables: {
      account: { Read: 'Global', Write: 'Global', AppendTo: 'Global' },
      ...Object.fromEntries(tables.map((t) => [t.logicalName, Object.fromEntries(ALL_RIGHTS.map((r) => [r, 'Global' as const]))])),
    },
    platform: {
      prvCreateEnvironmentVariableDefinition: 'Global',
      prvReadEnvironmentVariableDefinition: 'Global',
      prvWriteEnvironmentVariableDefinition: 'Global',
      prvCreateEnvironmentVariableValue: 'Global',
      prvReadEnvironmentVariableValue: 'Global',
      prvWriteEnvironmentVariableValue: 'Global',
    },
  },
];

export const roleId = (role: RoleDef): string => bracedGuid(`role/${role.key}`);

/** Every privilege of a role with its depth, sorted by name (the order exports use). */
export function privilegesOf(role: RoleDef): Array<{ name: string; level: Depth }> {
  const list: Array<{ name: string; level: Depth }> = [];
  for (const [table, rights] of Object.entries(role.tables)) {
    for (const right of ALL_RIGHTS) {
      const level = rights[right];
      if (level) list.push({ name: privilegeName(right, table), level });
    }
  }
  for (const [name, level] of Object.entries(role.platform)) list.push({ name, level });
  return list.sort((a, b) => a.name.localeCompare(b.name, 'en'));
}

export function roleXml(role: RoleDef): XmlElement {
  return el(
    'Role',
    { id: roleId(role), name: role.name },
    leaf('IsCustomizable', 1),
    leaf('IntroducedVersion', '1.0.0.0'),
    el('RolePrivileges', null, privilegesOf(role).map((p) => el('RolePrivilege', { name: p.name, level: p.level }))),
  );
}
