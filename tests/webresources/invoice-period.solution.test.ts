import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { runInNewContext } from 'node:vm';
import { strFromU8, unzipSync } from 'fflate';

/**
 * What the packed solution (dist/, `npm run build`) ships for invoicing a period: the "Invoice a
 * period" button on the Invoice runs list (the HomepageGrid ribbon, solution/src/ribbon.ts) calling
 * the commands library without a record, and the invoice run form loading its script. (The whole
 * customizations.xml is validated against Microsoft's schema by tests/solution/solution-zip.test.ts.)
 */
const root = resolve(__dirname, '../..');
const zip = unzipSync(readFileSync(join(root, 'dist', 'CspBilling_managed.zip')));
const customizations = strFromU8(zip['customizations.xml']!);
const invoiceRun = customizations.split('<Entity>').find((e) => /<entity Name="cspb_invoicerun"/i.test(e))!;

describe('packed solution: invoicing a period', () => {
  it('puts "Invoice a period" on the Invoice runs list, in the Management group, calling Cspb.Commands.invoicePeriod with no parameter', () => {
    const ribbon = invoiceRun.slice(invoiceRun.indexOf('<RibbonDiffXml>'), invoiceRun.indexOf('</RibbonDiffXml>'));
    expect(ribbon).toContain(
      '<CustomAction Id="cspb.cspb_invoicerun.InvoicePeriod.CustomAction" Location="Mscrm.HomepageGrid.cspb_invoicerun.MainTab.Management.Controls._children"',
    );
    expect(ribbon).toMatch(
      /<CommandDefinition Id="cspb\.cspb_invoicerun\.InvoicePeriod\.Command">[\s\S]*?<JavaScriptFunction FunctionName="Cspb\.Commands\.invoicePeriod" Library="\$webresource:cspb_\/scripts\/commands\.js" \/>/,
    );
    expect(ribbon).not.toContain('Mscrm.Form.cspb_invoicerun');
    expect(ribbon).toContain('<Title description="Invoice a period" languagecode="1033" />');
  });

  it('the commands library in the solution exposes the function the button calls', () => {
    const sandbox: Record<string, unknown> = {};
    runInNewContext(strFromU8(zip['WebResources/cspb_/scripts/commands.js']!), sandbox);
    expect(typeof (sandbox['Cspb'] as Record<string, Record<string, unknown>>)['Commands']!['invoicePeriod']).toBe('function');
  });

  it('the invoice run form loads its script and calls its OnLoad (which registers the period start OnChange)', () => {
    expect(zip['WebResources/cspb_/scripts/invoicerun.form.js']).toBeDefined();
    expect(invoiceRun).toMatch(/<formLibraries>\s*<Library name="cspb_\/scripts\/invoicerun\.form\.js"/);
    expect(invoiceRun).toMatch(
      /<event name="onload"[^>]*>\s*<Handlers>\s*<Handler functionName="Cspb\.InvoiceRunForm\.onLoad" libraryName="cspb_\/scripts\/invoicerun\.form\.js"[^>]*passExecutionContext="true"/,
    );
  });
});
