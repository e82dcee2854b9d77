import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { generateAll } from '../../dataverse/src/codegen';
import { extensions, subscription, tables, type TableDef } from '../../dataverse/src/schema';
import { CspbSubscriptionStatus, CspbSubscriptionTable } from '../../dataverse/generated';

const root = resolve(__dirname, '../..');

describe('schema code generation', () => {
  it('committed generated files equal a fresh generation (run `npm run generate` after a schema change)', () => {
    const stale = [...generateAll(tables, extensions)]
      .filter(([path, content]) => !existsSync(resolve(root, path)) || readFileSync(resolve(root, path), 'utf8') !== content)
      .map(([path]) => path);
    expect(stale).toEqual([]);
  });

  it('is deterministic: generating twice gives the same files', () => {
    expect([...generateAll(tables, extensions)]).toEqual([...generateAll(tables, extensions)]);
  });

  it('notices a schema change: a new column changes the row type and the entity XML', () => {
    const changed: TableDef = {
      ...subscription,
      columns: [
        ...subscription.columns,
        { type: 'text', logicalName: 'cspb_note', schemaName: 'cspb_Note', displayName: 'Note', description: 'x', required: 'none', maxLength: 50 },
      ],
    };
    const before = generateAll([subscription]);
    const after = generateAll([changed]);
    expect(after.get('dataverse/generated/cspb_subscription.ts')).toContain('cspb_note: string | null;');
    expect(before.get('dataverse/generated/cspb_subscription.ts')).not.toContain('cspb_note');
    expect(after.get('solution/generated/entities/cspb_subscription.xml')).toContain('<attribute PhysicalName="cspb_Note">');
  });
});

describe('generated TypeScript for cspb_subscription', () => {
  it('names the table as the Web API addresses it', () => {
    expect(CspbSubscriptionTable).toEqual({
      logicalName: 'cspb_subscription',
      entitySetName: 'cspb_subscriptions',
      primaryId: 'cspb_subscriptionid',
      primaryName: 'cspb_name',
      keys: { cspb_key_vendorsubscriptionid: ['cspb_vendorsubscriptionid'] },
      // The schema's text lengths, for clipping names and refusing identifiers without importing the schema.
      maxLengths: { cspb_name: 200, cspb_vendorsubscriptionid: 100, cspb_currencycode: 3, cspb_changereason: 500 },
    });
  });

  it('keeps the status choice values stable', () => {
    expect(CspbSubscriptionStatus).toEqual({ Active: 100000000, Suspended: 100000001, Cancelled: 100000002, Expired: 100000003 });
  });

  it('types lookups as the Web API returns and binds them', () => {
    const source = readFileSync(resolve(root, 'dataverse/generated/cspb_subscription.ts'), 'utf8');
    expect(source).toContain('_cspb_customerid_value: string | null;');
    expect(source).toContain("'cspb_CustomerId@odata.bind'?: string | null;");
  });
});

describe('generated entity XML for cspb_subscription', () => {
  const xml = readFileSync(resolve(root, 'solution/generated/entities/cspb_subscription.xml'), 'utf8');
  const attribute = (schemaName: string): string => {
    const match = new RegExp(`<attribute PhysicalName="${schemaName}">([\\s\\S]*?)</attribute>`).exec(xml);
    if (!match) throw new Error(`no attribute ${schemaName} in the generated XML`);
    return match[1]!;
  };

  it('declares quantity as a whole number that cannot go below zero', () => {
    const quantity = attribute('cspb_Quantity');
    expect(quantity).toContain('<Type>int</Type>');
    expect(quantity).toContain('<MinValue>0</MinValue>');
    expect(quantity).toContain('<RequiredLevel>required</RequiredLevel>');
  });

  it('declares the primary name column with its length', () => {
    const name = attribute('cspb_Name');
    expect(name).toContain('<Type>nvarchar</Type>');
    expect(name).toContain('<DisplayMask>PrimaryName|');
    expect(name).toContain('<MaxLength>200</MaxLength>');
  });

  it('declares the term end as a date-only column (no time-zone shift)', () => {
    const termEnd = attribute('cspb_TermEndDate');
    expect(termEnd).toContain('<Format>date</Format>');
    expect(termEnd).toContain('<Behavior>2</Behavior>');
  });

  it('declares the status choice with its four options', () => {
    const status = attribute('cspb_Status');
    expect(status).toContain('<Type>picklist</Type>');
    expect(status.match(/<option value="\d+">/g)).toEqual([
      '<option value="100000000">',
      '<option value="100000001">',
      '<option value="100000002">',
      '<option value="100000003">',
    ]);
  });

  it('declares the customer lookup and its relationship to account', () => {
    expect(attribute('cspb_CustomerId')).toContain('<Type>lookup</Type>');
    const rel = readFileSync(resolve(root, 'solution/generated/relationships/cspb_subscription.fragment.xml'), 'utf8');
    expect(rel).toContain('<ReferencedEntityName>Account</ReferencedEntityName>');
    expect(rel).toContain('<ReferencingAttributeName>cspb_CustomerId</ReferencingAttributeName>');
    expect(rel).toContain('<CascadeDelete>Restrict</CascadeDelete>');
  });
});

