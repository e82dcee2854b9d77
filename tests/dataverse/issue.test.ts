/**
 * Issuing drafts: the next number of the sequence and the status change in one change set guarded
 * by both rows' versions. Pages relied on (also named in dataverse/src/runs/issue.ts):
 * - change sets are one transaction: learn.microsoft.com/power-apps/developer/data-platform/webapi/execute-batch-operations-using-web-api
 * - If-Match with a stale ETag fails with 412: learn.microsoft.com/power-apps/developer/data-platform/optimistic-concurrency
 */
import { parseDate } from '../../core/src';
import { CspbInvoiceInvoiceStatus as Status, CspbInvoiceKind as Kind } from '../../dataverse/generated';
import type { BatchOperation, BatchOptions, DataverseClient } from '../../dataverse/src/client/types';
import { LocalOrg } from '../../dataverse/src/local-org';
import { serveLocalOrg } from '../../dataverse/src/local-org/http';
import { NodeDataverseClient } from '../../dataverse/src/node';
import { formatInvoiceNumber, issueDraft, IssueError, SEQUENCE_NAME } from '../../dataverse/src/runs';

type Row = Record<string, unknown>;
const today = parseDate('2026-11-05');

async function orgWithDrafts(count: number) {
  const org = new LocalOrg({ now: () => new Date('2026-11-05T09:00:00Z') });
  const customer = await org.create('accounts', { name: 'Contoso' });
  const contract = await org.create('cspb_billingcontracts', {
    cspb_name: 'Contoso',
    'cspb_CustomerId@odata.bind': `/accounts(${customer})`,
    cspb_currencycode: 'USD',
    cspb_frequency: 100000000,
    cspb_anchor: 100000000,
    cspb_timing: 100000000,
    cspb_paymenttermdays: 30,
    cspb_prorationpolicy: 100000000,
    cspb_roundingpolicy: 100000000,
  });
  const drafts: string[] = [];
  for (let i = 0; i < count; i++) {
    drafts.push(
      await org.create('cspb_invoices', {
        cspb_name: `DRAFT ${i}`,
        'cspb_ContractId@odata.bind': `/cspb_billingcontracts(${contract})`,
        'cspb_CustomerId@odata.bind': `/accounts(${customer})`,
        cspb_invoicestatus: Status.Draft,
        cspb_kind: Kind.Invoice,
        cspb_periodstart: '2026-11-01',
        cspb_periodend: '2026-11-30',
        cspb_currencycode: 'USD',
        cspb_draftkey: `k${i}`,
      }),
    );
  }
  return { org, drafts };
}

const sequence = async (org: LocalOrg) => org.retrieve<Row>('cspb_invoicenumberings', { cspb_name: SEQUENCE_NAME });
const invoice = (org: LocalOrg, id: string) => org.retrieve<Row>('cspb_invoices', id);

