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
}

export const formScriptBundles: readonly FormScriptBundle[] = [
  {
    entry: 'webresources/src/subscription.form.ts',
    globalName: 'Cspb.SubscriptionForm',
    webResourceName: 'cspb_/scripts/subscription.form.js',
    displayName: 'Subscription form script',
  },
];

/** The build writes each bundle here, under its web resource name. */
export const WEBRESOURCE_OUT_DIR = 'build/webresources';

/** Budget per minified bundle: form scripts load on every form open, on phones too. */
export const MAX_BUNDLE_BYTES = 30 * 1024;
