/**
 * A large daily-usage bill imported in parts on parallel queue messages (issue 23's scale-out in
 * the product, plugins/src/handlers/billing-import-parts.ts): two queue workers on Azurite's queue,
 * the parts staged in Azurite's blob service, must write exactly what the one-pass import writes:
 * every line with its money, the same totals, the same refused rows with their row numbers. The
 * expectation is the one-pass import job itself, in a fresh org, over the same bytes.
 */
import { createHash } from 'node:crypto';
import { CspbBillingImportImportStatus as ImportStatus } from '../../dataverse/generated';
import { LocalOrg } from '../../dataverse/src/local-org';
import { retrieveAll } from '../../dataverse/src/client/retrieve-all';
import {
  AzureJobQueue,
  billingImportJob,
  BlobPartStore,
  MemoryBillFileSource,
  parseJobMessage,
  QueueWorker,
  runJobToEnd,
  runMessage,
  type HandlerDeps,
  type JobMessage,
} from '../../plugins/src';
import {
  markResent,
  PART_RESEND_SECONDS,
  partsProgress,
  planParts,
  readStaged,
  stageParts,
  type StagedImport,
} from '../../plugins/src/handlers/billing-import-parts';
import { startAzurite, startAzuriteBlob, type RunningAzurite, type RunningAzuriteBlob } from '../../scripts/azurite';
import { eventually } from '../support/endpoint';
import { usageCsv } from '../support/usage-csv';

jest.setTimeout(120_000);

let queueAzurite: RunningAzurite;
let blobAzurite: RunningAzuriteBlob;
let store: BlobPartStore;

beforeAll(async () => {
  [queueAzurite, blobAzurite] = await Promise.all([startAzurite(), startAzuriteBlob()]);
  store = new BlobPartStore(blobAzurite.connectionString);
});

afterAll(async () => {
  await Promise.all([queueAzurite?.stop(), blobAzurite?.stop()]);
});

let nextId = 1;
const newImportId = (): string => `0b9a3c0e-0000-4000-8000-${String(nextId++).padStart(12, '0')}`;

/** An org holding one Pending import of `bytes`, and the file source that has them. */
async function orgWithImport(id: string, bytes: Uint8Array): Promise<{ org: LocalOrg; files: MemoryBillFileSource }> {
  const org = new LocalOrg({ now: () => new Date('2026-11-05T12:00:00Z') });
  const files = new MemoryBillFileSource();
  files.put(id, { fileName: 'daily-usage.csv', bytes });
  await org.create('cspb_billingimports', {
    cspb_billingimportid: id,
    cspb_name: 'November usage',
    cspb_contenthash: 'pending',
    cspb_currencycode: 'USD',
  });
  return { org, files };
}

const first = (id: string): JobMessage => ({ v: 1, job: 'billingimport', id, chunk: 0, correlationId: 'test' });

/** What an import wrote, as comparable data: the row's results and every line but its own id. */
async function written(org: LocalOrg, id: string): Promise<{ row: Record<string, unknown>; lines: Array<Record<string, unknown>> }> {
  const row = await org.retrieve<Record<string, unknown>>('cspb_billingimports', id);
  const results = Object.fromEntries(
    Object.entries(row).filter(([k]) => k.startsWith('cspb_') && !['cspb_jobchunk', 'cspb_jobprogress', 'cspb_billingimportid'].includes(k)),
  );
  const lines = (await retrieveAll<Record<string, unknown>>(org, 'cspb_billinglines', { filter: `_cspb_importid_value eq ${id}` }))
    .map((l) => Object.fromEntries(Object.entries(l).filter(([k]) => k.startsWith('cspb_') && k !== 'cspb_billinglineid')))
    .sort((a, b) => String(a['cspb_linekey']).localeCompare(String(b['cspb_linekey'])));
  return { row: results, lines };
}

/** The one-pass import of the same bytes, in an org of its own (the content-hash key allows one import per org). */
async function onePass(bytes: Uint8Array): Promise<Awaited<ReturnType<typeof written>>> {
  const id = newImportId();
  const { org, files } = await orgWithImport(id, bytes);
  await runJobToEnd(first(id), org, { billFiles: files });
  return normalised(await written(org, id), id);
}

