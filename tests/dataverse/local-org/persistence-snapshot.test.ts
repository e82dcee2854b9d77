import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LocalOrg, SnapshotError, type Snapshot } from '../../../dataverse/src/local-org';
import { failure, importRecord, lineRecord } from '../contract/fixtures';

const IMPORTS = 'cspb_billingimports';
const LINES = 'cspb_billinglines';
const FIXED = '2024-05-01T12:00:00Z';

describe('persistence', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'local-org-'));
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('keeps the data across a restart (close, open again)', async () => {
    const file = join(dir, 'org.json');
    const first = await LocalOrg.open(file);
    const imp = await first.create(IMPORTS, importRecord('h1'));
    const line = await first.create(LINES, lineRecord(imp, 'k1', { cspb_total: 99.99, cspb_chargestartdate: '2024-02-29' }));
    const etag = (await first.retrieve(LINES, line))['@odata.etag'];
    await first.close();

    const second = await LocalOrg.open(file);
    const row = await second.retrieve(LINES, { cspb_linekey: 'k1' });
    expect(row).toMatchObject({
      cspb_billinglineid: line,
      cspb_total: 99.99,
      cspb_chargestartdate: '2024-02-29',
      _cspb_importid_value: imp,
      '@odata.etag': etag,
    });
    // Versions go on from where they were: a new write gets a newer ETag than any before the restart.
    await second.update(LINES, line, { cspb_total: 1 });
    expect(Number((await second.retrieve(LINES, line))['versionnumber'])).toBeGreaterThan(Number(String(etag).replace(/\D/g, '')));
    // Keys are enforced on the reloaded data.
    expect((await failure(second.create(LINES, lineRecord(imp, 'K1')))).status).toBe(412);
  });

  it('a write is on disk when it is acknowledged (the journal, fsynced), without close or flush; compaction empties the journal', async () => {
    const file = join(dir, 'org.json');
    const org = await LocalOrg.open(file, { compactBytes: 1_000_000 });
    await org.create(IMPORTS, importRecord('h1'));
    // No snapshot yet: the write is in the journal, which a second org (a restart after kill -9) replays.
    expect(readdirSync(dir)).toEqual(['org.json.journal']);
    const reopened = await LocalOrg.open(file);
    expect(reopened.count(IMPORTS)).toBe(1);
    await org.flush();
    expect(readFileSync(join(dir, 'org.json.journal'), 'utf8')).toBe('');
    const saved = JSON.parse(readFileSync(file, 'utf8')) as Snapshot;
    expect(saved.tables['cspb_billingimport']).toHaveLength(1);
  });

  it('a journal line cut short by a crash is ignored and cut off; deletes and updates replay', async () => {
    const file = join(dir, 'org.json');
    const org = await LocalOrg.open(file);
    const a = await org.create(IMPORTS, importRecord('h1'));
    const b = await org.create(IMPORTS, importRecord('h2'));
    await org.update(IMPORTS, a, { cspb_name: 'renamed' });
    await org.delete(IMPORTS, b);
    writeFileSync(join(dir, 'org.json.journal'), readFileSync(join(dir, 'org.json.journal'), 'utf8') + '{"v":99,"rows":[["cspb_billingimport","x"');
    const again = await LocalOrg.open(file);
    expect(again.count(IMPORTS)).toBe(1);
    expect((await again.retrieve(IMPORTS, a))['cspb_name']).toBe('renamed');
    expect(readFileSync(join(dir, 'org.json.journal'), 'utf8').endsWith('\n')).toBe(true);
    // Versions continue past the replayed ones.
    await again.update(IMPORTS, a, { cspb_name: 'again' });
    expect(Number((await again.retrieve(IMPORTS, a))['versionnumber'])).toBeGreaterThan(3);
  });

  it('cleans the temporary files a killed save left, and keeps the saved file whole', async () => {
    const file = join(dir, 'org.json');
    const first = await LocalOrg.open(file);
    await first.create(IMPORTS, importRecord('h1'));
    await first.close();
    // What a kill -9 in the middle of a save leaves: half a temp file beside the saved one.
    writeFileSync(join(dir, 'org.json.4242.7.tmp'), '{"format":"cspb-snap');
    writeFileSync(join(dir, 'other.json.1.1.tmp'), 'not ours');
    const second = await LocalOrg.open(file);
    expect(second.count(IMPORTS)).toBe(1);
    expect(readdirSync(dir).sort()).toEqual(['org.json', 'org.json.journal', 'other.json.1.1.tmp']);
    await second.close();
  });

  it('does not overwrite a file that is not JSON', async () => {
    const file = join(dir, 'org.json');
    writeFileSync(file, 'not json');
    await expect(LocalOrg.open(file)).rejects.toThrow(/not valid JSON/);
    expect(readFileSync(file, 'utf8')).toBe('not json');
  });
});

