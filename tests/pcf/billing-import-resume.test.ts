import { TextEncoder } from 'node:util';
import { DataverseError, type DataverseClient } from '../../dataverse/src/client/types';
import { LocalOrg } from '../../dataverse/src/local-org';
import { currencyIdOf } from '../../dataverse/src/local-org/currency';
import { parseBytes, ImportCancelled } from '../../pcf-controls/BillingImport/model/parse';
import { existingLineKeys, lineBody, LinesRefused, writeImport } from '../../dataverse/src/imports/write-import';

const LINES = 60;
const CSV = [
  'ChargeType,BillableQuantity,Subtotal,SubscriptionId,ChargeStartDate,ChargeEndDate,ReferenceId,Currency,ProductName',
  ...Array.from({ length: LINES }, (_, i) => `new,${i + 1},${(i + 1) * 12}.00,sub-${i},3/5/2022,4/4/2022,ref-${i},EUR,M365`),
].join('\r\n');

async function setup(): Promise<{ org: LocalOrg; result: Awaited<ReturnType<typeof parseBytes>> }> {
  const org = new LocalOrg();
  const result = await parseBytes(new TextEncoder().encode(CSV), { fileName: 'bill.csv' }, () => undefined);
  expect(result.lines).toHaveLength(LINES);
  return { org, result };
}

/** The org with some calls watched or changed (the rest passed through). */
function watched(org: LocalOrg, overrides: Partial<DataverseClient>): DataverseClient {
  return new Proxy(org, {
    get: (target, name, receiver) => (name in overrides ? overrides[name as keyof DataverseClient] : Reflect.get(target, name, receiver)),
  }) as unknown as DataverseClient;
}

const lineRows = async (org: LocalOrg): Promise<Array<Record<string, unknown>>> => {
  const rows: Array<Record<string, unknown>> = [];
  let page = await org.retrieveMultiple<Record<string, unknown>>('cspb_billinglines', { select: ['cspb_linekey', '_transactioncurrencyid_value'] });
  rows.push(...page.value);
  while (page.nextLink) {
    page = await org.retrieveNextPage<Record<string, unknown>>(page.nextLink);
    rows.push(...page.value);
  }
  return rows;
};

describe('BillingImport writing to the local org', () => {
  it("writes the lines as UpsertMultiple chunks, in the bill's currency", async () => {
    const { org, result } = await setup();
    const calls: number[] = [];
    const client = watched(org, { upsertMultiple: (set, keys, records) => (calls.push(records.length), org.upsertMultiple(set, keys, records)) });
    const { importId, written } = await writeImport(client, result, null, () => undefined, undefined, undefined, { batchSize: 25 });
    expect(written).toBe(LINES);
    expect(calls).toEqual([25, 25, 10]);
    const rows = await lineRows(org);
    expect(new Set(rows.map((r) => r['_transactioncurrencyid_value']))).toEqual(new Set([currencyIdOf('EUR')]));
    expect(await org.retrieve<Record<string, unknown>>('cspb_billingimports', importId)).toMatchObject({
      _transactioncurrencyid_value: currencyIdOf('EUR'),
      cspb_linecount: LINES,
    });
  });

  it('resumes a cancelled write on the import the first attempt created, sending only the missing lines', async () => {
    const { org, result } = await setup();
    const token = { cancelled: false };
    let importId: string | null = null;
    // Cancel once two chunks (50 lines) are written.
    const attempt = writeImport(
      org,
      result,
      null,
      (done) => void (done >= 50 && (token.cancelled = true)),
      token,
      (id) => (importId = id),
      { batchSize: 25 },
    );
    await expect(attempt).rejects.toBeInstanceOf(ImportCancelled);
    expect(await lineRows(org)).toHaveLength(50);

    // Creating a written line again is what Dataverse refuses (alternate key on cspb_linekey).
    await expect(
      org.create('cspb_billinglines', lineBody(result.lines[0]!, importId!, result.summary.contentHash) as Record<string, unknown>),
    ).rejects.toThrow();
    const again = await writeImport(org, result, importId, () => undefined, undefined, undefined, { batchSize: 25 });
    expect(again).toEqual({ importId, written: 10, alreadyThere: 50, remaining: 0 });
    const keys = (await lineRows(org)).map((r) => r['cspb_linekey']);
    expect(keys).toHaveLength(LINES);
    expect(new Set(keys).size).toBe(LINES);
    const header = await org.retrieve<Record<string, unknown>>('cspb_billingimports', importId!, { select: ['cspb_linecount', 'cspb_importstatus'] });
    expect(header['cspb_linecount']).toBe(LINES);

    // A third run finds everything there and writes nothing.
    expect(await writeImport(org, result, importId, () => undefined)).toEqual({ importId, written: 0, alreadyThere: LINES, remaining: 0 });
    expect(await lineRows(org)).toHaveLength(LINES);
  });

  it('waits out a 429 with its Retry-After and writes every line once', async () => {
    const { org, result } = await setup();
    let throttled = 0;
    const client = watched(org, {
      upsertMultiple: async (set, keys, records) => {
        if (throttled++ === 0) throw new DataverseError('Number of requests exceeded the limit', 429, '0x80072322', 10);
        return org.upsertMultiple(set, keys, records);
      },
    });
    expect((await writeImport(client, result, null, () => undefined)).written).toBe(LINES);
    expect(throttled).toBe(2);
    expect(await lineRows(org)).toHaveLength(LINES);
  });

  it('names each line Dataverse refuses instead of dropping it', async () => {
    const { org, result } = await setup();
    const client = watched(org, {
      upsertMultiple: async () => {
        throw new DataverseError('A validation error occurred.', 400);
      },
      executeBatch: async (operations) =>
        operations.map((_, i) =>
          i === 3 ? { ok: false as const, error: new DataverseError('The length of cspb_productname exceeded the maximum', 400) } : { ok: true as const },
        ),
    });
    const error = await writeImport(client, result, null, () => undefined).catch((e: Error) => e);
    expect(error).toBeInstanceOf(LinesRefused);
    expect((error as LinesRefused).refused).toEqual([{ sourceRow: 5, message: 'The length of cspb_productname exceeded the maximum' }]);
  });

  it('reads the keys already written across every page (nextLink followed)', async () => {
    const { org, result } = await setup();
    const { importId } = await writeImport(org, result, null, () => undefined);
    // A host that pages at 7 records: 60 keys come in 9 pages.
    let pages = 0;
    const smallPages = watched(org, {
      retrieveMultiple: (set, options) => (pages++, org.retrieveMultiple(set, { ...options, pageSize: 7 })),
      retrieveNextPage: (link) => (pages++, org.retrieveNextPage(link)),
    });
    const keys = await existingLineKeys(smallPages, importId);
    expect(pages).toBe(9);
    expect(keys.size).toBe(LINES);
    expect([...keys].sort()).toEqual((await lineRows(org)).map((r) => r['cspb_linekey']).sort());
  });

  it('refuses the same file on another import and writes nothing', async () => {
    const { org, result } = await setup();
    await writeImport(org, result, null, () => undefined);
    const other = await org.create('cspb_billingimports', { cspb_name: 'another', cspb_contenthash: '0'.repeat(64), cspb_currencycode: 'USD' });
    await expect(writeImport(org, result, other, () => undefined)).rejects.toThrow(/already imported/);
    expect(await lineRows(org)).toHaveLength(LINES);
  });
});
