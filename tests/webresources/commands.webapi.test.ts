import { XrmMockGenerator } from 'xrm-mock';
import {
  CspbBillingContractAnchor as Anchor,
  CspbBillingContractFrequency as Frequency,
  CspbBillingContractTiming as Timing,
  CspbDiscrepancyCategory as Category,
  CspbInvoiceInvoiceStatus as InvoiceStatus,
  CspbInvoiceKind,
  CspbReconciliationRunRunStatus as RunStatus,
  CspbSubscriptionStatus,
} from '../../dataverse/generated';
import type { LocalOrg } from '../../dataverse/src/local-org';
import { entitySetNames } from '../../dataverse/generated';
import { logicalNamesOf, WebApiClient } from '../../dataverse/src/browser/web-api-client';
import { registerPlugins } from '../../plugins/src';
import { createCreditNote, exportDiscrepancies, generateInvoices, invoicePeriod, settings } from '../../webresources/src/commands';
import { issueInvoice, issueSettings } from '../../webresources/src/issue.command';
import { localWebApi } from './support/local-webapi';
import { useLanguage } from './support/resx';
import { contractTheSubscription, seededOrg } from './support/seed';

type Row = Record<string, unknown>;
const realSleep = settings.sleep;
/** Intl's spaces (no-break, narrow no-break, thin) as plain spaces, so expectations read as text. */
const plain = (text: string): string => text.replace(/[\u00a0\u202f\u2009]/g, ' ');

/**
 * xrm-mock over the org, with the dialogs, progress indicator, forms opened and file download
 * recorded. `confirm` answers the confirm dialogs, one answer per dialog in turn (the last repeats).
 */
function mockXrm(org: LocalOrg, entityName: string, id: string, options: { confirm?: boolean | readonly boolean[]; lcid?: number } = {}) {
  XrmMockGenerator.initialise({ entity: { id: id ? `{${id.toUpperCase()}}` : '', entityName } } as never);
  const xrm = Xrm as unknown as Record<string, Record<string, unknown>>;
  xrm['WebApi'] = localWebApi(org);
  useLanguage(options.lcid ?? 1033);
  const log = {
    progress: [] as string[],
    closed: 0,
    alerts: [] as string[],
    confirms: [] as string[],
    /** Every confirm dialog's strings (title, text, button labels), spaces plain. */
    dialogs: [] as Array<Record<string, string>>,
    forms: [] as Array<{ options: Row; parameters?: Row }>,
    files: [] as Array<{ file: Row; options: Row }>,
    refreshes: 0,
  };
  const answers = ([] as boolean[]).concat(options.confirm ?? true);
  xrm['Utility']!['showProgressIndicator'] = (m: string) => void log.progress.push(plain(m));
  xrm['Utility']!['closeProgressIndicator'] = () => void log.closed++;
  xrm['Navigation']!['openAlertDialog'] = async (o: { text: string }) => void log.alerts.push(plain(o.text));
  xrm['Navigation']!['openConfirmDialog'] = async (o: Record<string, string>) => {
    log.confirms.push(plain(o['text']!));
    log.dialogs.push(Object.fromEntries(Object.entries(o).map(([k, v]) => [k, plain(v)])));
    const answer = answers[Math.min(log.dialogs.length, answers.length) - 1]!;
    return { confirmed: answer };
  };
  xrm['Navigation']!['openForm'] = async (formOptions: Row, parameters?: Row) => {
    log.forms.push({ options: formOptions, ...(parameters ? { parameters } : {}) });
    return { savedEntityReference: [] };
  };
  xrm['Navigation']!['openFile'] = async (file: Row, fileOptions: Row) => void log.files.push({ file, options: fileOptions });
  const form = XrmMockGenerator.getFormContext();
  // xrm-mock stands in a made-up id for an empty one: an unsaved record has none.
  if (!id) form.data.entity.getId = () => '';
  (form.data as unknown as { refresh: () => Promise<void> }).refresh = async () => void log.refreshes++;
  settings.sleep = () => org.asyncIdle();
  return { form, log };
}