describe('issuing a draft', () => {
  it('numbers it from the sequence, dates it today and due after the contract terms; the first issue creates the sequence', async () => {
    const { org, drafts } = await orgWithDrafts(1);
    const issued = await issueDraft(org, drafts[0]!, today);
    expect(issued).toMatchObject({ invoiceNumber: 'INV-000001', retries: 0 });
    expect(await invoice(org, drafts[0]!)).toMatchObject({
      cspb_name: 'INV-000001',
      cspb_invoicestatus: Status.Issued,
      cspb_invoicedate: '2026-11-05',
      cspb_duedate: '2026-12-05',
    });
    expect(await sequence(org)).toMatchObject({ cspb_prefix: 'INV-', cspb_nextnumber: 2, cspb_digits: 6 });
  });

  it('uses the prefix, next number and digits the admin set', async () => {
    const { org, drafts } = await orgWithDrafts(1);
    await org.create('cspb_invoicenumberings', { cspb_name: SEQUENCE_NAME, cspb_prefix: 'CSP/2026/', cspb_nextnumber: 417, cspb_digits: 5 });
    expect((await issueDraft(org, drafts[0]!, today)).invoiceNumber).toBe('CSP/2026/00417');
    expect(formatInvoiceNumber({ cspb_prefix: null, cspb_nextnumber: 1234567, cspb_digits: 3 })).toBe('1234567');
  });

  it('20 drafts issued at once get 20 consecutive numbers: none repeated, none skipped', async () => {
    const { org, drafts } = await orgWithDrafts(20);
    await org.create('cspb_invoicenumberings', { cspb_name: SEQUENCE_NAME, cspb_prefix: 'INV-', cspb_nextnumber: 41, cspb_digits: 4 });
    const results = await Promise.all(drafts.map((id) => issueDraft(org, id, today)));
    const numbers = results.map((r) => r.invoiceNumber).sort();
    expect(numbers).toEqual(Array.from({ length: 20 }, (_, i) => `INV-${String(41 + i).padStart(4, '0')}`));
    // They did race: most lost at least once to a concurrent issue and took the next number.
    expect(results.reduce((n, r) => n + r.retries, 0)).toBeGreaterThan(0);
    expect(await sequence(org)).toMatchObject({ cspb_nextnumber: 61 });
    for (const [i, id] of drafts.entries()) expect((await invoice(org, id))['cspb_name']).toBe(results[i]!.invoiceNumber);
  });

  it('an issue that fails takes no number: the counter stays and the next issue gets it', async () => {
    const { org, drafts } = await orgWithDrafts(2);
    await org.create('cspb_invoicenumberings', { cspb_name: SEQUENCE_NAME, cspb_prefix: 'INV-', cspb_nextnumber: 7, cspb_digits: 3 });
    const off = org.register({
      message: 'Update',
      table: 'cspb_invoice',
      stage: 'PreOperation',
      handler: () => {
        throw new Error('the invoice is locked by an audit');
      },
    } as never);
    await expect(issueDraft(org, drafts[0]!, today)).rejects.toThrow(/locked by an audit/);
    expect(await sequence(org)).toMatchObject({ cspb_nextnumber: 7 });
    expect(await invoice(org, drafts[0]!)).toMatchObject({ cspb_invoicestatus: Status.Draft, cspb_name: 'DRAFT 0' });
    off();
    expect((await issueDraft(org, drafts[1]!, today)).invoiceNumber).toBe('INV-007');
  });

  it('never issues a document twice: an issued one keeps its number and the counter does not move', async () => {
    const { org, drafts } = await orgWithDrafts(1);
    await issueDraft(org, drafts[0]!, today);
    await expect(issueDraft(org, drafts[0]!, today)).rejects.toThrow(IssueError);
    await expect(issueDraft(org, drafts[0]!, today)).rejects.toThrow(/INV-000001 is not a draft/);
    expect(await sequence(org)).toMatchObject({ cspb_nextnumber: 2 });
  });

  it('a draft issued twice at once is issued once, with one number', async () => {
    const { org, drafts } = await orgWithDrafts(1);
    const outcomes = await Promise.allSettled([issueDraft(org, drafts[0]!, today), issueDraft(org, drafts[0]!, today)]);
    expect(outcomes.map((o) => o.status).sort()).toEqual(['fulfilled', 'rejected']);
    expect(await sequence(org)).toMatchObject({ cspb_nextnumber: 2 });
  });

  it('sends the counter and the invoice in one atomic change set, each with the version it read', async () => {
    const { org, drafts } = await orgWithDrafts(1);
    const batches: Array<{ operations: readonly BatchOperation[]; options?: BatchOptions }> = [];
    const spy: DataverseClient = Object.create(org, {
      executeBatch: {
        value: (operations: readonly BatchOperation[], options?: BatchOptions) => (
          batches.push({ operations, options }),
          org.executeBatch(operations, options)
        ),
      },
    });
    await issueDraft(spy, drafts[0]!, today);
    expect(batches).toHaveLength(1);
    expect(batches[0]!.options).toEqual({ atomic: true });
    expect(batches[0]!.operations.map((op) => [op.kind, op.entitySet, op.kind === 'update' && typeof op.ifMatch === 'string'])).toEqual([
      ['update', 'cspb_invoicenumberings', true],
      ['update', 'cspb_invoices', true],
    ]);
  });

  it('over the Web API (the $batch change set and If-Match headers dynamics-web-api sends), 8 concurrent issues still number 1..8', async () => {
    const { org, drafts } = await orgWithDrafts(8);
    const server = await serveLocalOrg(org);
    try {
      const client = await NodeDataverseClient.connect({ url: server.url });
      const results = await Promise.all(drafts.map((id) => issueDraft(client, id, today)));
      expect(results.map((r) => r.invoiceNumber).sort()).toEqual(Array.from({ length: 8 }, (_, i) => `INV-00000${i + 1}`));
      expect(await sequence(org)).toMatchObject({ cspb_nextnumber: 9 });
    } finally {
      await server.close();
    }
  });
});
