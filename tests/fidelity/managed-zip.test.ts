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
import { STEPS } from '../../dataverse/src/schema/steps';
import { builtCustomizations } from '../support/dist';

const xml = builtCustomizations('CspBilling_managed.zip');
const blocks = (tag: string, text: string): string[] => [...text.matchAll(new RegExp(`<${tag}[ >][\\s\\S]*?</${tag}>`, 'g'))].map((m) => m[0]);
const value = (tag: string, text: string): string | undefined => new RegExp(`<${tag}>([^<]*)</${tag}>`).exec(text)?.[1];

describe('the built managed zip', () => {
  it('ships no step, and the steps deploy registers have no synchronous PostOperation one', () => {
    expect(blocks('SdkMessageProcessingStep', xml)).toEqual([]);
    expect(STEPS.length).toBe(7);
    for (const step of STEPS) expect(`${step.key}: ${step.stage} ${step.mode}`).not.toMatch(/PostOperation sync/);
  });

  it('names role 1 of every custom relationship by its lookup\'s schema name', () => {
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
});
