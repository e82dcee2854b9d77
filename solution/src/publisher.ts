/** Identity of the solution and its publisher: fixed forever once a release has shipped. */
export const SOLUTION = {
  uniqueName: 'CspBilling',
  displayName: 'CSP Billing & Reconciliation',
  description: 'Subscription ledger, vendor bill import, reconciliation and customer invoicing for Microsoft CSP partners.',
} as const;

export const PUBLISHER = {
  uniqueName: 'cspbilling',
  displayName: 'CSP Billing',
  description: 'Publisher of the CSP Billing & Reconciliation suite.',
  prefix: 'cspb',
  /** Choice values are prefix x 10,000 + n: 100000000 onwards, as the schema's options use. */
  optionValuePrefix: 10000,
} as const;

/** Language of every label we ship (English, LCID 1033). */
export const LANGUAGE_CODE = '1033';
