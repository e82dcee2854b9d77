import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { strFromU8, unzipSync } from 'fflate';
import { allowedNewerElements, withoutNewerElements } from './newer-elements';
import { CUSTOMIZATIONS_XSD, SHARED_SAMPLES, xmllintErrors } from '../support/xmllint';
import { packSolution } from '../../solution/src/pack';
import { solutionInput } from '../../scripts/pack-solution';

const root = resolve(__dirname, '../..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string };

function unzipDist(name: string): Record<string, Uint8Array> {
  const file = join(root, 'dist', name);
  if (!existsSync(file)) throw new Error(`${file} is missing: run \`npm run build\` first`);
  return unzipSync(readFileSync(file));
}

/** All matches of a regex's first group. */
const all = (text: string, re: RegExp): string[] => [...text.matchAll(re)].map((m) => m[1]!);

describe.each([
  ['CspBilling_unmanaged.zip', false],
  ['CspBilling_managed.zip', true],
] as const)('%s', (zipName, managed) => {
  const files = unzipDist(zipName);
  const text = (path: string): string => {
    const content = files[path];
    if (!content) throw new Error(`${zipName} has no ${path}`);
    return strFromU8(content);
  };

  it('has the package parts Dataverse expects at the root', () => {
    expect(Object.keys(files)).toEqual(expect.arrayContaining(['[Content_Types].xml', 'solution.xml', 'customizations.xml']));
  });

  it('names the solution, publisher, prefix, managed flag and the package.json version', () => {
    const solution = text('solution.xml');
    expect(solution).toContain('<UniqueName>CspBilling</UniqueName>');
    expect(solution).toContain('<CustomizationPrefix>cspb</CustomizationPrefix>');
    expect(solution).toContain(`<Version>${pkg.version}.0</Version>`);
    expect(solution).toContain(`<Managed>${managed ? 1 : 0}</Managed>`);
  });

  it('has a customizations.xml valid against the SDK schema once only the listed newer elements are set aside', () => {
    const errors = xmllintErrors(withoutNewerElements(text('customizations.xml')), CUSTOMIZATIONS_XSD);
    expect(errors).toEqual([]);
  });

  it('lists exactly the components customizations.xml defines, both ways, for every component type', () => {
    const solution = text('solution.xml');
    const customizations = text('customizations.xml');
    const roots = [...solution.matchAll(/<RootComponent type="(\d+)"(?: schemaName="([^"]+)")?(?: id="([^"]+)")? behavior="\d"/g)].map(
      (m) => `${m[1]}:${(m[2] ?? m[3]!).toLowerCase()}`,
    );
    const defined = [
      ...all(customizations, /<Entity>\s*<Name [^>]*>([^<]+)<\/Name>/g).map((n) => `1:${n.toLowerCase()}`),
      ...all(customizations, /<Role id="([^"]+)" name=/g).map((id) => `20:${id.toLowerCase()}`),
      ...all(customizations, /<WebResource>\s*<WebResourceId>[^<]+<\/WebResourceId>\s*<Name>([^<]+)<\/Name>/g).map((n) => `61:${n.toLowerCase()}`),
      ...all(customizations, /<Dashboard>\s*<FormId>([^<]+)<\/FormId>/g).map((id) => `60:${id.toLowerCase()}`),
      ...all(customizations, /<AppModuleSiteMap>\s*<SiteMapUniqueName>([^<]+)</g).map((n) => `62:${n.toLowerCase()}`),
      ...all(customizations, /<CustomControl>\s*<Name>([^<]+)<\/Name>/g).map((n) => `66:${n.toLowerCase()}`),
      ...all(customizations, /<AppModule>\s*<UniqueName>([^<]+)</g).map((n) => `80:${n.toLowerCase()}`),
      ...all(customizations, /<SdkMessageProcessingStep SdkMessageProcessingStepId="([^"]+)"/g).map((id) => `92:${id.toLowerCase()}`),
      ...all(customizations, /<ServiceEndpoint ServiceEndpointId="([^"]+)"/g).map((id) => `95:${id.toLowerCase()}`),
      ...all(customizations, /<environmentvariabledefinition schemaname="([^"]+)"/g).map((n) => `380:${n.toLowerCase()}`),
    ];
    expect([...roots].sort()).toEqual([...defined].sort());
    // Independent expectations: the counts the issue asks for.
    const count = (type: number) => roots.filter((r) => r.startsWith(`${type}:`)).length;
    // No steps (92): the deploy script registers them once the endpoint is real (solution/src/webhook.ts).
    expect([count(1), count(20), count(60), count(62), count(80), count(92), count(95), count(380)]).toEqual([26, 4, 1, 1, 1, 0, 1, 3]);
    expect(roots).toEqual(
      expect.arrayContaining([
        '1:cspb_subscription',
        '61:cspb_/scripts/subscription.form.js',
        '66:cspb_cspbilling.reconciliationgrid',
        '80:cspb_cspbilling',
        '62:cspb_cspbilling',
      ]),
    );
  });

  it('carries every file customizations.xml, the forms and the control manifests point at', () => {
    const customizations = text('customizations.xml');
    for (const fileName of all(customizations, /<FileName>\/([^<]+)<\/FileName>/g)) {
      expect(Object.keys(files)).toContain(fileName);
    }
    const webResources = all(customizations, /<WebResource>\s*<WebResourceId>[^<]+<\/WebResourceId>\s*<Name>([^<]+)<\/Name>/g);
    const libraries = all(customizations, /<Library name="([^"]+)"/g);
    expect(libraries.length).toBeGreaterThan(0);
    for (const library of libraries) expect(webResources).toContain(library);
    const controls = all(customizations, /<CustomControl>\s*<Name>([^<]+)<\/Name>/g);
    const bound = all(customizations, /<customControl formFactor="\d" name="([^"]+)"/g);
    expect(bound.length).toBeGreaterThan(0);
    for (const name of bound) expect(controls).toContain(name);
    for (const control of controls) {
      const manifest = text(`Controls/${control}/ControlManifest.xml`);
      for (const path of all(manifest, /(?:code|resx) path="([^"]+)"/g)) {
        expect(Object.keys(files)).toContain(`Controls/${control}/${path}`);
      }
    }
  });

  it('binds the ReconciliationGrid to the discrepancies of the run form (the import form lists its lines in a plain subgrid)', () => {
    const customizations = text('customizations.xml');
    for (const [entity, target, relationship] of [['cspb_ReconciliationRun', 'cspb_discrepancy', 'cspb_reconciliationrun_cspb_discrepancy_runid']] as const) {
      const start = customizations.indexOf(`>${entity}</Name>`);
      const entityXml = customizations.slice(start, customizations.indexOf('</Entity>', start));
      const grid = new RegExp(
        `<control id="[^"]+" classid="\\{F9A8A302-114E-466A-B582-6771B2AE0D92\\}" indicationOfSubgrid="true" uniqueid="([^"]+)">\\s*<parameters>\\s*<TargetEntityType>${target}</TargetEntityType>`,
      ).exec(entityXml);
      expect(grid).not.toBeNull();
      const description = entityXml.slice(entityXml.indexOf(`<controlDescription forControl="${grid![1]}">`));
      expect(description.slice(0, description.indexOf('</controlDescription>'))).toMatch(
        new RegExp(
          `<customControl formFactor="2" name="cspb_CspBilling.ReconciliationGrid">\\s*<parameters>\\s*<data-set name="records">[\\s\\S]*<RelationshipName>${relationship}</RelationshipName>`,
        ),
      );
    }
  });

  it('shows what jobs write read-only: the import form locks its hash, status and counts, leaves name and encoding editable', () => {
    const customizations = text('customizations.xml');
    const start = customizations.indexOf('>cspb_BillingImport</Name>');
    const entityXml = customizations.slice(start, customizations.indexOf('</Entity>', start));
    const disabled = (column: string) => new RegExp(`<control id="${column}"[^>]*disabled="(true|false)"`).exec(entityXml)?.[1];
    expect(['cspb_contenthash', 'cspb_importstatus', 'cspb_rowsread', 'cspb_format', 'cspb_rejectedrows'].map(disabled)).toEqual([
      'true',
      'true',
      'true',
      'true',
      'true',
    ]);
    expect(['cspb_name', 'cspb_encoding', 'cspb_rejectedacknowledged'].map(disabled)).toEqual(['false', 'false', 'false']);
  });

  it('wires the form script: the main form loads the library and calls the bundle namespace on load', () => {
    const customizations = text('customizations.xml');
    expect(customizations).toMatch(/<Library name="cspb_\/scripts\/subscription.form.js"/);
    expect(customizations).toMatch(
      /<Handler functionName="Cspb.SubscriptionForm.onLoad" libraryName="cspb_\/scripts\/subscription.form.js"[^>]*passExecutionContext="true"/,
    );
    expect(text('WebResources/cspb_/scripts/subscription.form.js')).toContain('Cspb.SubscriptionForm=');
  });
  it('ships the form strings as RESX web resources (type 12) in English and French, and makes every script depend on them', () => {
    const customizations = text('customizations.xml');
    for (const [name, lcid] of [
      ['cspb_/strings/forms.1033.resx', 1033],
      ['cspb_/strings/forms.1036.resx', 1036],
    ] as const) {
      expect(customizations).toMatch(
        new RegExp(
          `<Name>${name.replace(/[./]/g, '\\$&')}</Name>\\s*<DisplayName>[^<]*</DisplayName>\\s*<LanguageCode>${lcid}</LanguageCode>\\s*<WebResourceType>12</WebResourceType>`,
        ),
      );
      expect(text(`WebResources/${name}`)).toContain('<data name=');
    }
    const scripts = [...customizations.matchAll(/<WebResource>[\s\S]*?<\/WebResource>/g)]
      .map((m) => m[0])
      .filter((w) => w.includes('<WebResourceType>3</WebResourceType>'));
    expect(scripts.length).toBeGreaterThanOrEqual(4);
    for (const script of scripts) expect(script).toContain('&lt;Library name="cspb_/strings/forms.1036.resx"');
  });
});

