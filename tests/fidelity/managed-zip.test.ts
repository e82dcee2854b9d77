/**
 * The managed zip a production org imports, read as Dataverse would read it (issue 16's proof):
 * - no synchronous PostOperation step: a sync webhook inside the save's transaction that writes back
 *   deadlocks on the row lock ("Event framework", learn.microsoft.com/power-apps/developer/data-platform/event-framework);
 *   the zip ships no steps at all, and the steps the deploy script registers are checked too;
 * - every custom lookup's relationship role 1 names its navigation property by the lookup's schema
 *   name, as real exports do (tactec: cr97b_Contract), since Web API names are case-sensitive;
 * - every table with an amount carries Dataverse's currency columns and relationship, as the
 *   federal-asset-tracker export carries them ("Using currency columns",
 *   learn.microsoft.com/power-apps/maker/data-platform/types-of-fields#using-currency-columns).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { STEPS } from '../../dataverse/src/schema/steps';
import { builtCustomizations } from '../support/dist';

const xml = builtCustomizations('CspBilling_managed.zip');
const blocks = (tag: string, text: string): string[] => [...text.matchAll(new RegExp(`<${tag}[ >][\\s\\S]*?</${tag}>`, 'g'))].map((m) => m[0]);
const value = (tag: string, text: string): string | undefined => new RegExp(`<${tag}>([^<]*)</${tag}>`).exec(text)?.[1];

describe('the built managed zip', () => {
  it('ships no step, and the steps deploy registers have no synchronous PostOperation one', () => {
    expect(blocks('SdkMessageProcessingStep', xml)).toEqual([]);
    expect(STEPS.length).toBe(12);
    for (const step of STEPS) expect(`${step.key}: ${step.stage} ${step.mode}`).not.toMatch(/PostOperation sync/);
  });

  it("names role 1 of every custom relationship by its lookup's schema name", () => {
    const custom = blocks('EntityRelationship', xml).filter((r) => r.includes('<EntityRelationshipRoles>'));
    expect(custom.length).toBeGreaterThan(15);
    for (const r of custom) {
      const role1 = blocks('EntityRelationshipRole', r).find((role) => value('RelationshipRoleType', role) === '1')!;
      expect(value('NavigationPropertyName', role1)).toBe(value('ReferencingAttributeName', r));
    }
  });

  it('gives every table with an amount its Currency, Exchange Rate, a _Base per amount and the TransactionCurrency relationship', () => {
    const entities = blocks('Entity', xml).filter((e) => !e.includes('unmodified="1"'));
    const withMoney = entities.filter((e) => blocks('attribute', e).some((a) => value('Type', a) === 'money'));
    expect(withMoney.length).toBeGreaterThanOrEqual(9);
    const relationships = blocks('EntityRelationship', xml);
    for (const e of withMoney) {
      const name = /<entity Name="([^"]+)"/.exec(e)![1]!;
      const attributes = blocks('attribute', e);
      const physical = (a: string) => /PhysicalName="([^"]+)"/.exec(a)![1]!;
      expect(attributes.map(physical)).toEqual(expect.arrayContaining(['TransactionCurrencyId', 'ExchangeRate']));
      for (const amount of attributes.filter((a) => value('Type', a) === 'money' && !a.includes('<CalculationOf>'))) {
        const base = attributes.find((a) => value('CalculationOf', a) === physical(amount));
        expect(base && physical(base)).toBe(`${value('LogicalName', amount)}_Base`);
      }
      const currency = relationships.find((r) => r.includes(`Name="TransactionCurrency_${name}"`));
      expect(currency && value('ReferencedEntityName', currency)).toBe('TransactionCurrency');
    }
  });

  it('gives every table the system columns and relationships a real export of a user-owned table carries (tactec cr97b_Project), and no VersionNumber', () => {
    const sample = join(__dirname, '../../../shared/samples/solutions/tactec-dev-powerapps-packed/customizations.xml');
    if (!existsSync(sample)) throw new Error(`${sample} is missing: this test reads the tactec export from ../shared/samples`);
    const real = readFileSync(sample, 'utf8');
    const project = blocks('Entity', real).find((e) => e.includes('<entity Name="cr97b_Project">'))!;
    const systemOf = (entity: string) =>
      blocks('attribute', entity)
        .filter(
          (a) =>
            value('IsCustomField', a) === '0' &&
            value('Type', a) !== 'primarykey' &&
            !['TransactionCurrencyId', 'ExchangeRate'].includes(/PhysicalName="([^"]+)"/.exec(a)![1]!),
        )
        .map((a) => `${/PhysicalName="([^"]+)"/.exec(a)![1]} ${value('Type', a)}`)
        .sort();
    const expected = systemOf(project);
    expect(expected).toHaveLength(16);
    const relationships = blocks('EntityRelationship', xml).map((r) => /Name="([^"]+)"/.exec(r)![1]!);
    for (const entity of blocks('Entity', xml).filter((e) => !e.includes('unmodified="1"'))) {
      const name = /<entity Name="([^"]+)"/.exec(entity)![1]!;
      expect({ name, system: systemOf(entity) }).toEqual({ name, system: expected });
      expect(entity).not.toMatch(/PhysicalName="VersionNumber"/i);
      const t = name.toLowerCase();
      for (const r of [`business_unit_${t}`, `lk_${t}_createdby`, `lk_${t}_modifiedby`, `owner_${t}`, `team_${t}`, `user_${t}`])
        expect(relationships).toContain(r);
    }
  });

  it('gives every table the default views a real export has: Active and Inactive, Advanced Find, Associated, Quick Find, Lookup', () => {
    const sample = join(__dirname, '../../../shared/samples/solutions/tactec-dev-powerapps-packed/customizations.xml');
    if (!existsSync(sample)) throw new Error(`${sample} is missing: this test reads the tactec export from ../shared/samples`);
    const types = (entity: string) =>
      blocks('savedquery', entity)
        .filter((q) => value('isdefault', q) === '1' || /Inactive/.test(q))
        .map((q) => Number(value('querytype', q)));
    const project = blocks('Entity', readFileSync(sample, 'utf8')).find((e) => e.includes('<entity Name="cr97b_Project">'))!;
    const theirs = new Set(types(project));
    for (const t of [0, 1, 2, 4, 64]) expect(theirs.has(t)).toBe(true);
    for (const entity of blocks('Entity', xml).filter((e) => !e.includes('unmodified="1"'))) {
      const name = /<entity Name="([^"]+)"/.exec(entity)![1]!;
      const ours = blocks('savedquery', entity);
      expect({ name, types: [...new Set(ours.map((q) => Number(value('querytype', q))))].filter((q) => theirs.has(q)).sort((a, b) => a - b) }).toEqual({
        name,
        types: [0, 1, 2, 4, 64],
      });
      expect(ours.some((q) => /<condition attribute="statecode" operator="eq" value="1"/.test(q))).toBe(true);
    }
  });
});
