import { account } from './tables/account';
import { billingContract } from './tables/billing-contract';
import { billingImport } from './tables/billing-import';
import { billingLine } from './tables/billing-line';
import { invoice, invoiceLine, invoiceRun } from './tables/invoicing';
import { offer } from './tables/offer';
import { discrepancy, reconciliationRun } from './tables/reconciliation';
import { subscription } from './tables/subscription';
import { subscriptionChange } from './tables/subscription-change';
import type { TableDef, TableExtension } from './types';

export * from './types';
export { account, billingContract, billingImport, billingLine, discrepancy, invoice, invoiceLine, invoiceRun, offer, reconciliationRun, subscription, subscriptionChange };

/**
 * Every table the solution owns, in dependency order (a table comes after the tables its
 * lookups point at), which is also the order the solution lists them in.
 */
export const tables: readonly TableDef[] = [
  offer,
  billingContract,
  subscription,
  subscriptionChange,
  billingImport,
  billingLine,
  reconciliationRun,
  discrepancy,
  invoiceRun,
  invoice,
  invoiceLine,
];

/** Existing Dataverse tables the solution adds columns to. */
export const extensions: readonly TableExtension[] = [account];
export * from './steps';