describe('customizations.xml validation', () => {
  it('rejects a customizations.xml that breaks the schema (the check can fail)', () => {
    const files = unzipDist('CspBilling_unmanaged.zip');
    const broken = strFromU8(files['customizations.xml']!).replace('<Type>int</Type>', '<Type>int</Type><NotAnElement>1</NotAnElement>');
    expect(xmllintErrors(withoutNewerElements(broken), CUSTOMIZATIONS_XSD).join('\n')).toContain('NotAnElement');
  });

  it.each(allowedNewerElements)('allows $element only because a real export carries it ($seenIn)', ({ element, seenIn, seenAs, block }) => {
    const sample = seenIn.startsWith('reference-exports/') ? join(__dirname, seenIn) : join(SHARED_SAMPLES, seenIn);
    if (!existsSync(sample)) throw new Error(`sample missing: ${sample} (copy ../shared beside the project)`);
    expect(readFileSync(sample, 'utf8')).toMatch(new RegExp(`<${seenAs ?? element}[ />]`));
    const probe = block
      ? `<ImportExportXml><Languages><Language>1033</Language></Languages><${element}><x/></${element}></ImportExportXml>`
      : `<ImportExportXml><Entities><Entity><Name LocalizedName="x" OriginalName="x">x</Name><${element}>0</${element}></Entity></Entities></ImportExportXml>`;
    expect(xmllintErrors(probe, CUSTOMIZATIONS_XSD).join('\n')).toContain(element);
  });

  it.each([
    ['FormXml (a form control)', '<control id="cspb_quantity"', '<control bogus="1" id="cspb_quantity"'],
    ['FormXml (a PCF binding)', '<customControl formFactor="1"', '<customControl formFactor="tablet"'],
    ['SiteMap', '<SubArea Id="cspb_sub_invoices"', '<SubArea Bogus="x" Id="cspb_sub_invoices"'],
    ['SavedQuery', '<querytype>64</querytype>', '<querytype>64</querytype><notaviewelement />'],
    ['AppModule', '<FormFactor>1</FormFactor>', '<FormFactor>1</FormFactor><NotInAppModule />'],
    ['Role', '<RolePrivilege name="prvReadcspb_Offer" level="Global"', '<RolePrivilege name="prvReadcspb_Offer" level="Everywhere"'],
    ['ServiceEndpoint', '<Contract>8</Contract>', '<Contract>Webhook</Contract>'],
  ])('catches a schema error inside %s', (_what, from, to) => {
    const files = unzipDist('CspBilling_unmanaged.zip');
    const original = withoutNewerElements(strFromU8(files['customizations.xml']!));
    expect(original).toContain(from);
    expect(xmllintErrors(original.replace(from, to), CUSTOMIZATIONS_XSD).length).toBeGreaterThan(0);
  });
});

