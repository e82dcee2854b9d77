/**
 * Lookups are written through their single-valued navigation property, and Web API names are
 * case-sensitive ("Use the Web API to associate tables on create": `<nav>@odata.bind`;
 * learn.microsoft.com/power-apps/developer/data-platform/webapi/create-entity-web-api#associate-table-rows-on-create).
 * A custom lookup's navigation property is its schema name (real export:
 * ../shared/samples/solutions/tactec-dev-powerapps-packed/customizations.xml, relationship
 * cr97b_Project_Contract_Contract: role 1 NavigationPropertyName `cr97b_Contract`, the same as
 * ReferencingAttributeName). The local org takes its navigation properties from the built XML, so
 * every bind the code writes must match it exactly.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { LocalOrg } from '../../dataverse/src/local-org';
import { tablesFromCustomizations } from '../../dataverse/src/local-org/customizations-metadata';
import { extensions, tables } from '../../dataverse/src/schema';
import { builtCustomizations, ROOT } from '../support/dist';

const TACTEC = join(ROOT, '../shared/samples/solutions/tactec-dev-powerapps-packed/customizations.xml');

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name === 'generated' || name === 'out' || name.startsWith('.')) continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...sourceFiles(path));
    else if (/\.(ts|tsx)$/.test(name) && !name.endsWith('.d.ts')) out.push(path);
  }
  return out;
}

/** Every `'<nav>@odata.bind': '/<set>(...'` the product's code writes. */
function bindsInCode(): Array<{ file: string; nav: string; set: string }> {
  const binds: Array<{ file: string; nav: string; set: string }> = [];
  const re = /['"`]([A-Za-z_][A-Za-z0-9_]*)@odata\.bind['"`]\s*\]?\s*[:=]\s*(?:[^'"`\n]*\?\s*)?[`'"]\/?([a-z_]+)\(/g;
  for (const folder of ['core', 'dataverse/src', 'plugins/src', 'webresources/src', 'pcf-controls', 'scripts']) {
    for (const file of sourceFiles(join(ROOT, folder))) {
      const text = readFileSync(file, 'utf8');
      for (const m of text.matchAll(re)) binds.push({ file: relative(ROOT, file), nav: m[1]!, set: m[2]! });
    }
  }
  return binds;
}

describe('navigation properties (case-sensitive, from the built customizations.xml)', () => {
  const built = tablesFromCustomizations(builtCustomizations());
  const lookups = [...built.tables, ...built.extensions].flatMap((t) => t.columns.filter((c) => c.type === 'lookup').map((c) => ({ table: t, column: c })));

  test('a real export names role 1 by the lookup schema name, and so does ours', () => {
    const sample = readFileSync(TACTEC, 'utf8');
    expect(sample).toMatch(
      /<ReferencingAttributeName>cr97b_Contract<\/ReferencingAttributeName>[\s\S]*?<NavigationPropertyName>cr97b_Contract<\/NavigationPropertyName>\s*<RelationshipRoleType>1/,
    );
    expect(lookups.length).toBeGreaterThan(15);
    // Custom lookups only: the platform's currency lookup is bound by its lowercase name (tests/fidelity/currency.test.ts).
    for (const { column } of lookups) if (column.type === 'lookup' && !column.platform) expect(column.navigationProperty).toBe(column.schemaName);
  });

  test('every bind in the code names a navigation property the built XML declares, to the table it targets', () => {
    const ours = new Map(
      lookups.map(({ table, column }) => [
        `${column.type === 'lookup' ? column.navigationProperty : ''}->${column.type === 'lookup' ? column.targetEntitySet : ''}`,
        table.logicalName,
      ]),
    );
    const binds = bindsInCode();
    // The deploy script binds Dataverse's own tables (sdkmessages, serviceendpoints...), which the solution does not define.
    const checked = binds.filter((b) => b.set.startsWith('cspb_') || b.set === 'accounts');
    expect(checked.length).toBeGreaterThan(10);
    const missing = checked.filter((b) => !ours.has(`${b.nav}->${b.set}`)).map((b) => `${b.file}: ${b.nav}@odata.bind -> ${b.set}`);
    expect(missing).toEqual([]);
  });

  test('an org built from the shipped XML refuses a bind whose case differs, and takes the exact one', async () => {
    const org = new LocalOrg({ customizationsXml: builtCustomizations() });
    const account = await org.create('accounts', { name: 'Contoso' });
    await expect(
      org.create('cspb_billingcontracts', {
        cspb_name: 'c',
        cspb_currencycode: 'USD',
        cspb_paymenttermdays: 30,
        'cspb_customerid@odata.bind': `/accounts(${account})`,
      }),
    ).rejects.toMatchObject({ status: 400 });
    const id = await org.create('cspb_billingcontracts', {
      cspb_name: 'c',
      cspb_currencycode: 'USD',
      cspb_paymenttermdays: 30,
      'cspb_CustomerId@odata.bind': `/accounts(${account})`,
    });
    expect((await org.retrieve<Record<string, unknown>>('cspb_billingcontracts', id))['_cspb_customerid_value']).toBe(account);
  });

  test('the org built without a solution file reads the same metadata the built zip carries (no drift)', () => {
    const fromSchema = new LocalOrg({ tables, extensions }).metadata;
    const fromZip = new LocalOrg({ customizationsXml: builtCustomizations() }).metadata;
    const shape = (m: LocalOrg['metadata']) =>
      m.all.map((t) => ({
        set: t.entitySet,
        id: t.primaryId,
        name: t.primaryName,
        columns: [...t.columns.values()],
        nav: [...t.navigation.keys()],
        keys: t.keys,
      }));
    expect(shape(fromZip)).toEqual(shape(fromSchema));
  });
});
