import { TextEncoder } from 'node:util';
import { LocalOrg } from '../../dataverse/src/local-org';
import { parseBytes, ImportCancelled } from '../../pcf-controls/BillingImport/model/parse';
import { existingLineKeys, lineBody, writeImport, type ImportWebApi } from '../../pcf-controls/BillingImport/model/write';
import { localWebApi } from '../webresources/support/local-webapi';

const LINES = 60;
const CSV = [
  'ChargeType,BillableQuantity,Subtotal,SubscriptionId,ChargeStartDate,ChargeEndDate,ReferenceId,Currency,ProductName',
  ...Array.from({ length: LINES }, (_, i) => `new,${i + 1},${(i + 1) * 12}.00,sub-${i},3/5/2022,4/4/2022,ref-${i},USD,M365`),
].join('\r\n');

async function setup(): Promise<{ org: LocalOrg; api: ImportWebApi; result: Awaited<ReturnType<typeof parseBytes>> }> {
  const org = new LocalOrg();
  const api = localWebApi(org) as unknown as ImportWebApi;
  const result = await parseBytes(new TextEncoder().encode(CSV), { fileName: 'bill.csv' }, () => undefined);
  expect(result.lines).toHaveLength(LINES);
  return { org, api, result };
}

const lineKeys = async (org: LocalOrg): Promise<string[]> => {
  const keys: string[] = [];
  let page = await org.retrieveMultiple<{ cspb_linekey: string }>('cspb_billinglines', { select: ['cspb_linekey'] });
  keys.push(...page.value.map((r) => r.cspb_linekey));
  while (page.nextLink) {
    page = await org.retrieveNextPage<{ cspb_linekey: string }>(page.nextLink);
    keys.push(...page.value.map((r) => r.cspb_linekey));
  }
  return keys;
};

describe('BillingImport writing to the local org', () => {
  it('resumes a cancelled write on the import the first attempt created, creating only the missing lines', async () => {
    const { org, api, result } = await setup();
    const token = { cancelled: false };
    let importId: string | null = null;
    // Cancel once two batches (50 lines) are written.
    const attempt = writeImport(api, result, null, (done) => void (done >= 50 && (token.cancelled = true)), token, (id) => (importId = id));
    await expect(attempt).rejects.toBeInstanceOf(ImportCancelled);
    expect(await lineKeys(org)).toHaveLength(50);

    // Creating a written line again is what Dataverse refuses (alternate key on cspb_linekey): a resume must skip it.
    await expect(api.createRecord('cspb_billingline', lineBody(result.lines[0]!, importId!, result.summary.contentHash))).rejects.toThrow();
    const again = await writeImport(api, result, importId, () => undefined);
    expect(again).toEqual({ importId, written: 10, alreadyThere: 50 });
    const keys = await lineKeys(org);
    expect(keys).toHaveLength(LINES);
    expect(new Set(keys).size).toBe(LINES);
    const header = await org.retrieve<Record<string, unknown>>('cspb_billingimports', importId!, { select: ['cspb_linecount', 'cspb_importstatus'] });
    expect(header['cspb_linecount']).toBe(LINES);

    // A third run finds everything there and creates nothing.
    expect(await writeImport(api, result, importId, () => undefined)).toEqual({ importId, written: 0, alreadyThere: LINES });
    expect(await lineKeys(org)).toHaveLength(LINES);
  });

  it('reads the keys already written across every page (nextLink followed)', async () => {
    const { org, api, result } = await setup();
    const { importId } = await writeImport(api, result, null, () => undefined);
    // A host that pages at 7 records: 60 keys come in 9 pages.
    let pages = 0;
    const smallPages: ImportWebApi = { ...api, retrieveMultipleRecords: (entity, options) => (pages++, api.retrieveMultipleRecords(entity, options, 7)) };
    const keys = await existingLineKeys(smallPages, importId);
    expect(pages).toBe(9);
    expect(keys.size).toBe(LINES);
    expect([...keys].sort()).toEqual((await lineKeys(org)).sort());
  });

  it('refuses the same file on another import and creates nothing', async () => {
    const { org, api, result } = await setup();
    await writeImport(api, result, null, () => undefined);
    const other = await org.create('cspb_billingimports', { cspb_name: 'another', cspb_contenthash: '0'.repeat(64), cspb_currencycode: 'USD' });
    await expect(writeImport(api, result, other, () => undefined)).rejects.toThrow(/already imported/);
    expect(await lineKeys(org)).toHaveLength(LINES);
  });
});