/** Ids differ between the two orgs' imports: the comparison is of everything else. */
function normalised(w: Awaited<ReturnType<typeof written>>, id: string): Awaited<ReturnType<typeof written>> {
  const text = (v: unknown) => (typeof v === 'string' ? v.split(id).join('<import>') : v);
  return {
    row: Object.fromEntries(Object.entries(w.row).map(([k, v]) => [k, text(v)])),
    lines: w.lines.map((l) => Object.fromEntries(Object.entries(l).map(([k, v]) => [k, text(v)]))),
  };
}

/** The import through the queue, two workers taking its messages, the parts in the blob store. */
async function inParts(bytes: Uint8Array, partBytes: number): Promise<{ result: Awaited<ReturnType<typeof written>>; messages: number[]; staged: number }> {
  const id = newImportId();
  const { org, files } = await orgWithImport(id, bytes);
  const queue = new AzureJobQueue(queueAzurite.connectionString, `parts-${id.slice(-6)}-${Date.now()}`);
  const deps: HandlerDeps = { billFiles: files, parts: { store, partBytes } };
  const workers = [0, 1].map(() => new QueueWorker({ queue, client: org, deps, visibilityTimeoutSeconds: 30, pollMs: 20 }));
  await queue.send(first(id));
  workers.forEach((w) => w.start());
  try {
    await eventually(
      async () => {
        const row = await org.retrieve<Record<string, unknown>>('cspb_billingimports', id);
        const ended: readonly number[] = [ImportStatus.Completed, ImportStatus.CompletedWithErrors, ImportStatus.Failed];
        return ended.includes(row['cspb_importstatus'] as number) || undefined;
      },
      90_000,
      'the import in parts to end',
    );
  } finally {
    await Promise.all(workers.map((w) => w.stop()));
  }
  return {
    result: normalised(await written(org, id), id),
    messages: workers.map((w) => w.stats.chunks),
    staged: (await store.list(`billingimport/${id}/`)).filter((o) => !o.name.endsWith('/finished')).length,
  };
}