/** "Today" is 2026-10-15 (local) for the commands' calendar. */
beforeEach(() =>
  jest.useFakeTimers({ now: new Date(2026, 9, 15, 12), doNotFake: ['setTimeout', 'setImmediate', 'nextTick', 'queueMicrotask', 'setInterval'] }),
);
afterEach(() => {
  jest.useRealTimers();
  settings.sleep = realSleep;
  settings.pageSize = 5000;
});

const all = async (org: LocalOrg, set: string): Promise<Row[]> => (await org.retrieveMultiple<Row>(set, {})).value;

describe('Generate invoices (billing contract) on the local org', () => {
  async function contractForm(
    fields: { frequency?: number; anchor?: number; anchorDay?: number | null; termStart?: string; timing?: number } = {},
    plugin: 'complete' | 'fail' = 'complete',
    confirm: boolean | readonly boolean[] = true,
  ) {
    const { org, customerId, subscriptionId } = await seededOrg();
    const contractId = await org.create('cspb_billingcontracts', {
      cspb_name: 'Contoso licences',
      'cspb_CustomerId@odata.bind': `/accounts(${customerId})`,
      cspb_currencycode: 'USD',
      cspb_frequency: fields.frequency ?? Frequency.Monthly,
      cspb_anchor: fields.anchor ?? Anchor.CalendarMonth,
      cspb_anchorday: fields.anchorDay ?? null,
      cspb_timing: fields.timing ?? Timing.InAdvance,
      cspb_paymenttermdays: 30,
      cspb_prorationpolicy: 100000000,
      cspb_roundingpolicy: 100000000,
    });
    await org.update('cspb_subscriptions', subscriptionId, {
      'cspb_ContractId@odata.bind': `/cspb_billingcontracts(${contractId})`,
      cspb_termstartdate: fields.termStart ?? '2026-04-05',
      cspb_status: CspbSubscriptionStatus.Active,
    });
    // Stands in for the invoice-run plugin: an async step completes (2 drafts) or fails the run.
    org.register({
      message: 'Create',
      table: 'cspb_invoicerun',
      stage: 'PostOperation',
      mode: 'async',
      handler: async (ctx: { target: Row; client: { update(set: string, id: string, body: Row): Promise<void> } }) => {
        const body =
          plugin === 'complete'
            ? { cspb_runstatus: RunStatus.Completed, cspb_invoicecount: 2 }
            : { cspb_runstatus: RunStatus.Failed, cspb_error: 'no tax profile' };
        await ctx.client.update('cspb_invoiceruns', String(ctx.target['cspb_invoicerunid']), body);
      },
    } as never);
    const { form, log } = mockXrm(org, 'cspb_billingcontract', contractId, { confirm });
    XrmMockGenerator.Attribute.createOptionSet(
      { name: 'cspb_frequency', value: fields.frequency ?? Frequency.Monthly } as never,
      { name: 'cspb_frequency' } as never,
    );
    XrmMockGenerator.Attribute.createOptionSet(
      { name: 'cspb_anchor', value: fields.anchor ?? Anchor.CalendarMonth } as never,
      { name: 'cspb_anchor' } as never,
    );
    XrmMockGenerator.Attribute.createNumber({ name: 'cspb_anchorday', value: fields.anchorDay ?? null } as never, { name: 'cspb_anchorday' });
    XrmMockGenerator.Attribute.createOptionSet({ name: 'cspb_timing', value: fields.timing ?? Timing.InAdvance } as never, { name: 'cspb_timing' } as never);
    XrmMockGenerator.Attribute.createNumber({ name: 'cspb_paymenttermdays', value: 30 } as never, { name: 'cspb_paymenttermdays' });
    XrmMockGenerator.Attribute.createOptionSet({ name: 'cspb_prorationpolicy', value: 100000000 } as never, { name: 'cspb_prorationpolicy' } as never);
    XrmMockGenerator.Attribute.createDate({ name: 'createdon', value: new Date(2026, 5, 20, 9) }, { name: 'createdon' });
    return { org, contractId, form, log };
  }

  it('asks before billing a period that is not the current month, names it in words, then creates the run linked to the contract, shows progress and the result', async () => {
    const { org, contractId, form, log } = await contractForm();
    const runId = await generateInvoices(form);
    // Monthly on the calendar month in advance, today 2026-10-15: the next period is 2026-11-01..2026-11-30, not October.
    expect(log.dialogs).toEqual([
      {
        title: 'Which period?',
        text: 'The next billing period of this contract is Nov 2026, not the current month (Oct 2026). Invoice Nov 2026 now?',
        confirmButtonLabel: 'Invoice Nov 2026',
        cancelButtonLabel: 'Another period...',
      },
    ]);
    const runs = await all(org, 'cspb_invoiceruns');
    expect(runs).toEqual([
      expect.objectContaining({
        cspb_invoicerunid: runId,
        cspb_name: 'Invoice run Nov 2026',
        cspb_periodstart: '2026-11-01',
        cspb_periodend: '2026-11-30',
        _cspb_contractid_value: contractId,
        cspb_runstatus: RunStatus.Completed,
        cspb_invoicecount: 2,
      }),
    ]);
    expect(log.progress[0]).toBe('Invoice run: waiting for the server...');
    expect(log.progress).toContain('Invoice run: pending (checked 1 time(s))');
    expect(log.closed).toBe(1);
    expect(log.alerts).toEqual(['Invoice run completed: 2 draft invoice(s) for Nov 2026.']);
  });

  it('the other period: declining the next one offers the current one (October), and bills it when confirmed', async () => {
    const { org, contractId, form, log } = await contractForm({}, 'complete', [false, true]);
    const runId = await generateInvoices(form);
    expect(log.dialogs.map((d) => [d['text'], d['confirmButtonLabel']])).toEqual([
      ['The next billing period of this contract is Nov 2026, not the current month (Oct 2026). Invoice Nov 2026 now?', 'Invoice Nov 2026'],
      ['Invoice the current billing period of this contract, Oct 2026, instead?', 'Invoice Oct 2026'],
    ]);
    expect(await all(org, 'cspb_invoiceruns')).toEqual([
      expect.objectContaining({
        cspb_invoicerunid: runId,
        cspb_name: 'Invoice run Oct 2026',
        cspb_periodstart: '2026-10-01',
        cspb_periodend: '2026-10-31',
        _cspb_contractid_value: contractId,
      }),
    ]);
    expect(log.alerts).toEqual(['Invoice run completed: 2 draft invoice(s) for Oct 2026.']);
  });

  it('declining both periods bills nothing', async () => {
    const { org, form, log } = await contractForm({}, 'complete', false);
    expect(await generateInvoices(form)).toBeNull();
    expect(log.dialogs).toHaveLength(2);
    expect(await all(org, 'cspb_invoiceruns')).toEqual([]);
    expect(log.progress).toEqual([]);
    expect(log.alerts).toEqual([]);
  });

  it('in arrears the next invoice bills the current month: no question', async () => {
    const { org, form, log } = await contractForm({ timing: Timing.InArrears });
    await generateInvoices(form);
    expect(log.dialogs).toEqual([]);
    expect((await all(org, 'cspb_invoiceruns')).map((r) => [r['cspb_name'], r['cspb_periodstart'], r['cspb_periodend']])).toEqual([
      ['Invoice run Oct 2026', '2026-10-01', '2026-10-31'],
    ]);
  });

  it('quarterly on billing day 10: the period the form previews (phase from the earliest active term start)', async () => {
    // Term start 2026-02-05, before the creation date 2026-06-20: quarters on day 10 phased from the boundary
    // at or before Feb 5, i.e. Jan 10: Jan 10, Apr 10, Jul 10, Oct 10. Today 2026-10-15 is in Oct 10..Jan 9,
    // so the next is 2027-01-10..2027-04-09. (Phased from the creation date it would be 2026-12-10..2027-03-09,
    // not what the form previews.)
    const { org, form, log } = await contractForm({ frequency: Frequency.Quarterly, anchor: Anchor.BillingDay, anchorDay: 10, termStart: '2026-02-05' });
    await generateInvoices(form);
    // Not the current month: asked first, the quarter named by its first and last day.
    expect(log.confirms).toEqual([
      'The next billing period of this contract is Jan 10 – Apr 9, 2027, not the current month (Oct 2026). Invoice Jan 10 – Apr 9, 2027 now?',
    ]);
    expect(log.alerts).toEqual(['Invoice run completed: 2 draft invoice(s) for Jan 10 – Apr 9, 2027.']);
    // The record's name with plain spaces (what a search types), not Intl's thin ones around the dash.
    expect((await all(org, 'cspb_invoiceruns')).map((r) => [r['cspb_name'], r['cspb_periodstart'], r['cspb_periodend']])).toEqual([
      ['Invoice run Jan 10 – Apr 9, 2027', '2027-01-10', '2027-04-09'],
    ]);
  });

  it('a co-term contract: anchored on the earliest active term start', async () => {
    // Annual co-term on 2026-04-05: the year 2026-04-05..2027-04-04 holds today; the next is 2027-04-05..2028-04-04.
    const { org, form, log } = await contractForm({ frequency: Frequency.Annual, anchor: Anchor.CoTerm });
    await generateInvoices(form);
    expect(log.alerts).toEqual(['Invoice run completed: 2 draft invoice(s) for Apr 5, 2027 – Apr 4, 2028.']);
    expect((await all(org, 'cspb_invoiceruns')).map((r) => [r['cspb_periodstart'], r['cspb_periodend']])).toEqual([['2027-04-05', '2028-04-04']]);
  });

  it('reports a failed run with its error', async () => {
    const { form, log } = await contractForm({}, 'fail');
    await generateInvoices(form);
    expect(log.closed).toBe(1);
    expect(log.alerts).toEqual(['Invoice run failed: no tax profile']);
  });

  it('an unsaved contract: asks to save first and creates nothing', async () => {
    const { org } = await seededOrg();
    const { form, log } = mockXrm(org, 'cspb_billingcontract', '');
    XrmMockGenerator.Attribute.createOptionSet({ name: 'cspb_frequency', value: Frequency.Monthly } as never, { name: 'cspb_frequency' } as never);
    XrmMockGenerator.Attribute.createOptionSet({ name: 'cspb_anchor', value: Anchor.CalendarMonth } as never, { name: 'cspb_anchor' } as never);
    expect(await generateInvoices(form)).toBeNull();
    expect(log.alerts).toEqual(['Save the record first.']);
    expect(await all(org, 'cspb_invoiceruns')).toEqual([]);
  });
});

