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

/**
 * What every role's user needs besides our tables: money columns carry a currency lookup, so a row
 * with money cannot be read or created without Read on Currency (transactioncurrency,
 * learn.microsoft.com/power-apps/developer/data-platform/transaction-currency-currency-entity).
 * Opening the model-driven app itself takes Microsoft's App Opener role, which docs/ADMIN.md tells
 * the admin to assign beside ours ("Include App Opener privileges for running Model-Driven apps",
 * learn.microsoft.com/power-platform/admin/create-edit-security-role).
 */
const BASICS = { ...READ_SETTINGS, prvReadTransactionCurrency: 'Global' } as const;

const FINANCE_TABLES = [
  'cspb_billingimport',
  'cspb_billingline',
  'cspb_reconciliationrun',
  'cspb_discrepancy',
  'cspb_invoicerun',
  'cspb_invoice',
  'cspb_invoiceline',
  'cspb_monthendrun',
  'cspb_accrualrun',
  'cspb_accrualline',
  'cspb_pricereview',
  'cspb_pricereviewline',
  'cspb_postingrun',
];
const JOB_TABLES = [
  'cspb_billingimport',
  'cspb_billingline',
  'cspb_reconciliationrun',
  'cspb_discrepancy',
  'cspb_invoicerun',
  'cspb_invoice',
  'cspb_invoiceline',
  'cspb_monthendrun',
  'cspb_accrualrun',
  'cspb_accrualline',
  'cspb_pricereview',
  'cspb_pricereviewline',
  'cspb_postingrun',
];

export const ROLES: readonly RoleDef[] = [
  {
    key: 'sales',
    name: 'CSP Sales',
    tables: {
      account: { Read: 'Local', AppendTo: 'Local' },
      cspb_offer: { Read: 'Global', AppendTo: 'Global' },
      cspb_billingcontract: { Read: 'Local', AppendTo: 'Local' },
      cspb_pricelist: { Read: 'Global' },
      cspb_pricelistitem: { Read: 'Global' },
      cspb_promotion: { Read: 'Local' },
      cspb_onetimecharge: { Read: 'Local' },
      cspb_subscription: { Create: 'Basic', Read: 'Local', Write: 'Local', Append: 'Local', AppendTo: 'Local' },
      // The ledger is read only: the webhook's application user appends it after each save.
      cspb_subscriptionchange: { Read: 'Local' },
    },
    platform: BASICS,
  },
  {
    key: 'finance',
    name: 'CSP Finance',
    tables: {
      account: { Read: 'Global', AppendTo: 'Global' },
      cspb_offer: { Read: 'Global', AppendTo: 'Global' },
      cspb_billingcontract: { Read: 'Global', AppendTo: 'Global' },
      // The grid's ledger correction saves the billed quantity on the subscription, as a form save does.
      cspb_subscription: { Read: 'Global', Write: 'Global', AppendTo: 'Global' },
      cspb_subscriptionchange: { Read: 'Global' },
      ...Object.fromEntries(
        FINANCE_TABLES.map((t) => [t, { Create: 'Global', Read: 'Global', Write: 'Global', Append: 'Global', AppendTo: 'Global' } as const]),
      ),
      // Issuing moves the counter (and creates the sequence the first time); the admin sets its prefix.
      cspb_invoicenumbering: { Create: 'Global', Read: 'Global', Write: 'Global' },
      cspb_exchangerate: { Read: 'Global' },
      // Microsoft's prices: imported by an admin (npm run prices), read by finance and the runs.
      cspb_microsoftprice: { Read: 'Global' },
      cspb_pricelist: { Read: 'Global', AppendTo: 'Global' },
      cspb_pricelistitem: { Read: 'Global' },
      // What finance invoices besides the ledger: one-time charges and promotions of a contract.
      cspb_onetimecharge: { Create: 'Global', Read: 'Global', Write: 'Global', Delete: 'Global', Append: 'Global' },
      cspb_promotion: { Create: 'Global', Read: 'Global', Write: 'Global', Delete: 'Global', Append: 'Global' },
      // How documents are named in the books: kept by finance (customers, accounts, tax codes).
      cspb_accountingmapping: { Create: 'Global', Read: 'Global', Write: 'Global', Delete: 'Global', Append: 'Global' },
    },
    platform: BASICS,
  },
  {
    key: 'admin',
    name: 'CSP Billing Admin',
    tables: {
      account: { Read: 'Global', Write: 'Global', AppendTo: 'Global' },
      ...Object.fromEntries(tables.map((t) => [t.logicalName, Object.fromEntries(ALL_RIGHTS.map((r) => [r, 'Global' as const]))])),
    },
    platform: {
      ...BASICS,
      prvCreateEnvironmentVariableDefinition: 'Global',
      prvWriteEnvironmentVariableDefinition: 'Global',
      prvCreateEnvironmentVariableValue: 'Global',
      prvWriteEnvironmentVariableValue: 'Global',
    },
  },
  {
    // The webhook host's application user: reads what the handlers read (bills arrive as notes),
    // appends the ledger, writes the jobs' rows. Never deletes but replaced draft lines and findings.
    key: 'integration',
    name: 'CSP Billing Integration',
    tables: {
      account: { Read: 'Global', AppendTo: 'Global' },
      cspb_offer: { Read: 'Global', AppendTo: 'Global' },
      cspb_billingcontract: { Read: 'Global', AppendTo: 'Global' },
      cspb_subscription: { Read: 'Global', AppendTo: 'Global' },
      cspb_subscriptionchange: { Create: 'Global', Read: 'Global', Append: 'Global' },
      // The invoice run converts with the rates table and prices with lists, promotions and one-time charges.
      cspb_exchangerate: { Read: 'Global' },
      cspb_microsoftprice: { Read: 'Global' },
      // The post reads the mappings and writes each invoice's posting status.
      cspb_accountingmapping: { Read: 'Global' },
      cspb_pricelist: { Read: 'Global' },
      cspb_pricelistitem: { Read: 'Global' },
      cspb_promotion: { Read: 'Global' },
      cspb_onetimecharge: { Read: 'Global' },
      ...Object.fromEntries(JOB_TABLES.map((t) => [t, { Create: 'Global', Read: 'Global', Write: 'Global', Append: 'Global', AppendTo: 'Global' } as const])),
      cspb_discrepancy: { Create: 'Global', Read: 'Global', Write: 'Global', Delete: 'Global', Append: 'Global', AppendTo: 'Global' },
      // An accrual's last pass removes the lines an earlier pass wrote and it no longer computes.
      cspb_accrualline: { Create: 'Global', Read: 'Global', Write: 'Global', Delete: 'Global', Append: 'Global', AppendTo: 'Global' },
      // A completed price review removes the earlier reviews' lines: the below-floor view is today's list.
      cspb_pricereviewline: { Create: 'Global', Read: 'Global', Write: 'Global', Delete: 'Global', Append: 'Global', AppendTo: 'Global' },
      cspb_invoiceline: { Create: 'Global', Read: 'Global', Write: 'Global', Delete: 'Global', Append: 'Global', AppendTo: 'Global' },
    },
    platform: { ...BASICS, prvReadNote: 'Global' },
  },
];

export const roleId = (role: RoleDef): string => bracedGuid(`role/${role.key}`);

/** The roles of people, who open the app (the integration role is an application user's). */
export const APP_ROLES: readonly RoleDef[] = ROLES.filter((r) => r.key !== 'integration');

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
    el(
      'RolePrivileges',
      null,
      privilegesOf(role).map((p) => el('RolePrivilege', { name: p.name, level: p.level })),
    ),
  );
}
