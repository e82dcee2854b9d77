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

  it('lists exactly the components customizations.xml defines, and carries every file they point at', () => {
    const solution = text('solution.xml');
    const customizations = text('customizations.xml');
    const roots = all(solution, /<RootComponent type="(\d+" schemaName="[^"]+)"/g).map((s) => s.replace('" schemaName="', ':'));
    const defined = [
      ...all(customizations, /<Entity>\s*<Name [^>]*>([^<]+)<\/Name>/g).map((n) => `1:${n.toLowerCase()}`),
      ...all(customizations, /<WebResource>\s*<WebResourceId>[^<]+<\/WebResourceId>\s*<Name>([^<]+)<\/Name>/g).map((n) => `61:${n}`),
      ...all(customizations, /<CustomControl>\s*<Name>([^<]+)<\/Name>/g).map((n) => `66:${n}`),
    ];
    expect([...roots].sort()).toEqual([...defined].sort());
    expect(roots).toEqual(expect.arrayContaining(['1:cspb_subscription', '61:cspb_/scripts/subscription.form.js', '66:cspb_CspBilling.ReconciliationGrid']));

    for (const fileName of all(customizations, /<FileName>\/([^<]+)<\/FileName>/g)) {
      expect(Object.keys(files)).toContain(fileName);
    }
    const manifest = text('Controls/cspb_CspBilling.ReconciliationGrid/ControlManifest.xml');
    for (const path of all(manifest, /(?:code|resx) path="([^"]+)"/g)) {
      expect(Object.keys(files)).toContain(`Controls/cspb_CspBilling.ReconciliationGrid/${path}`);
    }
  });

  it('wires the form script: the main form loads the library and calls the bundle namespace on load', () => {
    const customizations = text('customizations.xml');
    expect(customizations).toMatch(/<Library name="cspb_\/scripts\/subscription.form.js"/);
    expect(customizations).toMatch(/<Handler functionName="Cspb.SubscriptionForm.onLoad" libraryName="cspb_\/scripts\/subscription.form.js"[^>]*passExecutionContext="true"/);
    expect(text('WebResources/cspb_/scripts/subscription.form.js')).toContain('Cspb.SubscriptionForm=');
  });
});

describe('customizations.xml validation', () => {
  it('rejects a customizations.xml that breaks the schema (the check can fail)', () => {
    const files = unzipDist('CspBilling_unmanaged.zip');
    const broken = strFromU8(files['customizations.xml']!).replace('<Type>int</Type>', '<Type>int</Type><NotAnElement>1</NotAnElement>');
    expect(xmllintErrors(withoutNewerElements(broken), CUSTOMIZATIONS_XSD).join('\n')).toContain('NotAnElement');
  });

  it.each(allowedNewerElements)('allows $element only because a real export carries it ($seenIn)', ({ element, seenIn }) => {
    const sample = join(SHARED_SAMPLES, seenIn);
    if (!existsSync(sample)) throw new Error(`shared sample missing: ${sample} (copy ../shared beside the project)`);
    expect(readFileSync(sample, 'utf8')).toMatch(new RegExp(`<${element}[ />]`));
    const probe = `<ImportExportXml><Entities><Entity><Name LocalizedName="x" OriginalName="x">x</Name><${element}>0</${element}></Entity></Entities></ImportExportXml>`;
    expect(xmllintErrors(probe, CUSTOMIZATIONS_XSD).join('\n')).toContain(element);
  });
});

describe('packing', () => {
  it('is deterministic: the same input gives byte-identical zips', () => {
    const a = packSolution(solutionInput(true));
    const b = packSolution(solutionInput(true));
    expect(Buffer.from(a).equals(Buffer.from(b))).toBe(true);
  });
});
