/**
 * Our generated components against the element layout of real exports: every child element (and
 * attribute) we write must be one the real export writes too, and we must write the elements that
 * carry the component's identity and content.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { strFromU8, unzipSync } from 'fflate';
import { SHARED_SAMPLES } from '../support/xmllint';
import { attrNames, child, childNames, findAll, parseXml, type Node } from './xml-tree';

const root = join(__dirname, '../..');
const reference = (file: string): Node => parseXml(readFileSync(join(__dirname, 'reference-exports', file), 'utf8'));
const shared = (file: string): Node => {
  const path = join(SHARED_SAMPLES, file);
  if (!existsSync(path)) throw new Error(`shared sample missing: ${path}`);
  return parseXml(readFileSync(path, 'utf8'));
};

const zip = join(root, 'dist', 'CspBilling_managed.zip');
if (!existsSync(zip)) throw new Error(`${zip} is missing: run \`npm run build\` first`);
const ours = parseXml(strFromU8(unzipSync(readFileSync(zip))['customizations.xml']!));

/** Union of child names over all nodes. */
const union = (nodes: Node[], of: (n: Node) => string[]): string[] => [...new Set(nodes.flatMap(of))].sort();

function expectLayout(name: string, mine: Node[], theirs: Node[], mustHave: string[]): void {
  expect(mine.length).toBeGreaterThan(0);
  expect(theirs.length).toBeGreaterThan(0);
  const theirChildren = union(theirs, childNames);
  for (const n of mine) {
    const extra = childNames(n).filter((c) => !theirChildren.includes(c));
    expect({ name, extra }).toEqual({ name, extra: [] });
    for (const m of mustHave) expect({ name, has: childNames(n).includes(m) ? m : `missing ${m}` }).toEqual({ name, has: m });
  }
}

