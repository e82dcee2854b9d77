import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { runInNewContext } from 'node:vm';
import { formScriptBundles, MAX_BUNDLE_BYTES, WEBRESOURCE_OUT_DIR } from '../../webresources/src/bundles';

const root = resolve(__dirname, '../..');

describe.each(formScriptBundles)('built web resource $webResourceName', (bundle) => {
  const file = resolve(root, WEBRESOURCE_OUT_DIR, bundle.webResourceName);

  it('exists (run `npm run build` first)', () => {
    expect(existsSync(file)).toBe(true);
  });

  it('exposes its handlers under the global namespace the form events call', () => {
    const sandbox: Record<string, unknown> = {};
    runInNewContext(readFileSync(file, 'utf8'), sandbox);
    const [ns, member] = bundle.globalName.split('.') as [string, string];
    const exported = (sandbox[ns] as Record<string, Record<string, unknown>>)[member];
    for (const handler of bundle.handlers) expect(typeof exported?.[handler]).toBe('function');
  });

  it(`stays within ${bundle.maxBytes ?? MAX_BUNDLE_BYTES} bytes minified`, () => {
    expect(readFileSync(file).length).toBeLessThanOrEqual(bundle.maxBytes ?? MAX_BUNDLE_BYTES);
  });
});

/**
 * The built bundles, not the sources: their decimal.js is the stand-in (logic/decimal-shim.ts) and
 * their money, dates and periods go through core/src/format in the user's locale. Each runs in a
 * sandbox with a fake Xrm (the user's language id, English strings from the fallback) on 15 October 2026.
 */
describe('built bundles format in the user locale', () => {
  class October15 extends Date {
    constructor(...args: unknown[]) {
      super(...((args.length > 0 ? args : [2026, 9, 15, 12]) as [number, number, number, number]));
    }
  }
  const plain = (text: string): string => text.replace(/[\u00a0\u202f\u2009]/g, ' ');
  function load(webResourceName: string, xrm: Record<string, unknown>, lcid: number): Record<string, (...args: unknown[]) => Promise<unknown>> {
    const bundle = formScriptBundles.find((b) => b.webResourceName === webResourceName)!;
    const utility = {
      getResourceString: (resource: string) => {
        throw new Error(`${resource} does not exist.`);
      },
      getGlobalContext: () => ({ userSettings: { languageId: lcid } }),
      showProgressIndicator: () => undefined,
      closeProgressIndicator: () => undefined,
    };
    const sandbox: Record<string, unknown> = { Xrm: { Utility: utility, ...xrm }, Date: October15, URLSearchParams, TextEncoder, console };
    runInNewContext(readFileSync(resolve(root, WEBRESOURCE_OUT_DIR, bundle.webResourceName), 'utf8'), sandbox);
    const [ns, member] = bundle.globalName.split('.') as [string, string];
    return (sandbox[ns] as Record<string, Record<string, (...args: unknown[]) => Promise<unknown>>>)[member]!;
  }

  /** The billing contract form of a monthly contract with 1,000 seats at 12.345: its next-invoice notification. */
  async function nextInvoiceNote(currency: string, lcid: number): Promise<string> {
    const values: Record<string, unknown> = {
      cspb_frequency: 100000000,
      cspb_anchor: 100000000,
      cspb_anchorday: null,
      cspb_timing: 100000000,
      cspb_paymenttermdays: 30,
      cspb_prorationpolicy: null,
      cspb_discountpercent: null,
      cspb_currencycode: currency,
      createdon: new Date(2026, 2, 10),
    };
    const notes: string[] = [];
    const form = {
      getAttribute: (name: string) => (name in values ? { getValue: () => values[name], addOnChange: () => undefined } : null),
      getControl: () => ({ clearNotification: () => undefined, setNotification: () => undefined }),
      ui: { getFormType: () => 2, clearFormNotification: () => undefined, setFormNotification: (message: string) => void notes.push(message) },
      data: { entity: { getId: () => '{6A1C4C7E-0000-0000-0000-000000000001}' } },
    };
    const webApi = {
      retrieveMultipleRecords: async () => ({
        entities: [{ cspb_quantity: 1000, cspb_customerunitprice: 12.345, cspb_termstartdate: '2026-04-01', cspb_status: 100000000 }],
      }),
    };
    await load('cspb_/scripts/billingcontract.form.js', { WebApi: webApi }, lcid).onLoad!({ getFormContext: () => form });
    return plain(notes.at(-1) ?? '');
  }

  it('billing contract form: money grouped with its code and the currency decimals, dates and the period in words', async () => {
    // 1,000 x 12.345 = 12,345.00; in yen 12,345 (no decimals). The next period is November, invoiced on its first day, net 30.
    expect(await nextInvoiceNote('USD', 1033)).toBe(
      'Next invoice on Nov 1, 2026 for Nov 2026, due Dec 1, 2026. Estimated recurring licences: USD 12,345.00 (1 subscription(s), before tax and mid-period changes).',
    );
    expect(await nextInvoiceNote('JPY', 1036)).toMatch(
      /^Next invoice on 1 nov\. 2026 for nov\. 2026, due 1 déc\. 2026\. Estimated recurring licences: 12 345 JPY /,
    );
  });

  it('commands: "Invoice a period" proposes the previous month in words and prefills the new run form with it', async () => {
    const confirms: string[] = [];
    const forms: unknown[] = [];
    const navigation = {
      openConfirmDialog: async (o: { text: string }) => {
        confirms.push(o.text);
        return { confirmed: false };
      },
      openForm: async (...args: unknown[]) => void forms.push(args),
    };
    expect(await load('cspb_/scripts/commands.js', { Navigation: navigation }, 1033).invoicePeriod!()).toBeNull();
    expect(confirms).toEqual(['Invoice Sep 2026 for all billing contracts?']);
    expect(forms).toEqual([
      [{ entityName: 'cspb_invoicerun' }, { cspb_name: 'Invoices Sep 2026', cspb_periodstart: '2026-09-01', cspb_periodend: '2026-09-30' }],
    ]);
  });
});
