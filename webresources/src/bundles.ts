/**
 * Every form-script bundle: its entry, the global namespace esbuild exposes it under, and the
 * web resource name it ships as. The build bundles these; the solution registers them.
 */
export interface FormScriptBundle {
  readonly entry: string;
  /** Dotted global, e.g. `Cspb.SubscriptionForm`, used in form event handlers. */
  readonly globalName: string;
  /** Web resource unique name (prefix, folder, file). */
  readonly webResourceName: string;
  readonly displayName: string;
  /** Functions the forms or the command bar call: the bundle test checks each is exported. */
  readonly handlers: readonly string[];
  /** Its own size budget when it is not a form script (default MAX_BUNDLE_BYTES). */
  readonly maxBytes?: number;
  /** Bundles the real decimal.js (the others get a stub that throws on use). */
  readonly decimal?: true;
}

export const formScriptBundles: readonly FormScriptBundle[] = [
  {
    entry: 'webresources/src/subscription.form.ts',
    globalName: 'Cspb.SubscriptionForm',
    webResourceName: 'cspb_/scripts/subscription.form.js',
    displayName: 'Subscription form script',
    handlers: ['onLoad', 'onQuantityChange', 'onEffectiveDateChange', 'onSave'],
  },
  {
    // The invoicing engine (and decimal.js) for the subscription form's invoice preview: a library of
    // its own, loaded before the form script, so the script stays within the form budget.
    entry: 'webresources/src/invoice-preview.ts',
    globalName: 'Cspb.InvoicePreview',
    webResourceName: 'cspb_/scripts/invoice-preview.js',
    displayName: 'Invoice preview (invoicing engine)',
    handlers: ['previewInvoiceChange'],
    maxBytes: 128 * 1024,
    decimal: true,
  },
  {
    entry: 'webresources/src/billingcontract.form.ts',
    globalName: 'Cspb.BillingContractForm',
    webResourceName: 'cspb_/scripts/billingcontract.form.js',
    displayName: 'Billing contract form script',
    handlers: ['onLoad', 'onSettingsChange'],
  },
  {
    entry: 'webresources/src/invoice.form.ts',
    globalName: 'Cspb.InvoiceForm',
    webResourceName: 'cspb_/scripts/invoice.form.js',
    displayName: 'Invoice form script',
    handlers: ['onLoad'],
  },
  {
    entry: 'webresources/src/invoicerun.form.ts',
    globalName: 'Cspb.InvoiceRunForm',
    webResourceName: 'cspb_/scripts/invoicerun.form.js',
    displayName: 'Invoice run form script',
    handlers: ['onLoad', 'onPeriodStartChange'],
  },
  {
    entry: 'webresources/src/currency.form.ts',
    globalName: 'Cspb.CurrencyForm',
    webResourceName: 'cspb_/scripts/currency.form.js',
    displayName: 'Currency form script',
    handlers: ['onLoad', 'onLoadUnderContract'],
  },
  {
    entry: 'webresources/src/commands.ts',
    globalName: 'Cspb.Commands',
    webResourceName: 'cspb_/scripts/commands.js',
    displayName: 'Command bar actions',
    handlers: ['runReconciliation', 'generateInvoices', 'invoicePeriod', 'exportDiscrepancies', 'createCreditNote'],
  },
  {
    // Issuing needs what Xrm.WebApi lacks (a change set with If-Match), so it carries
    // dynamics-web-api. It is a command library of the invoice form only, never a form script
    // loaded on every form open, hence its own budget.
    entry: 'webresources/src/issue.command.ts',
    globalName: 'Cspb.IssueCommand',
    webResourceName: 'cspb_/scripts/issue.command.js',
    displayName: 'Issue invoice command',
    handlers: ['issueInvoice'],
    maxBytes: 96 * 1024,
  },
];

/**
 * String (RESX) web resources, one per language: Dataverse web resource type 12. Each must be a
 * dependency of every script bundle above so `Xrm.Utility.getResourceString` finds it.
 */
export interface StringResource {
  readonly file: string;
  readonly webResourceName: string;
  readonly displayName: string;
  readonly languageCode: number;
}

export const stringResources: readonly StringResource[] = [
  { file: 'webresources/strings/forms.1033.resx', webResourceName: 'cspb_/strings/forms.1033.resx', displayName: 'Form strings (English)', languageCode: 1033 },
  { file: 'webresources/strings/forms.1036.resx', webResourceName: 'cspb_/strings/forms.1036.resx', displayName: 'Form strings (French)', languageCode: 1036 },
];

/** The build writes each bundle here, under its web resource name. */
export const WEBRESOURCE_OUT_DIR = 'build/webresources';

/**
 * Budget per minified bundle: form scripts load on every form open, on phones too. (The engine,
 * the mappers and decimal.js live in the invoice-preview library, which has its own budget.)
 */
export const MAX_BUNDLE_BYTES = 30 * 1024;