describe('Issue and credit an invoice on the local org', () => {
  /** Contoso's 25 seats at 15.00 under a monthly contract, its October 2026 draft from the real invoice run, and the invoice form on it. */
  async function invoiceForm(confirm = true) {
    const { org, customerId, subscriptionId } = await seededOrg();
    // The seed's ledger rows predate prices on the ledger; the suite's own rows carry them.
    for (const change of await all(org, 'cspb_subscriptionchanges'))
      await org.update('cspb_subscriptionchanges', String(change['cspb_subscriptionchangeid']), { cspb_unitprice: 15, cspb_unitcost: 12 });
    registerPlugins(org, { today: () => '2026-10-15' });
    const contractId = await contractTheSubscription(org, customerId, subscriptionId);
    await org.create('cspb_invoiceruns', {
      cspb_name: 'October',
      cspb_periodstart: '2026-10-01',
      cspb_periodend: '2026-10-31',
      'cspb_ContractId@odata.bind': `/cspb_billingcontracts(${contractId})`,
    });
    await org.asyncIdle();
    const [draft] = await all(org, 'cspb_invoices');
    const invoiceId = String(draft!['cspb_invoiceid']);
    const { form, log } = mockXrm(org, 'cspb_invoice', invoiceId, { confirm });
    XrmMockGenerator.Attribute.createString({ name: 'cspb_name', value: String(draft!['cspb_name']) }, { name: 'cspb_name' });
    XrmMockGenerator.Attribute.createOptionSet({ name: 'cspb_invoicestatus', value: InvoiceStatus.Draft } as never, { name: 'cspb_invoicestatus' } as never);
    // The command's client: Xrm.WebApi first, the org's Web API for the change set.
    issueSettings.client = () => new WebApiClient(localWebApi(org) as never, { logicalNames: logicalNamesOf(entitySetNames), fallback: org });
    const invoice = () => org.retrieve<Row>('cspb_invoices', invoiceId, {});
    return { org, invoiceId, subscriptionId, form, log, invoice, draftName: String(draft!['cspb_name']) };
  }

  it('issues a draft after confirmation: the next invoice number, status Issued, dated today and due after the terms', async () => {
    const { form, log, invoice, draftName } = await invoiceForm();
    expect(draftName).toBe('DRAFT 2026-10-01 Contoso licences');
    expect(await issueInvoice(form)).toBe(true);
    expect(log.confirms).toEqual([`Issue invoice ${draftName}? An issued invoice can no longer change.`]);
    // 25 seats x 15.00 = 375.00 for October
    expect(await invoice()).toEqual(
      expect.objectContaining({
        cspb_name: 'INV-000001',
        cspb_invoicestatus: InvoiceStatus.Issued,
        cspb_invoicedate: '2026-10-15',
        cspb_duedate: '2026-11-14',
        cspb_total: 375,
      }),
    );
    expect(log.alerts).toEqual(['Invoice INV-000001 issued on Oct 15, 2026.']);
    expect(log.refreshes).toBe(1);
  });

  it('leaves the draft unchanged and takes no number when the confirmation is cancelled', async () => {
    const { org, form, log, invoice } = await invoiceForm(false);
    const before = await invoice();
    expect(await issueInvoice(form)).toBe(false);
    expect(log.confirms).toHaveLength(1);
    expect(await invoice()).toEqual(before);
    expect(await all(org, 'cspb_invoicenumberings')).toEqual([]);
    expect(log.alerts).toEqual([]);
  });

  it('never re-issues an issued invoice (its number and invoice date stay)', async () => {
    const { form, log, invoice } = await invoiceForm();
    await issueInvoice(form);
    const before = await invoice();
    XrmMockGenerator.Attribute.createOptionSet({ name: 'cspb_invoicestatus', value: InvoiceStatus.Draft } as never, { name: 'cspb_invoicestatus' } as never);
    expect(await issueInvoice(form)).toBe(false);
    expect(await invoice()).toEqual(before);
    expect(log.alerts[1]).toMatch(/^This invoice is issued and can no longer change\. Correct it with a credit note\. \(INV-000001 is not a draft/);
  });

  it('credits an issued invoice from the ledger: the price cut to 12.00 from 2026-10-22 credits the old price and supplements the new one, linked to the issued invoice', async () => {
    const { org, invoiceId, subscriptionId, form, log } = await invoiceForm();
    await issueInvoice(form);
    await org.update('cspb_subscriptions', subscriptionId, {
      cspb_customerunitprice: 12,
      cspb_changeeffectivedate: '2026-10-22',
      cspb_changereason: 'renegotiated price',
    });
    await org.asyncIdle();
    expect(await createCreditNote(form)).not.toBeNull();
    const documents = (await all(org, 'cspb_invoices')).filter((r) => r['cspb_invoiceid'] !== invoiceId);
    const byKind = (kind: number) => documents.find((d) => d['cspb_kind'] === kind)!;
    expect(documents).toHaveLength(2);
    expect(byKind(CspbInvoiceKind.CreditNote)).toMatchObject({
      cspb_invoicestatus: InvoiceStatus.Draft,
      _cspb_creditofid_value: invoiceId,
      cspb_name: 'DRAFT 2026-10-01 credit note 1 Contoso licences',
    });
    expect(byKind(CspbInvoiceKind.Invoice)).toMatchObject({
      cspb_invoicestatus: InvoiceStatus.Draft,
      _cspb_creditofid_value: invoiceId,
      cspb_name: 'DRAFT 2026-10-01 supplement 1 Contoso licences',
    });
    const linesOf = async (id: unknown) => (await org.retrieveMultiple<Row>('cspb_invoicelines', { filter: `_cspb_invoiceid_value eq ${String(id)}` })).value;
    const [issuedLine] = await linesOf(invoiceId);
    // 25 seats for 10 of October's 31 days (22..31): at the old price -25 x 15.00 x 10/31 = -120.97 credited
    // against the issued line; at the new price 25 x 12.00 x 10/31 = 96.77 supplemented.
    expect((await linesOf(byKind(CspbInvoiceKind.CreditNote)['cspb_invoiceid'])).map((l) => [l['cspb_amount'], l['_cspb_correctslineid_value']])).toEqual([
      [-120.97, issuedLine!['cspb_invoicelineid']],
    ]);
    expect((await linesOf(byKind(CspbInvoiceKind.Invoice)['cspb_invoiceid'])).map((l) => l['cspb_amount'])).toEqual([96.77]);
    expect(log.alerts.at(-1)).toBe('Corrections of invoice INV-000001: 2 document(s) drafted from the current ledger.');
  });

  it('a credit note with nothing changed drafts nothing and says why', async () => {
    const { org, form, log } = await invoiceForm();
    await issueInvoice(form);
    await createCreditNote(form);
    expect(await all(org, 'cspb_invoices')).toHaveLength(1);
    // The correcting run is named by the invoice's period in words and the invoice.
    expect((await all(org, 'cspb_invoiceruns')).map((r) => r['cspb_name']).sort()).toEqual(['Invoice run Oct 2026 (INV-000001)', 'October']);
    expect(log.alerts.at(-1)).toMatch(/^The current ledger still matches invoice INV-000001: nothing to credit/);
  });

  it('refuses a credit note on a draft invoice and creates nothing', async () => {
    const { org, form, log } = await invoiceForm();
    expect(await createCreditNote(form)).toBeNull();
    expect(log.alerts).toEqual(['Only an issued invoice can be credited.']);
    expect(await all(org, 'cspb_invoiceruns')).toHaveLength(1);
  });
});

describe('Invoice a period (the Invoice runs list command) on the local org', () => {
  /**
   * Two customers under monthly contracts with the real invoice-run plugin: Contoso's 25 seats at
   * 15.00 (the seed) and Fabrikam's 4 seats at 20.00 since 2026-01-10. Today is 2026-10-15.
   */
  async function runsList(options: { confirm?: boolean; lcid?: number } = {}) {
    const { org, customerId, subscriptionId } = await seededOrg();
    for (const change of await all(org, 'cspb_subscriptionchanges'))
      await org.update('cspb_subscriptionchanges', String(change['cspb_subscriptionchangeid']), { cspb_unitprice: 15, cspb_unitcost: 12 });
    const contoso = await contractTheSubscription(org, customerId, subscriptionId);
    const fabrikamId = await org.create('accounts', { name: 'Fabrikam' });
    const [offer] = await all(org, 'cspb_offers');
    const fabrikamSub = await org.create('cspb_subscriptions', {
      'cspb_OfferId@odata.bind': `/cspb_offers(${String(offer!['cspb_offerid'])})`,
      'cspb_CustomerId@odata.bind': `/accounts(${fabrikamId})`,
      cspb_name: 'Fabrikam - Microsoft 365 E3',
      cspb_quantity: 4,
      cspb_status: CspbSubscriptionStatus.Active,
      cspb_vendorsubscriptionid: 'a1b2c3d4-0000-0000-0000-000000000002',
      cspb_currencycode: 'USD',
      cspb_customerunitprice: 20,
      cspb_vendorunitcost: 16,
    });
    await org.create('cspb_subscriptionchanges', {
      cspb_name: 'row 1',
      'cspb_SubscriptionId@odata.bind': `/cspb_subscriptions(${fabrikamSub})`,
      cspb_sequence: 1,
      cspb_changetype: 100000000,
      cspb_quantitybefore: 0,
      cspb_quantitydelta: 4,
      cspb_quantityafter: 4,
      cspb_effectivedate: '2026-01-10',
      cspb_currencycode: 'USD',
      cspb_productid: 'CFQ7TTC0LFLZ',
      cspb_term: 100000001,
      cspb_billingplan: 100000000,
      cspb_source: 100000000,
      cspb_referenceid: 'fab-1',
      cspb_changekey: 'fab.1',
      cspb_unitprice: 20,
      cspb_unitcost: 16,
    });
    const fabrikam = await contractTheSubscription(org, fabrikamId, fabrikamSub, 'Fabrikam licences');
    registerPlugins(org, { today: () => '2026-10-15' });
    const { log } = mockXrm(org, 'cspb_invoicerun', '', options);
    return { org, contoso, fabrikam, log };
  }

  it('proposes the previous calendar month in words, then invoices it for every contract (no contract on the run), waits and opens the run', async () => {
    const { org, contoso, fabrikam, log } = await runsList();
    const runId = await invoicePeriod();
    expect(log.dialogs).toEqual([
      {
        title: 'Invoice a period',
        text: 'Invoice Sep 2026 for all billing contracts?',
        confirmButtonLabel: 'Invoice Sep 2026',
        cancelButtonLabel: 'Another month...',
      },
    ]);
    const runs = await all(org, 'cspb_invoiceruns');
    expect(runs).toEqual([
      expect.objectContaining({
        cspb_invoicerunid: runId,
        cspb_name: 'Invoices Sep 2026',
        cspb_periodstart: '2026-09-01',
        cspb_periodend: '2026-09-30',
        cspb_runstatus: RunStatus.Completed,
        cspb_invoicecount: 2,
      }),
    ]);
    expect(runs[0]!['_cspb_contractid_value'] ?? null).toBeNull();
    // One September draft per contract: 25 x 15.00 = 375.00 and 4 x 20.00 = 80.00.
    const invoices = await all(org, 'cspb_invoices');
    expect(invoices.map((i) => [i['_cspb_contractid_value'], i['cspb_periodstart'], i['cspb_periodend'], i['cspb_total']]).sort()).toEqual(
      [
        [contoso, '2026-09-01', '2026-09-30', 375],
        [fabrikam, '2026-09-01', '2026-09-30', 80],
      ].sort(),
    );
    expect(log.progress[0]).toBe('Invoice run: waiting for the server...');
    expect(log.closed).toBe(1);
    expect(log.alerts).toEqual(['Invoice run completed: 2 draft invoice(s) for Sep 2026.']);
    expect(log.forms).toEqual([{ options: { entityName: 'cspb_invoicerun', entityId: runId } }]);
  });

  it(
    'another month: opens a new Invoice run form with the previous month and its name prefilled through openForm formParameters, creating nothing ' +
      '(Learn: "Set column values using parameters passed to a form", learn.microsoft.com/power-apps/developer/model-driven-apps/set-field-values-using-parameters-passed-form: date columns take the text of the date)',
    async () => {
      const { org, log } = await runsList({ confirm: false });
      expect(await invoicePeriod()).toBeNull();
      expect(log.forms).toEqual([
        {
          options: { entityName: 'cspb_invoicerun' },
          parameters: { cspb_name: 'Invoices Sep 2026', cspb_periodstart: '2026-09-01', cspb_periodend: '2026-09-30' },
        },
      ]);
      expect(await all(org, 'cspb_invoiceruns')).toEqual([]);
      expect(log.progress).toEqual([]);
    },
  );

  it('in January the previous month is December of the year before', async () => {
    jest.setSystemTime(new Date(2027, 0, 5, 9));
    const { log } = await runsList({ confirm: false });
    await invoicePeriod();
    expect(log.confirms).toEqual(['Invoice Dec 2026 for all billing contracts?']);
    expect(log.forms[0]!.parameters).toEqual({ cspb_name: 'Invoices Dec 2026', cspb_periodstart: '2026-12-01', cspb_periodend: '2026-12-31' });
  });

  it('in French', async () => {
    const { org, log } = await runsList({ lcid: 1036 });
    await invoicePeriod();
    expect(log.dialogs).toEqual([
      {
        title: 'Facturer une période',
        text: 'Facturer sept. 2026 pour tous les contrats de facturation ?',
        confirmButtonLabel: 'Facturer sept. 2026',
        cancelButtonLabel: 'Un autre mois...',
      },
    ]);
    expect((await all(org, 'cspb_invoiceruns')).map((r) => r['cspb_name'])).toEqual(['Factures sept. 2026']);
    expect(log.alerts).toEqual(['Facturation terminée : 2 facture(s) brouillon pour la période sept. 2026.']);
  });
});

describe('Export discrepancies on the local org', () => {
  it('hands Xrm.Navigation.openFile a CSV of this run only, ordered by name, formula-safe, numbers kept numeric', async () => {
    const { org, customerId } = await seededOrg();
    const importId = await org.create('cspb_billingimports', {
      cspb_name: 'October bill',
      cspb_vendor: 100000000,
      cspb_contenthash: 'abc',
      cspb_importstatus: 100000003,
      cspb_currencycode: 'USD',
    });
    const run = () =>
      org.create('cspb_reconciliationruns', {
        cspb_name: 'run',
        'cspb_ImportId@odata.bind': `/cspb_billingimports(${importId})`,
        cspb_runstatus: RunStatus.Completed,
        cspb_currencycode: 'USD',
      });
    const runId = await run();
    const otherRunId = await run();
    const discrepancy = (runOf: string, key: string, body: Row) =>
      org.create('cspb_discrepancies', {
        'cspb_RunId@odata.bind': `/cspb_reconciliationruns(${runOf})`,
        'cspb_CustomerId@odata.bind': `/accounts(${customerId})`,
        cspb_discrepancykey: key,
        cspb_currencycode: 'USD',
        cspb_resolutionstatus: 100000000,
        ...body,
      });
    // A customer named "=HYPERLINK(...)" (a formula planted through a bill or CRM name) reaches the finding's customer name.
    await discrepancy(runId, 'k1', {
      cspb_name: 'unknownInCrm sub-9',
      cspb_customername: '=HYPERLINK("http://x","Contoso")',
      cspb_category: Category.UnknownInCrm,
      cspb_vendorsubscriptionid: 'sub-9',
      cspb_billedquantity: 3,
      cspb_billedamount: 45,
      cspb_variance: 45,
      cspb_explanation: 'subscription sub-9 of =HYPERLINK("http://x","Contoso") is not in CRM',
    });
    await discrepancy(runId, 'k2', {
      cspb_name: 'priceMismatch sub-1 cycleCharge',
      cspb_customername: 'Contoso Ltd',
      cspb_category: Category.PriceMismatch,
      cspb_vendorsubscriptionid: 'sub-1',
      cspb_chargetype: 'cycleCharge',
      cspb_expectedquantity: 25,
      cspb_billedquantity: 25,
      cspb_expectedamount: 300,
      cspb_billedamount: 298.5,
      cspb_variance: -1.5,
      cspb_explanation: 'billed unit price 11.94, the ledger has 12.00',
    });
    await discrepancy(otherRunId, 'k3', { cspb_name: 'other run', cspb_category: Category.NotBilled });
    const { form, log } = mockXrm(org, 'cspb_reconciliationrun', runId);
    // One row per page: the second row comes through the nextLink, followed as the next request.
    settings.pageSize = 1;

    expect(await exportDiscrepancies(form)).toBe(2);

    expect(log.progress).toEqual(['CSV: waiting for the server...']);
    expect(log.closed).toBe(1);
    expect(log.files).toHaveLength(1);
    const { file, options } = log.files[0]!;
    const bytes = Buffer.from(String(file['fileContent']), 'base64');
    expect(file).toEqual(expect.objectContaining({ fileName: `discrepancies-${runId}.csv`, mimeType: 'text/csv', fileSize: bytes.length }));
    expect(options).toEqual({ openMode: 2 });
    const text = bytes.toString('utf8');
    expect(text.charCodeAt(0)).toBe(0xfeff);
    // Written by hand: the one findings CSV (the grid's Export writes the same): display names, choice labels,
    // the explanation; '=' -> leading apostrophe, then quoted for its quotes and comma; "-1.5" stays a number.
    expect(text.slice(1).split('\r\n')).toEqual([
      'Customer name,Vendor subscription id,Product,Charge type,Charge start,Charge end,Reference id,Billed quantity,Expected quantity,Effective unit price,Billed amount,Expected amount,Variance,Margin,Currency code,Category,Status,Resolution note,Decision from,Rule,Explanation',
      `"'=HYPERLINK(""http://x"",""Contoso"")",sub-9,,,,,,3,,,45,,45,,USD,Billed but unknown in CRM,Open,,,,"subscription sub-9 of =HYPERLINK(""http://x"",""Contoso"") is not in CRM"`,
      `Contoso Ltd,sub-1,,cycleCharge,,,,25,25,,298.5,300,-1.5,,USD,Price or cost mismatch,Open,,,,"billed unit price 11.94, the ledger has 12.00"`,
      '',
    ]);
    expect(log.alerts).toEqual([`2 discrepancy(ies) exported to discrepancies-${runId}.csv.`]);
  });

  it('an unsaved run: asks to save first, no file', async () => {
    const { org } = await seededOrg();
    const { form, log } = mockXrm(org, 'cspb_reconciliationrun', '');
    expect(await exportDiscrepancies(form)).toBe(0);
    expect(log.alerts).toEqual(['Save the record first.']);
    expect(log.files).toEqual([]);
  });
});