describe('currency columns (what Dataverse adds to a table with amounts)', () => {
  it('every table with a money column has the Currency lookup, Exchange Rate and a read-only _base per amount, as the federal-asset-tracker export carries them', () => {
    const withMoney = tables.filter((t) => t.columns.some((c) => c.type === 'money'));
    expect(withMoney.length).toBeGreaterThanOrEqual(9);
    for (const t of withMoney) {
      const lookup = t.columns.find((c) => c.logicalName === 'transactioncurrencyid');
      expect(lookup).toMatchObject({
        type: 'lookup',
        schemaName: 'TransactionCurrencyId',
        platform: true,
        target: 'transactioncurrency',
        relationshipName: `TransactionCurrency_${t.schemaName}`,
        navigationProperty: 'transactioncurrencyid',
        onDelete: 'Restrict',
      });
      expect(t.columns.find((c) => c.logicalName === 'exchangerate')).toMatchObject({
        type: 'decimal',
        schemaName: 'ExchangeRate',
        readOnly: true,
        precision: 12,
      });
      for (const amount of t.columns.filter((c) => c.type === 'money' && !c.calculationOf))
        expect(t.columns.find((c) => c.logicalName === `${amount.logicalName}_base`)).toMatchObject({
          type: 'money',
          schemaName: `${amount.logicalName}_Base`,
          readOnly: true,
          calculationOf: amount.schemaName,
        });
    }
    for (const t of tables.filter((t) => !withMoney.includes(t))) expect(t.columns.map((c) => c.logicalName)).not.toContain('transactioncurrencyid');
  });

  it("the entity XML marks them as the platform's (IsCustomField 0, not valid for create or update where computed, CalculationOf) and the relationship has no roles", () => {
    const files = generateAll(tables, extensions);
    const entity = files.get('solution/generated/entities/cspb_reconciliationrun.xml')!;
    expect(entity).toMatch(/<attribute PhysicalName="TransactionCurrencyId">[\s\S]*?<IsCustomField>0<\/IsCustomField>/);
    expect(entity).toMatch(
      /<attribute PhysicalName="cspb_totalbilled_Base">[\s\S]*?<ValidForCreateApi>0<\/ValidForCreateApi>[\s\S]*?<CalculationOf>cspb_TotalBilled<\/CalculationOf>/,
    );
    const rel = files.get('solution/generated/relationships/cspb_reconciliationrun.fragment.xml')!;
    const currency = /<EntityRelationship Name="TransactionCurrency_cspb_ReconciliationRun">[\s\S]*?<\/EntityRelationship>/.exec(rel)?.[0] ?? '';
    expect(currency).toContain('<ReferencedEntityName>TransactionCurrency</ReferencedEntityName>');
    expect(currency).toContain('<CascadeDelete>Restrict</CascadeDelete>');
    expect(currency).not.toContain('EntityRelationshipRoles');
  });
});

describe('schema invariants', () => {
  const allColumns = [
    ...tables.flatMap((t) => t.columns.map((c) => ({ table: t.logicalName, c }))),
    ...extensions.flatMap((t) => t.columns.map((c) => ({ table: t.logicalName, c }))),
  ];

  it('gives every local option set a name no other column uses (Dataverse names them org-wide)', () => {
    const names = allColumns.flatMap(({ c }) => (c.type === 'choice' ? [c.optionSetName] : []));
    expect(names.length).toBeGreaterThan(10);
    expect(new Set(names).size).toBe(names.length);
  });

  it('prefixes every column and option value the solution adds', () => {
    // Not the columns Dataverse adds for amounts: transactioncurrencyid, exchangerate, <amount>_base.
    for (const { table, c } of allColumns.filter(({ c }) => !c.platform && !c.calculationOf)) expect(`${table}.${c.logicalName}`).toMatch(/\.cspb_[a-z0-9]+$/);
    for (const { c } of allColumns) if (c.type === 'choice') for (const o of c.options) expect(o.value).toBeGreaterThanOrEqual(100_000_000);
  });

  it('keys and lookups point at columns and tables that exist', () => {
    const known = new Set([...tables.map((t) => t.logicalName), ...extensions.map((t) => t.logicalName), 'transactioncurrency']);
    for (const table of tables) {
      const columns = new Set(table.columns.map((c) => c.logicalName));
      for (const key of table.keys ?? [])
        for (const c of key.columns) expect(`${table.logicalName}.${c}`).toBe(columns.has(c) ? `${table.logicalName}.${c}` : 'missing');
      for (const c of table.columns) if (c.type === 'lookup') expect(known.has(c.target)).toBe(true);
    }
  });

  it('lists each table after the tables it looks up (so imports and seeding can go in order)', () => {
    const order = tables.map((t) => t.logicalName);
    for (const table of tables) {
      for (const c of table.columns) {
        if (c.type !== 'lookup' || c.target === 'account' || c.target === table.logicalName) continue;
        expect(order.indexOf(c.target)).toBeLessThan(order.indexOf(table.logicalName));
      }
    }
  });
});
