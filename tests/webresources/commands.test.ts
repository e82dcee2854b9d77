import { XrmMockGenerator } from 'xrm-mock';
import { CspbReconciliationRunRunStatus as RunStatus } from '../../dataverse/generated';
import { discrepanciesCsv, runReconciliation, settings } from '../../webresources/src/commands';
import { localWebApi } from './support/local-webapi';
import { readResx, useLanguage } from './support/resx';
import { seededOrg } from './support/seed';

describe('Run reconciliation on the local org', () => {
  it('creates the run record for the import, shows progress until the plugin completes it, and reports the result', async () => {
    const { org } = await seededOrg();
    const importId = await org.create('cspb_billingimports', {
      cspb_name: 'October bill',
      cspb_vendor: 100000000,
      cspb_contenthash: 'abc',
      cspb_importstatus: 100000003,
      cspb_currencycode: 'USD',
    });
    // Stands in for the reconciliation plugin: an async step completes the run with 3 discrepancies.
    org.register({
      message: 'Create',
      table: 'cspb_reconciliationrun',
      stage: 'PostOperation',
      mode: 'async',
      handler: async (ctx: { target: Record<string, unknown>; client: { update(set: string, id: string, body: Record<string, unknown>): Promise<void> } }) => {
        await ctx.client.update('cspb_reconciliationruns', String(ctx.target['cspb_reconciliationrunid']), {
          cspb_runstatus: RunStatus.Completed,
          cspb_discrepancycount: 3,
        });
      },
    } as never);
    XrmMockGenerator.initialise({ entity: { id: `{${importId}}`, entityName: 'cspb_billingimport' } } as never);
    XrmMockGenerator.Attribute.createString({ name: 'cspb_name', value: 'October bill' }, { name: 'cspb_name' });
    XrmMockGenerator.Attribute.createString({ name: 'cspb_currencycode', value: 'USD' }, { name: 'cspb_currencycode' });
    const xrm = Xrm as unknown as Record<string, Record<string, unknown>>;
    xrm['WebApi'] = localWebApi(org);
    useLanguage(1033);
    const progress: string[] = [];
    let closed = 0;
    xrm['Utility']!['showProgressIndicator'] = (m: string) => progress.push(m);
    xrm['Utility']!['closeProgressIndicator'] = () => closed++;
    const alerts: string[] = [];
    xrm['Navigation']!['openAlertDialog'] = async (o: { text: string }) => void alerts.push(o.text);
    settings.sleep = () => org.asyncIdle();

    const runId = await runReconciliation(XrmMockGenerator.getFormContext());

    const runs = (await org.retrieveMultiple<Record<string, unknown>>('cspb_reconciliationruns', {})).value;
    expect(runs).toHaveLength(1);
    expect(runs[0]).toEqual(expect.objectContaining({ cspb_reconciliationrunid: runId, _cspb_importid_value: importId, cspb_runstatus: RunStatus.Completed }));
    expect(progress[0]).toBe('Reconciliation: waiting for the server...');
    expect(progress).toContain('Reconciliation: pending (checked 1 time(s))');
    expect(closed).toBe(1);
    expect(alerts).toEqual(['Reconciliation completed: 3 discrepancy(ies).']);
  });
});

describe('Discrepancies CSV', () => {
  it('quotes cells and defuses formulas (core csvText)', () => {
    const csv = discrepanciesCsv([{ cspb_customername: '=HYPERLINK("x")', cspb_variance: -1.5, cspb_category: 100000002, cspb_explanation: 'a, "b"' }]);
    const [header, line] = csv.split('\r\n');
    expect(header?.startsWith('Customer name,Vendor subscription id,Product')).toBe(true);
    expect(line).toMatch(/^"'=HYPERLINK\(""x""\)",/);
    expect(line).toContain(',-1.5,');
    expect(line).toContain(',Quantity mismatch,');
    expect(line).toContain('"a, ""b"""');
  });
});

describe('RESX files', () => {
  it('have the same keys and placeholders in English and French', () => {
    const en = readResx(1033);
    const fr = readResx(1036);
    expect([...fr.keys()].sort()).toEqual([...en.keys()].sort());
    for (const [key, value] of en) expect({ key, p: (fr.get(key) ?? '').match(/\{\d+\}/g)?.sort() }).toEqual({ key, p: value.match(/\{\d+\}/g)?.sort() });
  });
});