test('a usage file read in parts by two queue workers writes exactly the lines, totals and refused rows one pass writes', async () => {
  const bytes = usageCsv(6_000, 11, { bad: 0.03, bom: true, otherCurrency: true });
  const partBytes = Math.ceil(bytes.length / 6);
  expect(planParts(bytes, partBytes, { detectDuplicates: false })?.ranges.length).toBe(6);
  const [expected, parted] = await Promise.all([onePass(bytes), inParts(bytes, partBytes)]);
  expect(expected.row['cspb_importstatus']).toBe(ImportStatus.CompletedWithErrors);
  expect(Number(expected.row['cspb_rowsrejected'])).toBeGreaterThan(0);
  expect(expected.lines.length).toBeGreaterThan(40);
  expect(parted.result).toEqual(expected);
  // Chunk 0 (plan and fan out), 6 parts, chunk 1 (merge, write) at least once: both workers took some.
  expect(parted.messages.reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(8);
  expect(parted.messages.every((n) => n > 0)).toBe(true);
  // What the import staged is removed once it is written (its `finished` mark stays).
  expect(parted.staged).toBe(0);
});

test('a quoted line break where a part would start: the parts cannot be merged, and the staged file is read in one pass', async () => {
  const text = new TextDecoder().decode(usageCsv(2_000, 5));
  const rows = text.split('\n');
  // The middle row's customer name holds 400 line breaks: every split near the middle lands inside it.
  const middle = Math.floor(rows.length / 2);
  const fields = (rows[middle] as string).split(',');
  fields[1] = `"${Array.from({ length: 400 }, (_, i) => `line ${i}`).join('\n')}"`;
  rows[middle] = fields.join(',');
  const bytes = new Uint8Array(Buffer.from(rows.join('\n'), 'utf8'));
  const partBytes = Math.ceil(bytes.length / 2);
  const [expected, parted] = await Promise.all([onePass(bytes), inParts(bytes, partBytes)]);
  expect(expected.lines.length).toBeGreaterThan(10);
  expect(parted.result).toEqual(expected);
  expect(parted.staged).toBe(0);
});

test('in one process (the local org, the CLI), parts run where the job runs and give the same result', async () => {
  const bytes = usageCsv(3_000, 23, { bad: 0.02, crlf: true });
  const id = newImportId();
  const { org, files } = await orgWithImport(id, bytes);
  await runJobToEnd(first(id), org, { billFiles: files, parts: { store, partBytes: Math.ceil(bytes.length / 3) }, delayScale: 0 });
  expect(normalised(await written(org, id), id)).toEqual(await onePass(bytes));
});

test('the merging chunk waits for its parts, sends again a part nobody started, and a part that comes after the import ended does nothing', async () => {
  const bytes = usageCsv(1_500, 31);
  const id = newImportId();
  const { org, files } = await orgWithImport(id, bytes);
  const deps: HandlerDeps = { billFiles: files, parts: { store, partBytes: Math.ceil(bytes.length / 3) } };
  const out = await runMessage(first(id), org, deps);
  // The merging chunk first (delayed), then the three parts.
  expect(out.map((m) => [m.chunk, m.part ?? null, m.delaySeconds ?? 0])).toEqual([
    [1, null, 5],
    [1, 0, 0],
    [1, 1, 0],
    [1, 2, 0],
  ]);
  const [merge, part0, part1, part2] = out as [JobMessage, JobMessage, JobMessage, JobMessage];
  await runMessage(part0, org, deps);
  const waiting = await runMessage(merge, org, deps);
  expect(waiting).toEqual([{ ...merge, delaySeconds: 5 }]);
  expect((await org.retrieve<Record<string, unknown>>('cspb_billingimports', id))['cspb_jobprogress']).toBe('1 of 3 parts read');
  // Two minutes on, part 1 has started (its claim is there) but part 2 never did: only part 2 is lost.
  await runMessage(part1, org, deps).then(() => undefined);
  const hash = createHash('sha256').update(bytes).digest('hex');
  const folder = `billingimport/${id}/${hash}/`;
  await store.remove(`${folder}part-1`);
  const staged = (await readStaged(store, id, hash)) as StagedImport;
  const later = new Date(Date.parse(staged.stagedAt) + (PART_RESEND_SECONDS + 1) * 1000);
  expect(await partsProgress(store, id, staged, later)).toEqual({ done: 1, lost: [2] });
  // Sent again: not once more until another period has passed (a long queue gets one repeat a period).
  await markResent(store, id, staged, [2]);
  const resentAt = (await store.list(`${folder}resent-2`))[0]!.written.getTime();
  expect(await partsProgress(store, id, staged, new Date(resentAt + 60_000))).toEqual({ done: 1, lost: [] });
  expect(await partsProgress(store, id, staged, new Date(resentAt + (PART_RESEND_SECONDS + 2) * 1000))).toEqual({ done: 1, lost: [2] });
  await runMessage(part1, org, deps);
  await runMessage(part2, org, deps);
  expect(await runMessage(merge, org, deps)).toEqual([]);
  const row = await org.retrieve<Record<string, unknown>>('cspb_billingimports', id);
  expect(row['cspb_importstatus']).toBe(ImportStatus.Completed);
  // A redelivered part of the finished import: stale, nothing staged again; only the finished mark is left.
  expect(await runMessage(part2, org, deps)).toEqual([]);
  expect((await store.list(`billingimport/${id}/`)).map((o) => o.name)).toEqual([`${folder}finished`]);
  expect(normalised(await written(org, id), id)).toEqual(await onePass(bytes));
});

test('chunk 0 delivered twice at once: the second stages the same file over the first and leaves its parts alone', async () => {
  const bytes = usageCsv(2_000, 41, { bad: 0.02 });
  const id = newImportId();
  const { org, files } = await orgWithImport(id, bytes);
  const deps: HandlerDeps = { billFiles: files, parts: { store, partBytes: Math.ceil(bytes.length / 3) } };
  // The second delivery read the row before the first moved it on, and does its work after the parts ran.
  const before = await org.retrieve<Record<string, unknown>>('cspb_billingimports', id);
  const [merge, ...parts] = await runMessage(first(id), org, deps);
  for (const part of parts) await runMessage(part, org, deps);
  const context = { client: org, deps, id, correlationId: 'second delivery' };
  await billingImportJob.chunk(context, 0, before);
  expect(await runMessage(merge!, org, deps)).toEqual([]);
  expect(normalised(await written(org, id), id)).toEqual(await onePass(bytes));
});

test('the merging chunk comes back after it refused an invoice already pulled and removed the staging (its row update failed): it refuses again, writing nothing', async () => {
  const bytes = usageCsv(1_200, 43, { bad: 0.02 });
  const expected = await onePass(bytes);
  const id = newImportId();
  const { org, files } = await orgWithImport(id, bytes);
  // The same invoice's usage, pulled from Microsoft Graph earlier.
  await org.create('cspb_billingimports', {
    cspb_name: 'pulled',
    cspb_contenthash: 'pulled-usage',
    cspb_currencycode: 'USD',
    cspb_invoicenumber: expected.row['cspb_invoicenumber'],
    cspb_format: expected.row['cspb_format'],
    cspb_pullkey: 'billed-usage:G1',
    cspb_importstatus: ImportStatus.Completed,
  });
  const deps: HandlerDeps = { billFiles: files, parts: { store, partBytes: Math.ceil(bytes.length / 2) } };
  const [merge, ...parts] = await runMessage(first(id), org, deps);
  for (const part of parts) await runMessage(part, org, deps);
  // The chunk does its work (refusal, staging removed) but its row is not updated, as when the update fails.
  const row = await org.retrieve<Record<string, unknown>>('cspb_billingimports', id);
  const refused = await billingImportJob.chunk({ client: org, deps, id, correlationId: 'lost update' }, 1, row);
  expect(refused).toMatchObject({ done: true, patch: { cspb_importstatus: ImportStatus.Failed } });
  expect(await readStaged(store, id, createHash('sha256').update(bytes).digest('hex'))).toBe('finished');
  // Delivered again: the file is read again in one pass as the same chunk, and refused the same way.
  expect(await runMessage(merge!, org, deps)).toEqual([]);
  const after = await org.retrieve<Record<string, unknown>>('cspb_billingimports', id);
  expect(after['cspb_importstatus']).toBe(ImportStatus.Failed);
  expect(String(after['cspb_errors'])).toContain('was already pulled from Microsoft');
  expect(await retrieveAll(org, 'cspb_billinglines', { filter: `_cspb_importid_value eq ${id}` })).toEqual([]);
});

test('a part message for a job that has no parts fails the job at once, with the reason', async () => {
  const importId = newImportId();
  const { org } = await orgWithImport(importId, usageCsv(10, 1));
  const runId = await org.create('cspb_reconciliationruns', {
    cspb_name: 'October run',
    'cspb_ImportId@odata.bind': `/cspb_billingimports(${importId})`,
    cspb_currencycode: 'USD',
  });
  expect(await runMessage({ v: 1, job: 'reconciliationrun', id: runId, chunk: 0, part: 1, correlationId: 'x' }, org, {})).toEqual([]);
  expect(String((await org.retrieve<Record<string, unknown>>('cspb_reconciliationruns', runId))['cspb_error'])).toContain('has no parts');
});

test('a file too small for two parts, or not a daily-usage CSV, is read in one pass', async () => {
  const usage = usageCsv(400, 3);
  expect(planParts(usage, usage.length, { detectDuplicates: false })).toBeNull();
  const licences = new Uint8Array(Buffer.from('CustomerId,InvoiceNumber,SubscriptionId\nc1,G1,s1\nc1,G1,s2\n'));
  expect(planParts(licences, 10, { detectDuplicates: false })).toBeNull();
  // Staging is what the first chunk does for a planned file only: its hash is the file's SHA-256.
  const plan = planParts(usage, Math.ceil(usage.length / 2), { detectDuplicates: false })!;
  const id = newImportId();
  const staged = await stageParts(store, id, 'u.csv', usage, plan);
  expect(staged.contentHash).toBe(createHash('sha256').update(usage).digest('hex'));
  expect(((await readStaged(store, id, staged.contentHash)) as StagedImport).plan.ranges).toEqual(plan.ranges);
  expect(await readStaged(store, id, 'pending')).toBeUndefined();
  for (const { name } of await store.list(`billingimport/${id}/`)) await store.remove(name);
});

test('a part number in a job message is a whole number or the message is refused', () => {
  const id = '0b9a3c0e-0000-4000-8000-000000000999';
  expect(parseJobMessage(JSON.stringify({ v: 1, job: 'billingimport', id, chunk: 1, part: 3 }))).toMatchObject({ chunk: 1, part: 3 });
  expect(parseJobMessage(JSON.stringify({ v: 1, job: 'billingimport', id, chunk: 1 }))).not.toHaveProperty('part');
  for (const part of [-1, 1.5, '2', null])
    expect(() => parseJobMessage(JSON.stringify({ v: 1, job: 'billingimport', id, chunk: 1, part }))).toThrow(/part must be a whole number/);
});
