import type { DataverseClient, EntityRecord } from '../../../dataverse/src/client';
import { filter } from '../../../dataverse/src/client';
import type { LocalOrg } from '../../../dataverse/src/local-org';
import type { CspbBillingLineRow } from '../../../dataverse/generated';

/** Generated row interfaces have no index signature, which EntityRecord-bounded generics require. */
type LineRow = CspbBillingLineRow & EntityRecord;
import { allPages, failure, GUID_RE, importRecord, lineRecord } from './fixtures';

/**
 * The one contract every DataverseClient honours, run against the in-process org and against
 * its HTTP face through dynamics-web-api. `org` is the org behind the client: tests check
 * outcomes on it directly (row counts, snapshots) rather than through the client under test.
 */
export interface ContractTarget {
  readonly client: DataverseClient;
  readonly org: LocalOrg;
  close(): Promise<void>;
}

const LINES = 'cspb_billinglines';
const IMPORTS = 'cspb_billingimports';

export function describeContract(name: string, make: () => Promise<ContractTarget>): void {
  describe(`DataverseClient contract: ${name}`, () => {
    let t: ContractTarget;
    let client: DataverseClient;
    let org: LocalOrg;
    beforeEach(async () => {
      t = await make();
      client = t.client;
      org = t.org;
    });
    afterEach(async () => {
      await t.close();
    });

    describe('create and retrieve', () => {
      it('creates a row, applies schema defaults and returns it in Web API shape', async () => {
        const id = await client.create(IMPORTS, importRecord('h1'));
        expect(id).toMatch(GUID_RE);
        const row = await client.retrieve(IMPORTS, id);
        expect(row['cspb_billingimportid']).toBe(id);
        expect(row['cspb_name']).toBe('Bill h1');
        expect(row['cspb_vendor']).toBe(100_000_000); // default Microsoft
        expect(row['cspb_importstatus']).toBe(100_000_000); // default Pending
        expect(row['cspb_invoicenumber']).toBeNull();
        expect(row['@odata.etag']).toMatch(/^W\/"\d+"$/);
        expect(row['createdon']).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
        expect(row['modifiedon']).toBe(row['createdon']);
        expect(org.count(IMPORTS)).toBe(1);
      });

      it('selects columns (the primary id and ETag always come) and shows lookups as _x_value', async () => {
        const imp = await client.create(IMPORTS, importRecord('h1'));
        const line = await client.create(LINES, lineRecord(imp, 'k1', { cspb_total: 1234.5678, cspb_chargestartdate: '2024-02-29' }));
        const row = await client.retrieve<LineRow>(LINES, line, { select: ['cspb_total', '_cspb_importid_value', 'cspb_chargestartdate'] });
        expect(Object.keys(row).sort()).toEqual(['@odata.etag', '_cspb_importid_value', 'cspb_billinglineid', 'cspb_chargestartdate', 'cspb_total']);
        expect(row._cspb_importid_value).toBe(imp);
        expect(row.cspb_total).toBe(1234.5678);
        expect(row.cspb_chargestartdate).toBe('2024-02-29');
      });

      it('keeps a caller-chosen primary id', async () => {
        const id = '3f2504e0-4f89-11d3-9a0c-0305e82c3301';
        expect(await client.create(IMPORTS, importRecord('h1', { cspb_billingimportid: id }))).toBe(id);
        expect((await client.retrieve(IMPORTS, id))['cspb_contenthash']).toBe('h1');
      });

      it('retrieves by alternate key, case-insensitively like the SQL collation', async () => {
        const id = await client.create(IMPORTS, importRecord("Hash 'q', x/y"));
        expect((await client.retrieve(IMPORTS, { cspb_contenthash: "hash 'Q', x/y" }))['cspb_billingimportid']).toBe(id);
      });

      it('retrieves by a composite key that includes a lookup', async () => {
        const imp = await client.create(IMPORTS, importRecord('h1'));
        const run = await client.create('cspb_reconciliationruns', {
          cspb_name: 'Run',
          'cspb_ImportId@odata.bind': `cspb_billingimports(${imp})`,
          cspb_runstatus: 100_000_000,
          cspb_currencycode: 'USD',
        });
        const d = await client.create('cspb_discrepancies', {
          cspb_name: 'D1',
          'cspb_RunId@odata.bind': `cspb_reconciliationruns(${run})`,
          cspb_category: 100_000_000,
          cspb_resolutionstatus: 100_000_000,
          cspb_discrepancykey: 'missing-1',
          cspb_currencycode: 'USD',
        });
        const found = await client.retrieve('cspb_discrepancies', { _cspb_runid_value: run, cspb_discrepancykey: 'missing-1' });
        expect(found['cspb_discrepancyid']).toBe(d);
      });

      it('expands a single-valued navigation property with a nested $select', async () => {
        const imp = await client.create(IMPORTS, importRecord('h1'));
        const line = await client.create(LINES, lineRecord(imp, 'k1'));
        const row = await client.retrieve(LINES, line, { select: ['cspb_name'], expand: [{ property: 'cspb_ImportId', select: ['cspb_contenthash'] }] });
        const expanded = row['cspb_ImportId'] as EntityRecord;
        expect(expanded['cspb_contenthash']).toBe('h1');
        expect(expanded['cspb_billingimportid']).toBe(imp);
        expect(expanded['cspb_name']).toBeUndefined();
      });

      it('answers 404 with Dataverse code 0x80040217 for a missing row, by id or key', async () => {
        const byId = await failure(client.retrieve(IMPORTS, '00000000-0000-0000-0000-000000000001'));
        expect([byId.status, byId.code]).toEqual([404, '0x80040217']);
        const byKey = await failure(client.retrieve(IMPORTS, { cspb_contenthash: 'nope' }));
        expect(byKey.status).toBe(404);
      });

      it('refuses a key that is not a declared alternate key', async () => {
        await client.create(IMPORTS, importRecord('h1'));
        const e = await failure(client.retrieve(IMPORTS, { cspb_name: 'Bill h1' }));
        expect(e.status).toBe(400);
      });
    });

    describe('validation', () => {
      let imp: string;
      beforeEach(async () => {
        imp = await client.create(IMPORTS, importRecord('h1'));
      });
      const cases: [string, string, () => EntityRecord, string][] = [
        ['text over its maximum length', LINES, () => lineRecord(imp, 'k', { cspb_currencycode: 'EURO' }), '0x80044331'],
        ['a choice value outside the option set', IMPORTS, () => importRecord('h2', { cspb_vendor: 7 }), '0x8004431a'],
        ['a missing required column', LINES, () => lineRecord(imp, 'k', { cspb_linekey: null }), '0x80044331'],
        ['an unknown column', LINES, () => lineRecord(imp, 'k', { cspb_nonsense: 1 }), '0x80060888'],
        ['a whole number that is not whole', LINES, () => lineRecord(imp, 'k', { cspb_sourcerow: 1.5 }), '0x80044331'],
        ['a date that is not a calendar day', LINES, () => lineRecord(imp, 'k', { cspb_chargeenddate: '2023-02-29' }), '0x80044331'],
        [
          'a lookup written as _x_value',
          LINES,
          () => ({ cspb_name: 'n', cspb_linekey: 'k', cspb_currencycode: 'USD', _cspb_importid_value: imp }),
          '0x80060888',
        ],
        [
          'a navigation property in the wrong case',
          LINES,
          () => ({ cspb_name: 'n', cspb_linekey: 'k', cspb_currencycode: 'USD', 'cspb_importid@odata.bind': `cspb_billingimports(${imp})` }),
          '0x80060888',
        ],
      ];
      it.each(cases)('refuses %s (400)', async (_label, set, record, code) => {
        const before = org.count(set);
        const e = await failure(client.create(set, record()));
        expect([e.status, e.code]).toEqual([400, code]);
        expect(org.count(set)).toBe(before);
      });

      it('refuses a lookup to a row that does not exist (404)', async () => {
        const e = await failure(client.create(LINES, lineRecord('00000000-0000-0000-0000-0000000000aa', 'k')));
        expect(e.status).toBe(404);
        expect(org.count(LINES)).toBe(0);
      });

      it('refuses a duplicate alternate key with 412 / 0x80060892 and keeps one row', async () => {
        await client.create(LINES, lineRecord(imp, 'K-1'));
        const e = await failure(client.create(LINES, lineRecord(imp, 'k-1')));
        expect([e.status, e.code]).toEqual([412, '0x80060892']);
        expect(org.count(LINES)).toBe(1);
      });
    });

    describe('update, upsert, delete', () => {
      let imp: string;
      beforeEach(async () => {
        imp = await client.create(IMPORTS, importRecord('h1'));
      });

      it('updates only the given columns and changes the ETag and modifiedon version', async () => {
        const line = await client.create(LINES, lineRecord(imp, 'k1', { cspb_quantity: 3 }));
        const before = await client.retrieve(LINES, line);
        await client.update(LINES, line, { cspb_productname: 'E5' });
        const after = await client.retrieve(LINES, line);
        expect(after['cspb_productname']).toBe('E5');
        expect(after['cspb_quantity']).toBe(3);
        expect(after['@odata.etag']).not.toBe(before['@odata.etag']);
        expect(Number(after['versionnumber'])).toBeGreaterThan(Number(before['versionnumber']));
      });

      it('honours If-Match: the current ETag updates, a stale one is 412 / 0x80060882 and changes nothing', async () => {
        const line = await client.create(LINES, lineRecord(imp, 'k1'));
        const etag = String((await client.retrieve(LINES, line))['@odata.etag']);
        await client.update(LINES, line, { cspb_productname: 'first' }, { ifMatch: etag });
        const e = await failure(client.update(LINES, line, { cspb_productname: 'second' }, { ifMatch: etag }));
        expect([e.status, e.code]).toEqual([412, '0x80060882']);
        expect((await client.retrieve(LINES, line))['cspb_productname']).toBe('first');
      });

      it('never creates a row on update (404)', async () => {
        const e = await failure(client.update(LINES, { cspb_linekey: 'ghost' }, { cspb_name: 'x' }));
        expect(e.status).toBe(404);
        expect(org.count(LINES)).toBe(0);
      });

      it('upserts by alternate key: created once, then updated in place', async () => {
        const first = await client.upsert(LINES, { cspb_linekey: 'k1' }, lineRecord(imp, 'k1', { cspb_total: 10 }));
        const second = await client.upsert(LINES, { cspb_linekey: 'k1' }, { cspb_total: 20 });
        expect(first.created).toBe(true);
        expect(second).toEqual({ id: first.id, created: false });
        expect(org.count(LINES)).toBe(1);
        expect((await client.retrieve(LINES, first.id))['cspb_total']).toBe(20);
      });

      it('upserts by primary id', async () => {
        const id = '11111111-2222-3333-4444-555555555555';
        expect(await client.upsert(IMPORTS, id, importRecord('h9'))).toEqual({ id, created: true });
        expect(await client.upsert(IMPORTS, id, { cspb_invoicenumber: 'INV-1' })).toEqual({ id, created: false });
        expect((await client.retrieve(IMPORTS, { cspb_contenthash: 'h9' }))['cspb_invoicenumber']).toBe('INV-1');
      });

      it('deletes by id and by key; a deleted row is gone', async () => {
        const a = await client.create(LINES, lineRecord(imp, 'k1'));
        await client.create(LINES, lineRecord(imp, 'k2'));
        await client.delete(LINES, a);
        await client.delete(LINES, { cspb_linekey: 'k2' });
        expect(org.count(LINES)).toBe(0);
        expect((await failure(client.delete(LINES, a))).status).toBe(404);
      });

      it('cascades a delete to the rows of a Cascade relationship', async () => {
        await client.create(LINES, lineRecord(imp, 'k1'));
        await client.create(LINES, lineRecord(imp, 'k2'));
        await client.delete(IMPORTS, imp);
        expect(org.count(LINES)).toBe(0);
      });

      it('refuses to delete a row a Restrict relationship still references', async () => {
        const account = await client.create('accounts', { name: 'Contoso' });
        await client.create('cspb_billingcontracts', {
          cspb_name: 'C',
          'cspb_CustomerId@odata.bind': `accounts(${account})`,
          cspb_currencycode: 'USD',
          cspb_frequency: 100_000_000,
          cspb_anchor: 100_000_000,
          cspb_timing: 100_000_000,
          cspb_paymenttermdays: 30,
          cspb_prorationpolicy: 100_000_000,
          cspb_roundingpolicy: 100_000_000,
        });
        const e = await failure(client.delete('accounts', account));
        expect(e.status).toBe(400);
        expect(org.count('accounts')).toBe(1);
      });
    });

    describe('queries', () => {
      const data = [
        { key: 'a1', product: 'Microsoft 365 E3', qty: 10, total: 360, start: '2024-01-01', charge: 'new' },
        { key: 'a2', product: 'Microsoft 365 E5', qty: 5, total: 285, start: '2024-01-15', charge: 'cycleCharge' },
        { key: 'a3', product: 'Azure plan', qty: null, total: 12.34, start: '2024-02-01', charge: 'usage' },
        { key: 'a4', product: "O'Reilly add-on", qty: 1, total: 0, start: '2024-02-01', charge: 'New' },
        { key: 'b5', product: 'Teams Essentials', qty: 25, total: 100, start: '2024-03-01', charge: 'renew' },
      ];
      let imp: string;
      let other: string;
      beforeEach(async () => {
        imp = await client.create(IMPORTS, importRecord('h1'));
        other = await client.create(IMPORTS, importRecord('h2'));
        for (const [i, d] of data.entries()) {
          await client.create(
            LINES,
            lineRecord(i === 4 ? other : imp, d.key, {
              cspb_productname: d.product,
              cspb_quantity: d.qty,
              cspb_total: d.total,
              cspb_chargestartdate: d.start,
              cspb_chargetype: d.charge,
            }),
          );
        }
      });
      const keysOf = (rows: EntityRecord[]) => rows.map((r) => r['cspb_linekey']);
      const f = filter<LineRow>();
      const expectKeys = async (filterText: string, expected: string[], orderBy: string[] = ['cspb_linekey']) => {
        const page = await client.retrieveMultiple(LINES, { filter: filterText, orderBy, select: ['cspb_linekey'] });
        expect(keysOf(page.value)).toEqual(expected);
      };

      it.each([
        ['eq on text is case-insensitive', f.eq('cspb_chargetype', 'NEW'), ['a1', 'a4']],
        ['ne', f.ne('cspb_chargetype', 'new'), ['a2', 'a3', 'b5']],
        ['gt / ge / lt / le on numbers', f.and(f.gt('cspb_quantity', 1), f.le('cspb_quantity', 10)), ['a1', 'a2']],
        ['ge and lt on money', f.and(f.ge('cspb_total', 100), f.lt('cspb_total', 300)), ['a2', 'b5']],
        ['date-only ranges', f.and(f.ge('cspb_chargestartdate', '2024-01-15'), f.lt('cspb_chargestartdate', '2024-03-01')), ['a2', 'a3', 'a4']],
        ['null', f.eq('cspb_quantity', null), ['a3']],
        ['not null', f.ne('cspb_quantity', null), ['a1', 'a2', 'a4', 'b5']],
        ['or with and and parentheses', f.or(f.and(f.eq('cspb_quantity', 10), f.eq('cspb_total', 360)), f.eq('cspb_linekey', 'b5')), ['a1', 'b5']],
        ['contains', f.contains('cspb_productname', '365'), ['a1', 'a2']],
        ['startswith with a quote', f.startswith('cspb_productname', "o'rei"), ['a4']],
        ['not', "not contains(cspb_productname,'Microsoft')", ['a3', 'a4', 'b5']],
      ])('filters: %s', async (_label, text, expected) => {
        await expectKeys(text, expected);
      });

      it('filters on a lookup with a bare GUID', async () => {
        await expectKeys(f.eq('_cspb_importid_value', other), ['b5']);
      });

      it('orders by several columns, nulls first ascending', async () => {
        await expectKeys(f.ne('cspb_linekey', 'zzz'), ['a3', 'a4', 'a2', 'a1', 'b5'], ['cspb_quantity asc', 'cspb_linekey desc']);
        await expectKeys(f.ne('cspb_linekey', 'zzz'), ['b5', 'a4', 'a3', 'a2', 'a1'], ['cspb_chargestartdate desc', 'cspb_total asc']);
      });

      it('takes $top rows', async () => {
        const page = await client.retrieveMultiple(LINES, { orderBy: ['cspb_total desc'], top: 2, select: ['cspb_linekey'] });
        expect(keysOf(page.value)).toEqual(['a1', 'a2']);
        expect(page.nextLink).toBeUndefined();
      });

      it('pages through nextLink: every row once, in order, pageSize at a time', async () => {
        const first = await client.retrieveMultiple(LINES, { orderBy: ['cspb_linekey desc'], pageSize: 2, select: ['cspb_linekey'] });
        expect(first.value).toHaveLength(2);
        expect(first.nextLink).toEqual(expect.any(String));
        const { rows, pages } = await allPages(client, first);
        expect(pages).toBe(3);
        expect(keysOf(rows)).toEqual(['b5', 'a4', 'a3', 'a2', 'a1']);
      });

      it('pages a filtered, expanded query with $top', async () => {
        const first = await client.retrieveMultiple(LINES, {
          filter: f.eq('_cspb_importid_value', imp),
          orderBy: ['cspb_linekey'],
          top: 3,
          pageSize: 2,
          select: ['cspb_linekey'],
          expand: [{ property: 'cspb_ImportId', select: ['cspb_contenthash'] }],
        });
        const { rows } = await allPages(client, first);
        expect(keysOf(rows)).toEqual(['a1', 'a2', 'a3']);
        expect(rows.map((r) => (r['cspb_ImportId'] as EntityRecord)['cspb_contenthash'])).toEqual(['h1', 'h1', 'h1']);
      });

      it('refuses a filter on an unknown property and a malformed filter (400)', async () => {
        expect((await failure(client.retrieveMultiple(LINES, { filter: "cspb_nope eq 'x'" }))).status).toBe(400);
        expect((await failure(client.retrieveMultiple(LINES, { filter: "cspb_linekey eq 'x" }))).status).toBe(400);
        expect((await failure(client.retrieveMultiple(LINES, { filter: 'cspb_linekey eq 5' }))).status).toBe(400);
      });
    });

    describe('CreateMultiple and UpsertMultiple', () => {
      let imp: string;
      beforeEach(async () => {
        imp = await client.create(IMPORTS, importRecord('h1'));
      });

      it('CreateMultiple returns the new ids in order', async () => {
        const ids = await client.createMultiple(LINES, [lineRecord(imp, 'k1'), lineRecord(imp, 'k2'), lineRecord(imp, 'k3')]);
        expect(ids).toHaveLength(3);
        for (const [i, id] of ids.entries()) expect((await client.retrieve(LINES, id))['cspb_linekey']).toBe(`k${i + 1}`);
      });

      it('CreateMultiple is all or nothing', async () => {
        const e = await failure(
          client.createMultiple(LINES, [lineRecord(imp, 'k1'), lineRecord(imp, 'k2', { cspb_currencycode: 'TOO LONG' }), lineRecord(imp, 'k3')]),
        );
        expect(e.status).toBe(400);
        expect(org.count(LINES)).toBe(0);
      });

      it('UpsertMultiple creates the missing rows and updates the others, by key', async () => {
        const existing = await client.create(LINES, lineRecord(imp, 'k2', { cspb_total: 1 }));
        await client.upsertMultiple(
          LINES,
          ['cspb_linekey'],
          [lineRecord(imp, 'k1', { cspb_total: 10 }), lineRecord(imp, 'k2', { cspb_total: 20 }), lineRecord(imp, "k'3, (x)", { cspb_total: 30 })],
        );
        expect(org.count(LINES)).toBe(3);
        const k2 = await client.retrieve(LINES, { cspb_linekey: 'k2' });
        expect(k2['cspb_billinglineid']).toBe(existing);
        expect(k2['cspb_total']).toBe(20);
        expect((await client.retrieve(LINES, { cspb_linekey: "k'3, (x)" }))['cspb_total']).toBe(30);
      });

      it('UpsertMultiple twice leaves the same rows (idempotent)', async () => {
        const batch = [lineRecord(imp, 'k1'), lineRecord(imp, 'k2')];
        await client.upsertMultiple(LINES, ['cspb_linekey'], batch);
        const snapshot = org.exportSnapshot({ exportedOn: '2024-01-01T00:00:00Z' }).tables['cspb_billingline']!.map((r) => r['cspb_billinglineid']);
        await client.upsertMultiple(LINES, ['cspb_linekey'], batch);
        const again = org.exportSnapshot({ exportedOn: '2024-01-01T00:00:00Z' }).tables['cspb_billingline']!.map((r) => r['cspb_billinglineid']);
        expect(again).toEqual(snapshot);
        expect(again).toHaveLength(2);
      });

      it('UpsertMultiple is all or nothing', async () => {
        const e = await failure(client.upsertMultiple(LINES, ['cspb_linekey'], [lineRecord(imp, 'k1'), lineRecord(imp, 'k2', { cspb_sourcerow: -1 })]));
        expect(e.status).toBe(400);
        expect(org.count(LINES)).toBe(0);
      });
    });

    describe('$batch', () => {
      let imp: string;
      beforeEach(async () => {
        imp = await client.create(IMPORTS, importRecord('h1'));
      });

      it('an atomic batch applies every operation', async () => {
        const k1 = await client.create(LINES, lineRecord(imp, 'k1'));
        const results = await client.executeBatch(
          [
            { kind: 'create', entitySet: LINES, record: lineRecord(imp, 'k2') },
            { kind: 'update', entitySet: LINES, key: k1, record: { cspb_total: 5 } },
            { kind: 'upsert', entitySet: LINES, key: { cspb_linekey: 'k3' }, record: lineRecord(imp, 'k3') },
            { kind: 'delete', entitySet: LINES, key: { cspb_linekey: 'k1' } },
          ],
          { atomic: true },
        );
        expect(results.map((r) => r.ok)).toEqual([true, true, true, true]);
        expect(results[0]!.ok && results[0]!.id).toMatch(GUID_RE);
        expect(org.count(LINES)).toBe(2);
      });

      it('an atomic batch with one failure applies nothing and reports the error on every operation', async () => {
        const results = await client.executeBatch(
          [
            { kind: 'create', entitySet: LINES, record: lineRecord(imp, 'k1') },
            { kind: 'create', entitySet: LINES, record: lineRecord(imp, 'k2', { cspb_currencycode: 'EURO' }) },
          ],
          { atomic: true },
        );
        expect(results.every((r) => !r.ok && r.error.status === 400)).toBe(true);
        expect(org.count(LINES)).toBe(0);
      });

      it('continue-on-error runs every operation and reports each outcome', async () => {
        const results = await client.executeBatch(
          [
            { kind: 'create', entitySet: LINES, record: lineRecord(imp, 'k1') },
            { kind: 'create', entitySet: LINES, record: lineRecord(imp, 'k1') },
            { kind: 'create', entitySet: LINES, record: lineRecord(imp, 'k3') },
          ],
          { continueOnError: true },
        );
        expect(results.map((r) => (r.ok ? 'ok' : `${r.error.status}:${r.error.code}`))).toEqual(['ok', '412:0x80060892', 'ok']);
        expect(org.count(LINES)).toBe(2);
      });

      it('without continue-on-error the first failure stops the batch', async () => {
        const results = await client.executeBatch([
          { kind: 'create', entitySet: LINES, record: lineRecord(imp, 'k1') },
          { kind: 'update', entitySet: LINES, key: { cspb_linekey: 'ghost' }, record: { cspb_total: 1 } },
          { kind: 'create', entitySet: LINES, record: lineRecord(imp, 'k3') },
        ]);
        expect(results.map((r) => (r.ok ? 'ok' : r.error.status))).toEqual(['ok', 404, 424]);
        expect(org.count(LINES)).toBe(1);
      });
    });

    describe('custom messages', () => {
      it('executes an unbound action registered on the org and returns its output', async () => {
        org.registerMessage('cspb_Echo', (input) => ({ Echoed: `${String(input['Text'])}!`, Length: String(input['Text']).length }));
        expect(await client.execute('cspb_Echo', { Text: 'hello' })).toEqual({ Echoed: 'hello!', Length: 5 });
      });

      it('executes a bound action against a row', async () => {
        const imp = await client.create(IMPORTS, importRecord('h1'));
        org.registerMessage('cspb_Describe', (_input, ctx) => ({ Table: ctx.bound?.table, Id: ctx.bound?.id }));
        expect(await client.execute('cspb_Describe', {}, { entitySet: IMPORTS, key: imp })).toEqual({ Table: 'cspb_billingimport', Id: imp });
      });

      it('answers 404 for a message nobody registered', async () => {
        expect((await failure(client.execute('cspb_Nothing', {}))).status).toBe(404);
      });
    });
  });
}
