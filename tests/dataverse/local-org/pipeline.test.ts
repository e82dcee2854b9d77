import { DataverseError } from '../../../dataverse/src/client';
import { LocalOrg, MAX_DEPTH, type PluginContext } from '../../../dataverse/src/local-org';
import { serveLocalOrg } from '../../../dataverse/src/local-org/http';
import { NodeDataverseClient } from '../../../dataverse/src/node';
import { failure, importRecord, lineRecord } from '../contract/fixtures';

const IMPORTS = 'cspb_billingimports';
const LINES = 'cspb_billinglines';

describe('plug-in pipeline', () => {
  let org: LocalOrg;
  beforeEach(() => {
    org = new LocalOrg();
  });

  it('a sync PreOperation handler that throws leaves no row behind, and its error reaches the caller', async () => {
    org.register({
      message: 'Create',
      table: 'cspb_billingimport',
      stage: 'PreOperation',
      handler: () => {
        throw new Error('Imports are frozen during month end.');
      },
    });
    const e = await failure(org.create(IMPORTS, importRecord('h1')));
    expect([e.status, e.code, e.message]).toEqual([400, '0x80040265', 'Imports are frozen during month end.']);
    expect(org.count(IMPORTS)).toBe(0);
  });

  it("rolls back the rows the handler's own writes created, down to nested operations", async () => {
    org.register({
      message: 'Create',
      table: 'cspb_billingimport',
      stage: 'PostOperation',
      handler: async (ctx) => {
        // Writes through the bound client join the operation's transaction...
        await ctx.client.create('accounts', { name: 'Made by the plug-in' });
        await ctx.client.create(LINES, lineRecord(ctx.primaryEntityId!, 'auto-1'));
        throw new DataverseError('Totals do not add up.', 400, '0x80040265');
      },
    });
    const e = await failure(org.create(IMPORTS, importRecord('h1')));
    expect(e.message).toBe('Totals do not add up.');
    expect([org.count(IMPORTS), org.count(LINES), org.count('accounts')]).toEqual([0, 0, 0]);
  });

  it('also through the HTTP face: the caller gets the error body, nothing is stored', async () => {
    org.register({ message: 'Create', table: 'cspb_billingimport', stage: 'PreOperation', handler: () => Promise.reject(new Error('No.')) });
    const server = await serveLocalOrg(org);
    try {
      const client = new NodeDataverseClient({ url: server.url, retry: false });
      const e = await failure(client.create(IMPORTS, importRecord('h1')));
      expect([e.status, e.code, e.message]).toEqual([400, '0x80040265', 'No.']);
      expect(org.count(IMPORTS)).toBe(0);
    } finally {
      await server.close();
    }
  });

  it('runs stages in order, PreValidation -> PreOperation -> PostOperation, by rank within a stage', async () => {
    const seen: string[] = [];
    const log = (name: string) => (ctx: PluginContext) => void seen.push(`${name}:${ctx.stage}:${ctx.depth}`);
    org.register({ message: 'Create', table: 'cspb_billingimport', stage: 'PostOperation', handler: log('post') });
    org.register({ message: 'Create', table: 'cspb_billingimport', stage: 'PreOperation', rank: 2, handler: log('pre-b') });
    org.register({ message: 'Create', table: 'cspb_billingimport', stage: 'PreOperation', rank: 1, handler: log('pre-a') });
    org.register({ message: 'Create', table: 'cspb_billingimport', stage: 'PreValidation', handler: log('val') });
    org.register({ message: 'Create', table: 'cspb_billingline', stage: 'PreValidation', handler: log('other-table') });
    await org.create(IMPORTS, importRecord('h1'));
    expect(seen).toEqual(['val:PreValidation:1', 'pre-a:PreOperation:1', 'pre-b:PreOperation:1', 'post:PostOperation:1']);
  });

  it('lets PreOperation change the Target; the changed Target is validated and stored', async () => {
    org.register({
      message: 'Create',
      table: 'cspb_billingimport',
      stage: 'PreOperation',
      handler: (ctx) => {
        ctx.target['cspb_invoicenumber'] = `INV-${String(ctx.target['cspb_contenthash'])}`;
      },
    });
    const id = await org.create(IMPORTS, importRecord('h1'));
    expect((await org.retrieve(IMPORTS, id))['cspb_invoicenumber']).toBe('INV-h1');

    org.register({
      message: 'Update',
      table: 'cspb_billingimport',
      stage: 'PreOperation',
      handler: (ctx) => void (ctx.target['cspb_currencycode'] = 'DOLLARS'),
    });
    const e = await failure(org.update(IMPORTS, id, { cspb_filename: 'bill.csv' }));
    expect(e.code).toBe('0x80044331');
    expect((await org.retrieve(IMPORTS, id))['cspb_filename']).toBeNull();
  });

  it('gives Update steps the Target, the pre-image and the post-image', async () => {
    const id = await org.create(IMPORTS, importRecord('h1', { cspb_rowsread: 10 }));
    let captured: PluginContext | undefined;
    org.register({ message: 'Update', table: 'cspb_billingimport', stage: 'PostOperation', handler: (ctx) => void (captured = ctx) });
    await org.update(IMPORTS, id, { cspb_rowsread: 12 });
    expect(captured!.target).toEqual({ cspb_rowsread: 12, cspb_billingimportid: id });
    expect(captured!.preEntityImages['PreImage']).toMatchObject({ cspb_rowsread: 10, cspb_contenthash: 'h1' });
    expect(captured!.postEntityImages['PostImage']).toMatchObject({ cspb_rowsread: 12, cspb_contenthash: 'h1' });
    expect(captured!.messageName).toBe('Update');
    expect(captured!.primaryEntityId).toBe(id);
  });

  it('gives Delete steps the pre-image, and a throwing Delete step keeps the row', async () => {
    const id = await org.create(IMPORTS, importRecord('h1'));
    let pre: unknown;
    org.register({
      message: 'Delete',
      table: 'cspb_billingimport',
      stage: 'PreOperation',
      handler: (ctx) => {
        pre = ctx.preEntityImages['PreImage'];
        throw new Error('Completed imports are kept.');
      },
    });
    expect((await failure(org.delete(IMPORTS, id))).message).toBe('Completed imports are kept.');
    expect(pre).toMatchObject({ cspb_billingimportid: id, cspb_contenthash: 'h1' });
    expect(org.count(IMPORTS)).toBe(1);
  });

  it('runs Update steps only when a filtering attribute is written', async () => {
    const id = await org.create(IMPORTS, importRecord('h1'));
    let runs = 0;
    org.register({
      message: 'Update',
      table: 'cspb_billingimport',
      stage: 'PostOperation',
      filteringAttributes: ['cspb_importstatus'],
      handler: () => void runs++,
    });
    await org.update(IMPORTS, id, { cspb_filename: 'a.csv' });
    await org.update(IMPORTS, id, { cspb_importstatus: 100_000_003 });
    expect(runs).toBe(1);
  });

  it('shares the correlation id with nested operations and increments their depth', async () => {
    const seen: [string, number, string][] = [];
    org.register({
      message: 'Create',
      table: 'cspb_billingimport',
      stage: 'PostOperation',
      handler: async (ctx) => {
        seen.push([ctx.messageName, ctx.depth, ctx.correlationId]);
        await ctx.client.create(LINES, lineRecord(ctx.primaryEntityId!, 'child'));
      },
    });
    org.register({
      message: 'Create',
      table: 'cspb_billingline',
      stage: 'PreOperation',
      handler: (ctx) => void seen.push([ctx.messageName, ctx.depth, ctx.correlationId]),
    });
    await org.create(IMPORTS, importRecord('h1'));
    expect(seen.map(([m, d]) => [m, d])).toEqual([
      ['Create', 1],
      ['Create', 2],
    ]);
    expect(seen[0]![2]).toBe(seen[1]![2]);
    expect(org.count(LINES)).toBe(1);
  });

  it(`stops a plug-in loop at depth ${MAX_DEPTH} and rolls the whole chain back`, async () => {
    let deepest = 0;
    org.register({
      message: 'Update',
      table: 'cspb_billingimport',
      stage: 'PostOperation',
      handler: async (ctx) => {
        deepest = Math.max(deepest, ctx.depth);
        await ctx.client.update(IMPORTS, ctx.primaryEntityId!, { cspb_rowsread: ctx.depth });
      },
    });
    const id = await org.create(IMPORTS, importRecord('h1'));
    const e = await failure(org.update(IMPORTS, id, { cspb_rowsread: 0 }));
    expect(e.code).toBe('0x80044182');
    expect(deepest).toBe(MAX_DEPTH);
    expect((await org.retrieve(IMPORTS, id))['cspb_rowsread']).toBeNull();
  });

  it('runs async PostOperation steps after the commit and records their failures without failing the caller', async () => {
    const order: string[] = [];
    org.register({
      message: 'Create',
      table: 'cspb_billingimport',
      stage: 'PostOperation',
      mode: 'async',
      name: 'notify-finance',
      handler: (ctx) => {
        order.push(`async sees ${ctx.primaryEntityId === undefined ? 'nothing' : 'the row'}`);
        throw new Error('Mail server down.');
      },
    });
    org.register({
      message: 'Create',
      table: 'cspb_billingimport',
      stage: 'PostOperation',
      mode: 'async',
      handler: async (ctx) => void (await ctx.client.update(IMPORTS, ctx.primaryEntityId!, { cspb_importstatus: 100_000_003 })),
    });
    const id = await org.create(IMPORTS, importRecord('h1'));
    order.push('caller returned');
    expect(org.count(IMPORTS)).toBe(1);
    await org.asyncIdle();
    expect(order).toEqual(['caller returned', 'async sees the row']);
    expect(org.asyncFailures).toHaveLength(1);
    expect(org.asyncFailures[0]).toMatchObject({ step: 'notify-finance', messageName: 'Create', primaryEntityId: id });
    expect(org.asyncFailures[0]!.error.message).toBe('Mail server down.');
    expect((await org.retrieve(IMPORTS, id))['cspb_importstatus']).toBe(100_000_003);
  });

  it('does not run async steps of an operation that rolled back', async () => {
    let ran = false;
    org.register({ message: 'Create', table: 'cspb_billingimport', stage: 'PostOperation', mode: 'async', handler: () => void (ran = true) });
    org.register({ message: 'Create', table: 'cspb_billingimport', stage: 'PostOperation', rank: 2, handler: () => Promise.reject(new Error('late failure')) });
    await failure(org.create(IMPORTS, importRecord('h1')));
    await org.asyncIdle();
    expect(ran).toBe(false);
  });

  it('refuses async steps outside PostOperation', () => {
    expect(() => org.register({ message: 'Create', stage: 'PreOperation', mode: 'async', handler: () => undefined })).toThrow(/PostOperation/);
  });

  it('runs steps on custom messages around their implementation; a throwing step rolls back its writes', async () => {
    org.registerMessage('cspb_Reconcile', async (input, ctx) => {
      await ctx.client.create('accounts', { name: String(input['Customer']) });
      return { Accounts: 1 };
    });
    const unregister = org.register({ message: 'cspb_Reconcile', stage: 'PostOperation', handler: (ctx) => void (ctx.outputParameters['Checked'] = true) });
    expect(await org.execute('cspb_Reconcile', { Customer: 'Contoso' })).toEqual({ Accounts: 1, Checked: true });
    unregister();
    org.register({ message: 'cspb_Reconcile', stage: 'PostOperation', handler: () => Promise.reject(new Error('run refused')) });
    expect((await failure(org.execute('cspb_Reconcile', { Customer: 'Fabrikam' }))).message).toBe('run refused');
    expect(org.count('accounts')).toBe(1);
  });

  it('runs Create steps for every row of CreateMultiple and UpsertMultiple (Update for existing rows)', async () => {
    const imp = await org.create(IMPORTS, importRecord('h1'));
    const messages: string[] = [];
    org.register({
      message: 'Create',
      table: 'cspb_billingline',
      stage: 'PreOperation',
      handler: (ctx) => void messages.push(`C:${String(ctx.target['cspb_linekey'])}`),
    });
    org.register({
      message: 'Update',
      table: 'cspb_billingline',
      stage: 'PreOperation',
      handler: (ctx) => void messages.push(`U:${ctx.primaryEntityId === undefined ? '?' : 'id'}`),
    });
    await org.createMultiple(LINES, [lineRecord(imp, 'k1'), lineRecord(imp, 'k2')]);
    await org.upsertMultiple(LINES, ['cspb_linekey'], [lineRecord(imp, 'k2'), lineRecord(imp, 'k3')]);
    expect(messages).toEqual(['C:k1', 'C:k2', 'U:id', 'C:k3']);
  });
});
