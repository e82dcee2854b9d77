import type { LocalOrg } from '../../dataverse/src/local-org';
import { importBillingFile } from './handlers/billing-import';
import { runReconciliation } from './handlers/reconciliation';
import { recordSubscriptionChange, validateSubscription } from './handlers/subscription';
import { fromPluginContext, type Handler, type HandlerDeps } from './handlers/types';
import { runInvoicing } from './handlers/invoice';
import type { StageName } from './context';

/**
 * The steps the solution registers (solution/src/webhook.ts STEPS), each with its handler. The
 * webhook host dispatches on (message, table, stage); the local org registers the same list.
 */
export interface StepHandler {
  readonly key: string;
  readonly message: 'Create' | 'Update';
  readonly table: string;
  readonly stage: StageName;
  readonly mode: 'sync' | 'async';
  readonly filteringAttributes?: readonly string[];
  readonly handler: Handler;
}

export const SUBSCRIPTION_FILTER = [
  'cspb_quantity', 'cspb_status', 'cspb_customerunitprice', 'cspb_vendorunitcost', 'cspb_currencycode', 'cspb_changeeffectivedate',
  'cspb_changereason', 'cspb_termstartdate', 'cspb_termenddate', 'cspb_autorenew', 'cspb_offerid', 'cspb_customerid', 'cspb_vendorsubscriptionid',
] as const;

export const STEP_HANDLERS: readonly StepHandler[] = [
  { key: 'subscription-create-validate', message: 'Create', table: 'cspb_subscription', stage: 'PreOperation', mode: 'sync', handler: validateSubscription },
  { key: 'subscription-update-validate', message: 'Update', table: 'cspb_subscription', stage: 'PreOperation', mode: 'sync', filteringAttributes: SUBSCRIPTION_FILTER, handler: validateSubscription },
  { key: 'subscription-create-ledger', message: 'Create', table: 'cspb_subscription', stage: 'PostOperation', mode: 'sync', handler: recordSubscriptionChange },
  { key: 'subscription-update-ledger', message: 'Update', table: 'cspb_subscription', stage: 'PostOperation', mode: 'sync', filteringAttributes: SUBSCRIPTION_FILTER, handler: recordSubscriptionChange },
  { key: 'billingimport-create', message: 'Create', table: 'cspb_billingimport', stage: 'PostOperation', mode: 'async', handler: importBillingFile },
  { key: 'reconciliationrun-create', message: 'Create', table: 'cspb_reconciliationrun', stage: 'PostOperation', mode: 'async', handler: runReconciliation },
  { key: 'invoicerun-create', message: 'Create', table: 'cspb_invoicerun', stage: 'PostOperation', mode: 'async', handler: runInvoicing },
];

export function findStep(message: string, table: string, stage: StageName): StepHandler | undefined {
  return STEP_HANDLERS.find((s) => s.message === message && s.table === table && s.stage === stage);
}

/** Filtering attributes in the local org's read names (lookups as `_x_value`). */
function readNames(columns: readonly string[]): string[] {
  return columns.map((c) => (c === 'cspb_offerid' || c === 'cspb_customerid' ? `_${c}_value` : c));
}

/**
 * Registers every handler on a local org's pipeline, as the solution registers them on Dataverse.
 * Returns the function that unregisters them all.
 */
export function registerPlugins(org: LocalOrg, deps: HandlerDeps = {}): () => void {
  const undo = STEP_HANDLERS.map((step) =>
    org.register({
      name: `cspb:${step.key}`,
      message: step.message,
      table: step.table,
      stage: step.stage,
      mode: step.mode,
      ...(step.filteringAttributes ? { filteringAttributes: readNames(step.filteringAttributes) } : {}),
      handler: (context) => step.handler(fromPluginContext(context), deps),
    }),
  );
  return () => undo.forEach((u) => u());
}
