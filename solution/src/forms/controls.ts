/**
 * Names of the built controls and form scripts the forms use. A control or library built in a
 * later issue is added here and then referenced from its form: one line each.
 */
export const RECONCILIATION_GRID = { name: 'cspb_CspBilling.ReconciliationGrid', dataSet: 'records' } as const;
export const SUBSCRIPTION_FORM_SCRIPT = 'cspb_/scripts/subscription.form.js';
/** The bill import field control, bound to the import's file name column (manifest property `fileName`). */
export const BILLING_IMPORT = { name: 'cspb_CspBilling.BillingImport', property: 'fileName' } as const;