describe('packing', () => {
  it.each([true, false])('is deterministic (managed %s): two packs give byte-identical zips, equal to the built one', (managed) => {
    const a = packSolution(solutionInput(managed));
    const b = packSolution(solutionInput(managed));
    expect(Buffer.from(a).equals(Buffer.from(b))).toBe(true);
    expect(Buffer.from(a).equals(readFileSync(join(root, 'dist', managed ? 'CspBilling_managed.zip' : 'CspBilling_unmanaged.zip')))).toBe(true);
  });

  it('changes the zip when an input changes (the comparison above can fail)', () => {
    const input = solutionInput(true);
    const a = packSolution(input);
    const b = packSolution({ ...input, version: '9.9.9.0' });
    expect(Buffer.from(a).equals(Buffer.from(b))).toBe(false);
  });
});

describe('charts', () => {
  const customizations = () => strFromU8(unzipDist('CspBilling_unmanaged.zip')['customizations.xml']!);
  const unescape = (s: string) =>
    s
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&quot;/g, '"')
      .replace(/&amp;/g, '&');

  it('carry a datadescription valid against VisualizationDataDescription.xsd, its fetch against Fetch.xsd, grouping as the issue asks', () => {
    const descriptions = all(customizations(), /<datadescription>([\s\S]*?)<\/datadescription>/g).map(unescape);
    expect(descriptions).toHaveLength(5);
    const xsd = join(SHARED_SAMPLES, 'schemas/crm-sdk-9.0.0.2090-libxml2/VisualizationDataDescription.xsd');
    const fetchXsd = join(SHARED_SAMPLES, 'schemas/crm-sdk-9.0.0.2090-libxml2/Fetch.xsd');
    for (const d of descriptions) {
      expect(xmllintErrors(d, xsd)).toEqual([]);
      expect(xmllintErrors(/<fetch [\s\S]*<\/fetch>/.exec(d)![0], fetchXsd)).toEqual([]);
    }
    const text = descriptions.join('\n');
    expect(text).toMatch(/name="cspb_variance" aggregate="sum"[\s\S]*name="cspb_category"/);
    expect(text).toMatch(/name="cspb_totalleakage" aggregate="sum"[\s\S]*name="cspb_periodstart" dategrouping="month"/);
    expect(text).toMatch(
      /name="cspb_discrepancyid" aggregate="count"[\s\S]*name="cspb_customername"[\s\S]*attribute="cspb_resolutionstatus" operator="eq" value="100000000"/,
    );
    // Billed beside expected: two measures, each its own measurecollection (one per series, as Learn's "Understand charts" says), in base currency.
    expect(text).toMatch(
      /alias="aggregate_column" name="cspb_totalbilled_base" aggregate="sum"[\s\S]*alias="aggregate_column2" name="cspb_totalexpected_base" aggregate="sum" \/>[\s\S]*<measurecollection>\s*<measure alias="aggregate_column" \/>\s*<\/measurecollection>\s*<measurecollection>\s*<measure alias="aggregate_column2" \/>/,
    );
    // Sums of transaction-currency amounts are split by currency (issue 16): one series per currency.
    for (const d of descriptions.filter((x) => /aggregate="sum"/.test(x) && !/_base"/.test(x)))
      expect(d).toMatch(/<attribute groupby="true" alias="groupby_currency" name="transactioncurrencyid"/);
    // Only the latest run of each month counts: a re-run is not added twice (run charts by their flag, finding charts through the run).
    for (const d of descriptions) expect(d).toMatch(/(attribute="cspb_islatest" operator="eq" value="1")/);
    expect(text).toMatch(/<link-entity name="cspb_reconciliationrun" from="cspb_reconciliationrunid" to="cspb_runid" link-type="inner"/);
    // The accrual chart: accrued beside billed per month (base currency), of the latest accrual of each month.
    expect(text).toMatch(
      /alias="aggregate_column" name="cspb_amount_base" aggregate="sum"[\s\S]*alias="aggregate_column2" name="cspb_billedamount_base" aggregate="sum"[\s\S]*name="cspb_periodstart" dategrouping="month"[\s\S]*<link-entity name="cspb_accrualrun" from="cspb_accrualrunid" to="cspb_accrualrunid" link-type="inner"/,
    );
    expect(
      xmllintErrors(descriptions[0]!.replace('<measurecollection>', '<measures>').replace('</measurecollection>', '</measures>'), xsd).length,
    ).toBeGreaterThan(0);
  });

  it('are on the dashboard, which the app lists and its site map opens (Sample dashboards, Default SiteMap XML on Learn)', () => {
    const xml = customizations();
    const dashboard = /<Dashboard>[\s\S]*?<\/Dashboard>/.exec(xml)![0];
    const formId = /<FormId>([^<]+)<\/FormId>/.exec(dashboard)![1]!;
    expect(dashboard).toContain('<forms type="dashboard">');
    const chartIds = all(xml, /<savedqueryvisualizationid>([^<]+)<\/savedqueryvisualizationid>/g);
    const shown = all(dashboard, /<VisualizationId>([^<]+)<\/VisualizationId>/g);
    expect([...shown].sort()).toEqual([...chartIds].sort());
    expect(all(dashboard, /<ChartGridMode>([^<]+)</g)).toEqual(['Chart', 'Chart', 'Chart', 'Chart', 'Chart']);
    // Each chart control names the table of its chart and a view of that table.
    for (const [, table, view] of dashboard.matchAll(/<TargetEntityType>([^<]+)<\/TargetEntityType>[\s\S]*?<ViewId>([^<]+)<\/ViewId>/g)) {
      const entityStart = xml.indexOf(`<savedqueryid>${view}</savedqueryid>`);
      expect(entityStart).toBeGreaterThan(0);
      expect(xml.slice(entityStart, xml.indexOf('</savedquery>', entityStart))).toContain(`<entity name="${table}">`);
    }
    expect(xml).toContain(`<AppModuleComponent type="60" id="${formId}"`);
    expect(xml).toMatch(new RegExp(`<SubArea Id="cspb_sub_dashboard" Url="/workplace/home_dashboards.aspx" DefaultDashboard="\\${formId.slice(0, -1)}\\}"`));
  });
});