describe('snapshot', () => {
  const org = () => new LocalOrg({ now: () => new Date(FIXED) });

  it('round-trips: export, import into a new org, export again gives the same document', async () => {
    const a = org();
    const imp = await a.create(IMPORTS, importRecord('h1', { cspb_totalbilled: 1234.5678 }));
    await a.create(LINES, lineRecord(imp, 'k2', { cspb_quantity: 0.5 }));
    await a.create(LINES, lineRecord(imp, 'k1'));
    await a.create('accounts', { name: 'Contoso', cspb_tenantid: 'tenant-1' });
    const exported = a.exportSnapshot({ exportedOn: FIXED });
    expect(exported.format).toBe('cspb-snapshot');
    expect(exported.version).toBe(1);
    expect(Object.keys(exported.tables).slice(0, 3)).toEqual(['transactioncurrency', 'account', 'cspb_offer']);
    const lineIds = exported.tables['cspb_billingline']!.map((r) => String(r['cspb_billinglineid']));
    expect(lineIds).toEqual([...lineIds].sort());

    const b = org();
    const summary = await b.importSnapshot(JSON.stringify(exported));
    // The org's currencies travel with its rows (USD, EUR, GBP by default).
    expect(summary).toEqual({ rows: 7, tables: { transactioncurrency: 3, account: 1, cspb_billingimport: 1, cspb_billingline: 2 } });
    expect(b.exportSnapshot({ exportedOn: FIXED })).toEqual(exported);
    expect((await b.retrieve(IMPORTS, imp))['cspb_totalbilled']).toBe(1234.5678);
  });

  it('replace mode leaves exactly the snapshot; merge mode keeps other rows', async () => {
    const a = org();
    await a.create(IMPORTS, importRecord('h1'));
    const snapshot = a.exportSnapshot({ exportedOn: FIXED });
    const b = org();
    await b.create(IMPORTS, importRecord('other'));
    await b.importSnapshot(snapshot, { mode: 'merge' });
    expect(b.count(IMPORTS)).toBe(2);
    await b.importSnapshot(snapshot);
    expect(b.count(IMPORTS)).toBe(1);
  });

  const minimal = (tables: Record<string, unknown>): unknown => ({ format: 'cspb-snapshot', version: 1, exportedOn: FIXED, tables });
  const importRow = {
    cspb_billingimportid: 'aaaaaaaa-0000-0000-0000-000000000001',
    cspb_name: 'Bill',
    cspb_contenthash: 'h',
    cspb_currencycode: 'USD',
    cspb_vendor: 100000000,
    cspb_importstatus: 100000000,
  };

  it.each<[string, unknown, Partial<{ table: string; row: number; column: string; message: RegExp }>]>([
    ['a wrong format', { format: 'other', version: 1, tables: {} }, { message: /format must be "cspb-snapshot"/ }],
    ['an unknown table', minimal({ cspb_nope: [] }), { table: 'cspb_nope', message: /unknown table/ }],
    [
      'an unknown column',
      minimal({ cspb_billingimport: [{ ...importRow, cspb_colour: 'red' }] }),
      { table: 'cspb_billingimport', row: 0, column: 'cspb_colour' },
    ],
    [
      'a value too long',
      minimal({ cspb_billingimport: [{ ...importRow, cspb_currencycode: 'EURO' }] }),
      { row: 0, column: 'cspb_currencycode', message: /maximum allowed length/ },
    ],
    [
      'a missing required value',
      minimal({ cspb_billingimport: [{ ...importRow, cspb_contenthash: null }] }),
      { column: 'cspb_contenthash', message: /required/ },
    ],
    ['a bad primary id', minimal({ cspb_billingimport: [{ ...importRow, cspb_billingimportid: 'x' }] }), { column: 'cspb_billingimportid' }],
    [
      'a dangling lookup',
      minimal({
        cspb_billingline: [
          {
            cspb_billinglineid: 'bbbbbbbb-0000-0000-0000-000000000001',
            cspb_name: 'L',
            cspb_linekey: 'k',
            cspb_currencycode: 'USD',
            _cspb_importid_value: 'aaaaaaaa-0000-0000-0000-000000000009',
          },
        ],
      }),
      { table: 'cspb_billingline', row: 0, column: '_cspb_importid_value', message: /not in the snapshot/ },
    ],
    [
      'a duplicated alternate key',
      minimal({ cspb_billingimport: [importRow, { ...importRow, cspb_billingimportid: 'aaaaaaaa-0000-0000-0000-000000000002', cspb_contenthash: 'H' }] }),
      { row: 1, message: /alternate key cspb_key_contenthash/ },
    ],
  ])('rejects %s naming table, row and column, and changes nothing', async (_label, doc, expected) => {
    const target = org();
    await target.create(IMPORTS, importRecord('kept'));
    let error: unknown;
    try {
      await target.importSnapshot(doc);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(SnapshotError);
    const issues = (error as SnapshotError).issues;
    const match = issues.find(
      (i) =>
        (expected.table === undefined || i.table === expected.table) &&
        (expected.row === undefined || i.row === expected.row) &&
        (expected.column === undefined || i.column === expected.column) &&
        (expected.message === undefined || expected.message.test(i.message)),
    );
    expect(match).toBeDefined();
    expect((error as Error).message).toContain('Snapshot rejected');
    expect(target.count(IMPORTS)).toBe(1);
    expect((await target.retrieve(IMPORTS, { cspb_contenthash: 'kept' }))['cspb_name']).toBe('Bill kept');
  });

  it('runs no plug-ins on import', async () => {
    const a = org();
    await a.create(IMPORTS, importRecord('h1'));
    const b = org();
    let ran = false;
    b.register({ message: 'Create', stage: 'PreOperation', handler: () => void (ran = true) });
    await b.importSnapshot(a.exportSnapshot());
    expect(ran).toBe(false);
  });
});