describe('generated components have the element layout of real exports', () => {
  it('SavedQuery (views) matches the tactec packed export', () => {
    const theirs = findAll(shared('solutions/tactec-dev-powerapps-packed/customizations.xml'), 'savedquery');
    expectLayout('savedquery', findAll(ours, 'savedquery'), theirs, ['savedqueryid', 'layoutxml', 'fetchxml', 'querytype', 'LocalizedNames']);
    expect(findAll(ours, 'savedquery').length).toBeGreaterThanOrEqual(4 + 11 * 3);
  });

  it('ships the renewals view: active subscriptions whose term ends in the next 60 days, soonest first', () => {
    const xml = strFromU8(unzipSync(readFileSync(zip))['customizations.xml']!);
    const view = /<savedquery>(?:(?!<\/savedquery>)[\s\S])*Renewals in the Next 60 Days(?:(?!<\/savedquery>)[\s\S])*<\/savedquery>/.exec(xml)?.[0];
    expect(view).toBeDefined();
    expect(view).toContain('<condition attribute="cspb_termenddate" operator="next-x-days" value="60" />');
    expect(view).toContain('<order attribute="cspb_termenddate" descending="false" />');
    expect(view).toMatch(/<attribute name="cspb_autorenew" \/>[\s\S]*<attribute name="cspb_customerunitprice" \/>/);
  });

  it('main forms match the tactec packed export and the approvals kit form', () => {
    const tactec = shared('solutions/tactec-dev-powerapps-packed/customizations.xml');
    const kit = reference('FormXml-main-subgrid.xml');
    const theirForms = [...findAll(tactec, 'systemform'), ...findAll(kit, 'systemform')];
    const mine = findAll(ours, 'systemform');
    expect(mine).toHaveLength(25);
    expectLayout('systemform', mine, theirForms, ['formid', 'form', 'LocalizedNames']);
    const theirInner = [...findAll(tactec, 'form'), ...findAll(kit, 'form')];
    // formLibraries is FormXml.xsd's (validated there); neither sample form loads a custom library.
    const withoutLibraries = (f: Node): Node => ({ ...f, children: f.children.filter((c) => c.name !== 'formLibraries') });
    expectLayout(
      'form',
      mine.map((f) => withoutLibraries(child(f, 'form')!)),
      theirInner,
      ['tabs'],
    );
    // Subscription, billing contract, invoice, invoice run, offer, price list item and one-time charge forms load their
    // scripts (the last three only keep their Currency lookup).
    expect(mine.filter((f) => child(child(f, 'form')!, 'formLibraries'))).toHaveLength(7);
  });

  it('a PCF on a subgrid is bound the way the approvals kit binds a grid: controlDescription per form factor', () => {
    const kit = findAll(reference('FormXml-main-subgrid.xml'), 'controlDescription');
    const mine = findAll(ours, 'controlDescription');
    // The grid on the run form's subgrid, and the BillingImport field control on the import form.
    expect(mine.length).toBe(2);
    expectLayout('controlDescription', mine, kit, ['customControl']);
    const theirControls = kit.flatMap((d) => d.children);
    const theirAttrs = union(theirControls, attrNames);
    const grids = mine.filter((d) => d.children.some((c) => c.attrs.name === 'cspb_CspBilling.ReconciliationGrid'));
    expect(grids).toHaveLength(1);
    for (const d of mine) {
      const control = grids.includes(d) ? 'cspb_CspBilling.ReconciliationGrid' : 'cspb_CspBilling.BillingImport';
      const factors = d.children.filter((c) => c.attrs.name === control).map((c) => c.attrs.formFactor);
      expect(factors).toEqual(['0', '1', '2']);
      // One default entry (the standard control's id, no formFactor), as in the TALXIS field binding
      // and the approvals kit; every form factor named once (issue 16: a second formFactor="0").
      const defaults = d.children.filter((c) => c.attrs.name === undefined);
      expect(defaults.map((c) => [Boolean(c.attrs.id), c.attrs.formFactor])).toEqual([[true, undefined]]);
      const everyFactor = d.children.map((c) => c.attrs.formFactor).filter((f) => f !== undefined);
      expect(new Set(everyFactor).size).toBe(everyFactor.length);
      if (!grids.includes(d)) expect(findAll(defaults[0]!, 'datafieldname').length).toBe(1);
      for (const c of d.children) expect(attrNames(c).filter((a) => !theirAttrs.includes(a))).toEqual([]);
      if (!grids.includes(d)) continue;
      const dataSet = findAll(d, 'data-set');
      expectLayout('data-set', dataSet, findAll(reference('FormXml-main-subgrid.xml'), 'data-set'), ['ViewId', 'TargetEntityType', 'RelationshipName']);
    }
  });

  it('AppModule matches the approvals kit', () => {
    expectLayout('AppModule', findAll(ours, 'AppModule'), findAll(reference('AppModule.xml'), 'AppModule'), [
      'UniqueName',
      'WebResourceId',
      'FormFactor',
      'ClientType',
      'AppModuleComponents',
      'AppModuleRoleMaps',
      'LocalizedNames',
    ]);
  });

  it('AppModuleSiteMap and its SiteMap match the approvals kit', () => {
    const theirs = reference('AppModuleSiteMap.xml');
    expectLayout('AppModuleSiteMap', findAll(ours, 'AppModuleSiteMap'), findAll(theirs, 'AppModuleSiteMap'), ['SiteMapUniqueName', 'SiteMap']);
    for (const name of ['Area', 'Group', 'SubArea']) {
      expectLayout(name, findAll(ours, name), findAll(theirs, name), ['Titles']);
      // The kit has no dashboard sub-area: Url and DefaultDashboard are the ones SiteMapType.xsd documents
      // for it (and the default site map's nav_dashboards uses), on the dashboard sub-area only.
      const theirAttrs = union(findAll(theirs, name), attrNames);
      for (const n of findAll(ours, name)) {
        const extra = n.attrs['DefaultDashboard'] ? ['Url', 'DefaultDashboard'] : [];
        expect(attrNames(n).filter((a) => !theirAttrs.includes(a) && !extra.includes(a))).toEqual([]);
      }
    }
  });

  it('Role matches the CoE starter kit role', () => {
    const theirs = findAll(reference('Role.xml'), 'Role');
    const mine = findAll(ours, 'Roles').flatMap((r) => r.children);
    expect(mine.map((r) => r.attrs.name).sort()).toEqual(['CSP Billing Admin', 'CSP Billing Integration', 'CSP Finance', 'CSP Sales']);
    // IntroducedVersion is in the 2018 schema's Role type; the CoE export omits it.
    expectLayout(
      'Role',
      mine.map((r) => ({ ...r, children: r.children.filter((c) => c.name !== 'IntroducedVersion') })),
      theirs,
      ['RolePrivileges'],
    );
    expect(union(mine, attrNames).filter((a) => !union(theirs, attrNames).includes(a))).toEqual([]);
    for (const p of mine.flatMap((r) => findAll(r, 'RolePrivilege')))
      expect(p.attrs.name).toMatch(/^prv(Create|Read|Write|Delete|Append|AppendTo|Assign|Share)[A-Za-z_]+$/);
  });

  it('EnvironmentVariableDefinition matches the approvals kit', () => {
    const theirs = findAll(reference('environmentvariabledefinition.xml'), 'environmentvariabledefinition');
    const mine = findAll(ours, 'environmentvariabledefinition');
    expect(mine.map((v) => v.attrs.schemaname).sort()).toEqual(['cspb_DefaultCurrency', 'cspb_ReconciliationTolerance', 'cspb_WebhookBaseUrl']);
    expectLayout('environmentvariabledefinition', mine, theirs, ['displayname', 'description', 'type', 'isrequired', 'secretstore']);
    expect(union(mine, attrNames)).toEqual(union(theirs, attrNames));
  });
});
