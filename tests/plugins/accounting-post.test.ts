/**
 * Posting to the accounting system (issue 22), end to end against local fakes of Business Central,
 * Xero and QuickBooks Online built from their documented shapes (tests/support/accounting): the
 * sample partner's issued invoices of October and November, and November's credit notes, read from
 * the org, mapped, posted, and recorded on each invoice row (the call `npm run post` and the Posting
 * run make). Each system must show our totals to the cent; a second post creates nothing; a run
 * stopped half-way (throttled past its retries, an answer lost after the create) resumes without a
 * duplicate; a missing mapping stops everything before a request is sent.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Decimal, parseDate, type AccountingSystem } from '../../core/src';
import {
  CspbAccountingMappingKind as Kind,
  CspbAccountingMappingLineCategory as Category,
  CspbAccountingMappingSystem as System,
  CspbInvoiceInvoiceStatus as InvoiceStatus,
  CspbInvoiceKind as InvoiceKind,
  CspbInvoicePostingStatus as PostingStatus,
  CspbPostingRunRunStatus as RunStatus,
} from '../../dataverse/generated';
import { MemoryBillFileSource, registerPlugins } from '../../plugins/src';
import { runScript } from '../support/cli';
import { builtCustomizations } from '../support/dist';
import { LocalOrg } from '../../dataverse/src/local-org';
import { issueDraft } from '../../dataverse/src/runs';
import { postPeriod, type AccountingClient } from '../../plugins/src/accounting';
import { businessCentralClient } from '../../plugins/src/accounting/business-central';
import { oauthToken } from '../../plugins/src/accounting/oauth';
import { quickBooksClient } from '../../plugins/src/accounting/quickbooks';
import { xeroClient } from '../../plugins/src/accounting/xero';
import { CLIENT_ID, CLIENT_SECRET, TENANT } from '../../scripts/fakes/entra';
import { generateSample } from '../../scripts/sample-data';
import { correctionsStage, dynamicsPath } from '../parity/support';
import { BC_COMPANY, startFakeBusinessCentral } from '../support/accounting/business-central';
import { QBO_CLIENT_ID, QBO_CLIENT_SECRET, QBO_FIRST_REFRESH_TOKEN, QBO_REALM, startFakeQuickBooks } from '../support/accounting/quickbooks';
import type { FakeServer } from '../support/accounting/server';
import { startFakeXero, XERO_CLIENT_ID, XERO_CLIENT_SECRET, XERO_TENANT } from '../support/accounting/xero';

jest.setTimeout(180_000);
beforeAll(() => jest.spyOn(console, 'error').mockImplementation(() => undefined));
afterAll(() => jest.restoreAllMocks());

type Row = Record<string, unknown>;
let snapshot: ReturnType<LocalOrg['exportSnapshot']>;
let accounts: string[];

beforeAll(async () => {
  const sample = generateSample();
  const tables = (sample.snapshot as unknown as { tables: Record<string, Row[]> }).tables;
  // Tax on two customers: Washington sales tax on Contoso, an exempt Northwind; the others none.
  for (const c of tables['cspb_billingcontract']!) {
    if (String(c['cspb_name']).startsWith('Contoso')) c['cspb_taxprofile'] = JSON.stringify({ rates: [{ jurisdiction: 'US-WA', ratePercent: '6.5' }] });
    if (String(c['cspb_name']).startsWith('Northwind'))
      c['cspb_taxprofile'] = JSON.stringify({ rates: [{ jurisdiction: 'US-WA', ratePercent: '6.5' }], exempt: true, exemptionReference: 'WA-RESALE-1' });
  }
  const month = { snapshot: sample.snapshot, licenceCsv: sample.licenceCsv, usageCsv: sample.usageCsv };
  const { org } = await dynamicsPath(month);
  await correctionsStage(org, month);
  // Finance issues November's corrections too: credit notes and supplements.
  for (const draft of (await org.retrieveMultiple<Row>('cspb_invoices', { filter: `cspb_invoicestatus eq ${InvoiceStatus.Draft}` })).value)
    await issueDraft(org, String(draft['cspb_invoiceid']), parseDate('2026-11-20'));
  snapshot = org.exportSnapshot();
  const issued = (await org.retrieveMultiple<Row>('cspb_invoices', { filter: `cspb_invoicestatus eq ${InvoiceStatus.Issued}` })).value;
  accounts = [...new Set(issued.map((i) => String(i['_cspb_customerid_value']).toLowerCase()))];
});

async function freshOrg(): Promise<LocalOrg> {
  const org = new LocalOrg({ now: () => new Date('2026-11-25T09:00:00Z') });
  await org.importSnapshot(snapshot);
  return org;
}

const CATEGORIES = [Category.Recurring, Category.Prorated, Category.Usage, Category.OneTime, Category.Credit, Category.Discount, Category.Commitment];

/** Each system's names: a customer per account, an account or item per category, a tax code per key. */
const NAMES: Record<AccountingSystem, { customer: (i: number) => string; category: (c: number) => string; tax: Record<string, string> }> = {
  bc: {
    customer: (i) => `C${String(10000 + i * 10)}`,
    category: (c) => (c === Category.Recurring ? 'item:1900-MS365' : `account:${6100 + (c % 100)}`),
    tax: { 'US-WA': 'WA-SALES', exempt: 'RESALE', none: 'NONTAX' },
  },
  xero: {
    customer: (i) => `7b1e2c1a-0000-4000-8000-${String(i).padStart(12, '0')}`,
    category: (c) => String(200 + (c % 100)),
    tax: { 'US-WA': 'OUTPUT', exempt: 'EXEMPTOUTPUT', none: 'NONE' },
  },
  qbo: { customer: (i) => String(58 + i), category: (c) => String(10 + (c % 100)), tax: { 'US-WA': '3', exempt: 'NON', none: 'NON' } },
};
const SYSTEM = { bc: System.BusinessCentral, xero: System.Xero, qbo: System.QuickBooksOnline } as const;
const RATES: Record<string, string> = { 'WA-SALES': '6.5', RESALE: '0', NONTAX: '0', OUTPUT: '6.5', EXEMPTOUTPUT: '0', NONE: '0', '3': '6.5', NON: '0' };

async function addMappings(org: LocalOrg, system: AccountingSystem): Promise<void> {
  const names = NAMES[system];
  for (const [i, account] of accounts.entries())
    await org.create('cspb_accountingmappings', {
      cspb_name: `customer ${i}`,
      cspb_system: SYSTEM[system],
      cspb_kind: Kind.Customer,
      'cspb_AccountId@odata.bind': `/accounts(${account})`,
      cspb_externalvalue: names.customer(i),
    });
  for (const c of CATEGORIES)
    await org.create('cspb_accountingmappings', {
      cspb_name: `category ${c}`,
      cspb_system: SYSTEM[system],
      cspb_kind: Kind.LineCategory,
      cspb_linecategory: c,
      cspb_externalvalue: names.category(c),
    });
  for (const [key, code] of Object.entries(names.tax))
    await org.create('cspb_accountingmappings', {
      cspb_name: `tax ${key}`,
      cspb_system: SYSTEM[system],
      cspb_kind: Kind.Tax,
      cspb_taxkey: key,
      cspb_externalvalue: code,
    });
}

interface Harness {
  readonly fake: FakeServer & { documents: () => ReadonlyArray<{ number: string; total: number; tax: number }> };
  readonly client: () => AccountingClient;
}

const noSleep = { sleep: async () => undefined, maxRetries: 2 };

async function harness(system: AccountingSystem): Promise<Harness> {
  const names = NAMES[system];
  const customers = accounts.map((_, i) => names.customer(i));
  const refs = CATEGORIES.map((c) => names.category(c));
  const taxCodes = Object.fromEntries(Object.values(names.tax).map((code) => [code, RATES[code]!]));
  if (system === 'bc') {
    const fake = await startFakeBusinessCentral({
      customers,
      items: refs.filter((r) => r.startsWith('item:')).map((r) => r.slice(5)),
      accounts: refs.filter((r) => r.startsWith('account:')).map((r) => r.slice(8)),
      taxCodes,
    });
    const client = () =>
      businessCentralClient({
        apiUrl: fake.apiUrl,
        companyId: BC_COMPANY,
        localCurrency: 'USD',
        credentials: {
          tenantId: TENANT,
          clientId: CLIENT_ID,
          clientSecret: CLIENT_SECRET,
          authorityMetadata: fake.authorityMetadata,
          cloudDiscoveryMetadata: fake.cloudDiscoveryMetadata,
          networkClient: fake.msalNetwork,
        },
        http: noSleep,
      });
    return { fake: { ...fake, documents: () => fake.documents().map((d) => ({ number: d.externalDocumentNumber, total: d.total, tax: d.tax })) }, client };
  }
  if (system === 'xero') {
    const fake = await startFakeXero({ contacts: customers, accountCodes: refs, taxTypes: taxCodes });
    const client = () =>
      xeroClient({
        apiUrl: fake.apiUrl,
        tenantId: XERO_TENANT,
        token: oauthToken({
          system,
          tokenUrl: fake.tokenUrl,
          clientId: XERO_CLIENT_ID,
          clientSecret: XERO_CLIENT_SECRET,
          grant: { kind: 'client_credentials' },
        }),
        http: noSleep,
      });
    return { fake, client };
  }
  const fake = await startFakeQuickBooks({ customers, items: refs, taxCodes });
  let refresh = QBO_FIRST_REFRESH_TOKEN;
  const client = () =>
    quickBooksClient({
      apiUrl: fake.apiUrl,
      token: oauthToken({
        system,
        tokenUrl: fake.tokenUrl,
        clientId: QBO_CLIENT_ID,
        clientSecret: QBO_CLIENT_SECRET,
        grant: { kind: 'refresh_token', refreshToken: () => refresh, onRotated: (t) => (refresh = t) },
      }),
      http: noSleep,
    });
  return { fake: { ...fake, documents: () => fake.documents().map((d) => ({ number: d.number, total: d.total, tax: d.tax })) }, client };
}

async function issuedRows(org: LocalOrg, months = ['2026-10', '2026-11']): Promise<Row[]> {
  return (await org.retrieveMultiple<Row>('cspb_invoices', { filter: `cspb_invoicestatus eq ${InvoiceStatus.Issued}`, orderBy: ['cspb_name'] })).value.filter(
    (r) => months.includes(String(r['cspb_periodstart']).slice(0, 7)),
  );
}

describe.each(['bc', 'xero', 'qbo'] as const)('%s', (system) => {
  let h: Harness;
  beforeEach(async () => (h = await harness(system)));
  afterEach(() => h.fake.close());

  test("a missing mapping stops the post before a request; the sample's documents then post to the cent, once, resuming after a stop", async () => {
    const org = await freshOrg();
    // No mappings: every customer, category and tax key the documents use is listed; nothing is sent.
    const blocked = await postPeriod({ system, month: '2026-10', dataverse: org, accounting: h.client() });
    expect(blocked.outcomes).toEqual([]);
    expect(blocked.missing.map((m) => m.kind)).toEqual(expect.arrayContaining(['customer', 'category', 'tax']));
    expect(blocked.missing.find((m) => m.kind === 'customer')!.label).toMatch(/^customer '.+' has no /);
    expect(h.fake.log).toEqual([]);
    await addMappings(org, system);

    // A dry run sends nothing and writes nothing.
    const dry = await postPeriod({ system, month: '2026-10', dataverse: org });
    expect(dry.missing).toEqual([]);
    expect(dry.outcomes.length).toBe(dry.documents);
    expect(dry.outcomes.every((o) => o.outcome === 'would-post')).toBe(true);
    expect(h.fake.log).toEqual([]);

    // October: throttled for good after the second document: the run stops, two are recorded.
    let seen = 0;
    const stopped = postPeriod({
      system,
      month: '2026-10',
      dataverse: org,
      accounting: h.client(),
      onOutcome: () => {
        if (++seen === 2) h.fake.throttle(1000);
      },
    });
    await expect(stopped).rejects.toMatchObject({ name: 'AccountingApiError', code: 'throttled' });
    h.fake.throttle(0);
    expect((await issuedRows(org, ['2026-10'])).filter((r) => r['cspb_postingstatus'] === PostingStatus.Posted)).toHaveLength(2);
    // A server error on a create (it may have been done): not resent; looked up, not found, the run stops.
    h.fake.failNextCreates(1);
    const before500 = h.fake.documents().length;
    await expect(postPeriod({ system, month: '2026-10', dataverse: org, accounting: h.client() })).rejects.toMatchObject({ code: 'network', status: 500 });
    expect(h.fake.documents()).toHaveLength(before500);
    expect(h.fake.log.filter((l) => l.status === 500)).toHaveLength(1);
    // The next run resumes; the answer to its first create is lost after the create is done: the
    // create is not sent again (it was done), the document is looked up by its number and found.
    h.fake.dropNextCreate();
    const resumed = await postPeriod({ system, month: '2026-10', dataverse: org, accounting: h.client() });
    expect(resumed.outcomes.filter((o) => o.outcome === 'failed')).toEqual([]);
    expect(resumed.outcomes.every((o) => o.outcome === 'posted')).toBe(true);
    const lost = h.fake.log.findIndex((l) => l.status === 0);
    expect(lost).toBeGreaterThan(0);
    expect(h.fake.log[lost + 1]).toMatchObject({ method: 'GET', status: 200 });

    // November: invoices, supplements and the credit notes of the price cut; the first two requests
    // are throttled (429) and retried after the wait the system asks for.
    h.fake.throttle(2);
    const before = h.fake.log.length;
    const november = await postPeriod({ system, month: '2026-11', dataverse: org, accounting: h.client() });
    expect(november.outcomes.filter((o) => o.outcome === 'failed')).toEqual([]);
    expect(h.fake.log.slice(before).filter((l) => l.status === 429)).toHaveLength(2);

    // Every issued document is in the books once, with our total and tax to the cent.
    const rows = await issuedRows(org);
    expect(rows.some((r) => r['cspb_kind'] === InvoiceKind.CreditNote)).toBe(true);
    expect(rows.some((r) => Number(r['cspb_taxtotal']) !== 0)).toBe(true);
    const books = h.fake.documents();
    expect(books.map((b) => b.number).sort()).toEqual(rows.map((r) => String(r['cspb_name'])).sort());
    for (const r of rows) {
      const sign = r['cspb_kind'] === InvoiceKind.CreditNote ? -1 : 1;
      const book = books.find((b) => b.number === r['cspb_name'])!;
      expect([r['cspb_name'], new Decimal(String(book.total)).toFixed(2), new Decimal(String(book.tax)).toFixed(2)]).toEqual([
        r['cspb_name'],
        new Decimal(String(r['cspb_total'])).times(sign).toFixed(2),
        new Decimal(String(r['cspb_taxtotal'])).times(sign).toFixed(2),
      ]);
      expect(r).toMatchObject({ cspb_postingstatus: PostingStatus.Posted, cspb_postingerror: null });
      expect(String(r['cspb_postedat'])).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
      expect(typeof r['cspb_externalid']).toBe('string');
    }

    if (system === 'xero') {
      // Authorised once Xero's totals were found equal to ours; the exempt customer's lines carry the exempt tax type.
      expect((h.fake.documents() as unknown as Array<{ status?: string }>).every((d) => d.status === 'AUTHORISED')).toBe(true);
      const taxTypes = h.fake.log.flatMap((l) =>
        ((l.body as { Invoices?: Array<{ LineItems?: Array<{ TaxType: string }> }> })?.Invoices ?? [])
          .flatMap((i) => i.LineItems ?? [])
          .map((li) => li.TaxType),
      );
      expect(new Set(taxTypes)).toEqual(new Set(['OUTPUT', 'EXEMPTOUTPUT', 'NONE']));
    }

    // A second post of both months creates nothing: nothing is left to post...
    expect((await postPeriod({ system, month: '2026-10', dataverse: org, accounting: h.client() })).documents).toBe(0);
    // ...and with the org's record lost, each document is found by its number.
    for (const r of rows) await org.update('cspb_invoices', String(r['cspb_invoiceid']), { cspb_postingstatus: PostingStatus.NotPosted });
    const again = await postPeriod({ system, month: '2026-11', dataverse: org, accounting: h.client() });
    expect(again.outcomes.length).toBeGreaterThan(0);
    expect(again.outcomes.every((o) => o.outcome === 'already-posted')).toBe(true);
    expect(h.fake.documents()).toHaveLength(books.length);
  });
});

describe('the Posting run in Dynamics and npm run post', () => {
  test("a Posting run posts the month through the queued job with the host's settings; a dry run lists and sends nothing", async () => {
    const h = await harness('xero');
    const fake = h.fake as unknown as { apiUrl: string; tokenUrl: string };
    try {
      const org = new LocalOrg({ now: () => new Date('2026-11-25T09:00:00Z') });
      const env = {
        CSPB_XERO_CLIENT_ID: XERO_CLIENT_ID,
        CSPB_XERO_CLIENT_SECRET: XERO_CLIENT_SECRET,
        CSPB_XERO_TENANT_ID: XERO_TENANT,
        CSPB_XERO_API_URL: fake.apiUrl,
        CSPB_XERO_TOKEN_URL: fake.tokenUrl,
      };
      registerPlugins(org, { billFiles: new MemoryBillFileSource(), today: () => '2026-11-25', env, accountingExtras: { http: noSleep } });
      await org.importSnapshot(snapshot);
      await addMappings(org, 'xero');
      const run = async (fields: Row) => {
        const id = await org.create('cspb_postingruns', { cspb_name: 'October to Xero', cspb_system: System.Xero, cspb_periodstart: '2026-10-01', ...fields });
        await org.asyncIdle();
        expect(org.asyncFailures).toEqual([]);
        return org.retrieve<Row>('cspb_postingruns', id);
      };
      const dry = await run({ cspb_dryrun: true });
      expect(dry).toMatchObject({ cspb_runstatus: RunStatus.Completed, cspb_failedcount: 0 });
      expect(String(dry['cspb_summary'])).toMatch(/^INV-\d+: would-post /m);
      expect(h.fake.log).toEqual([]);

      const done = await run({});
      const october = await issuedRows(org, ['2026-10']);
      expect(done).toMatchObject({ cspb_runstatus: RunStatus.Completed, cspb_postedcount: october.length, cspb_failedcount: 0 });
      expect(october.every((r) => r['cspb_postingstatus'] === PostingStatus.Posted)).toBe(true);
      expect(
        h.fake
          .documents()
          .map((d) => d.number)
          .sort(),
      ).toEqual(october.map((r) => String(r['cspb_name'])).sort());
      // Again: nothing is left to post, nothing is sent twice.
      const again = await run({});
      expect(again).toMatchObject({ cspb_runstatus: RunStatus.Completed, cspb_postedcount: 0 });
      expect(h.fake.documents()).toHaveLength(october.length);
      // While another run posts the month to the same system, a second one refuses to start.
      const other = await org.create('cspb_postingruns', { cspb_name: 'October, still posting', cspb_system: System.Xero, cspb_periodstart: '2026-10-01' });
      await org.asyncIdle();
      await org.update('cspb_postingruns', other, { cspb_runstatus: RunStatus.Running });
      const busy = await run({});
      expect(busy).toMatchObject({ cspb_runstatus: RunStatus.Failed });
      expect(String(busy['cspb_error'])).toMatch(/^'October, still posting' is posting 2026-10 to the same system/);
    } finally {
      await h.fake.close();
    }
  });

  test('a document the system refuses is Failed with its words on the invoice, the others post; fixed, the next post takes it', async () => {
    const h = await harness('qbo');
    try {
      const org = await freshOrg();
      await addMappings(org, 'qbo');
      // Prorated adjustments mapped to an item QuickBooks does not have (only some documents have one).
      const prorated = (await org.retrieveMultiple<Row>('cspb_accountingmappings', { filter: `cspb_linecategory eq ${Category.Prorated}` })).value[0]!;
      await org.update('cspb_accountingmappings', String(prorated['cspb_accountingmappingid']), { cspb_externalvalue: '999' });
      const first = await postPeriod({ system: 'qbo', month: '2026-10', dataverse: org, accounting: h.client() });
      const failed = first.outcomes.filter((o) => o.outcome === 'failed');
      expect(failed.length).toBeGreaterThan(0);
      expect(first.outcomes.some((o) => o.outcome === 'posted')).toBe(true);
      const row = (await issuedRows(org, ['2026-10'])).find((r) => r['cspb_name'] === failed[0]!.number)!;
      expect(row).toMatchObject({ cspb_postingstatus: PostingStatus.Failed });
      expect(String(row['cspb_postingerror'])).toMatch(/QuickBooks answered 400: 2500 Invalid Reference Id : Item does not exist: 999/);
      await org.update('cspb_accountingmappings', String(prorated['cspb_accountingmappingid']), {
        cspb_externalvalue: NAMES.qbo.category(Category.Recurring),
      });
      const second = await postPeriod({ system: 'qbo', month: '2026-10', dataverse: org, accounting: h.client() });
      expect(second.outcomes.map((o) => o.number).sort()).toEqual(failed.map((o) => o.number).sort());
      expect(second.outcomes.every((o) => o.outcome === 'posted')).toBe(true);
    } finally {
      await h.fake.close();
    }
  });

  test('a document someone keyed by hand under our number is not posted over: Failed with both figures', async () => {
    const h = await harness('xero');
    const fake = h.fake as unknown as { apiUrl: string; tokenUrl: string };
    try {
      const org = await freshOrg();
      await addMappings(org, 'xero');
      const [first] = await issuedRows(org, ['2026-10']);
      // Keyed in Xero by hand: the same number, one line of 1.00.
      const token = await oauthToken({
        system: 'xero',
        tokenUrl: fake.tokenUrl,
        clientId: XERO_CLIENT_ID,
        clientSecret: XERO_CLIENT_SECRET,
        grant: { kind: 'client_credentials' },
      })(false);
      const keyed = await fetch(`${fake.apiUrl}/Invoices`, {
        method: 'PUT',
        headers: { authorization: `Bearer ${token}`, 'xero-tenant-id': XERO_TENANT, 'content-type': 'application/json' },
        body: JSON.stringify({
          Invoices: [
            {
              Type: 'ACCREC',
              Contact: { ContactID: NAMES.xero.customer(0) },
              InvoiceNumber: first!['cspb_name'],
              Status: 'AUTHORISED',
              LineItems: [{ Description: 'by hand', Quantity: 1, UnitAmount: 1, AccountCode: NAMES.xero.category(Category.Recurring), TaxType: 'NONE' }],
            },
          ],
        }),
      });
      expect(keyed.status).toBe(200);
      const result = await postPeriod({ system: 'xero', month: '2026-10', dataverse: org, accounting: h.client() });
      const outcome = result.outcomes.find((o) => o.number === first!['cspb_name'])!;
      expect(outcome.outcome).toBe('failed');
      expect(outcome.reason).toMatch(/^already in the books \(INV-\d+\) with 1\.00 \+ tax 0\.00 = 1\.00; ours is /);
      expect(h.fake.documents().filter((d) => d.number === first!['cspb_name'])).toHaveLength(1);
      expect(result.outcomes.filter((o) => o.outcome === 'posted')).toHaveLength(result.outcomes.length - 1);
    } finally {
      await h.fake.close();
    }
  });

  test('Business Central computing another tax than ours: Failed with both figures, the draft deleted, nothing posted', async () => {
    const h = await harness('bc');
    try {
      const org = await freshOrg();
      await addMappings(org, 'bc');
      // The tax group mapped for Washington is 7% in Business Central, where the invoice charged 6.5%.
      const wa = (await org.retrieveMultiple<Row>('cspb_accountingmappings', { filter: "cspb_taxkey eq 'US-WA'" })).value[0]!;
      await org.update('cspb_accountingmappings', String(wa['cspb_accountingmappingid']), { cspb_externalvalue: 'WA-OLD' });
      (h.fake as unknown as { setTaxRate(code: string, percent: string): void }).setTaxRate('WA-OLD', '7');
      const result = await postPeriod({ system: 'bc', month: '2026-10', dataverse: org, accounting: h.client() });
      const taxed = (await issuedRows(org, ['2026-10'])).filter((r) => Number(r['cspb_taxtotal']) > 0);
      expect(taxed.length).toBeGreaterThan(0);
      for (const r of taxed) {
        const outcome = result.outcomes.find((o) => o.number === r['cspb_name'])!;
        expect(outcome.outcome).toBe('failed');
        expect(outcome.reason).toMatch(
          new RegExp(
            `the system computed .* = .*; ours is .* \\+ tax ${Number(r['cspb_taxtotal']).toFixed(2)} = ${Number(r['cspb_total']).toFixed(2)} USD: check the tax codes mapped`,
          ),
        );
      }
      // No draft is left behind for the documents that failed.
      const books = (h.fake as unknown as { documents(): Array<{ number: string }> }).documents().map((d) => d.number);
      for (const r of taxed) expect(books).not.toContain(r['cspb_name']);
    } finally {
      await h.fake.close();
    }
  });

  test("npm run post against the workbench's org file: settings from the environment, exit codes, nothing printed of a secret", async () => {
    const h = await harness('qbo');
    const fake = h.fake as unknown as { apiUrl: string; tokenUrl: string; refreshToken(): string };
    const dir = mkdtempSync(join(tmpdir(), 'cspb-post-cli-'));
    try {
      const orgFile = join(dir, 'org.json');
      const org = await LocalOrg.open(orgFile, { customizationsXml: builtCustomizations() });
      await org.importSnapshot(snapshot);
      await addMappings(org, 'qbo');
      await org.close();
      const tokenFile = join(dir, 'qbo-refresh-token');
      writeFileSync(tokenFile, `${QBO_FIRST_REFRESH_TOKEN}\n`);
      const env = {
        ...process.env,
        CSPB_QBO_CLIENT_ID: QBO_CLIENT_ID,
        CSPB_QBO_CLIENT_SECRET: QBO_CLIENT_SECRET,
        CSPB_QBO_REALM_ID: QBO_REALM,
        CSPB_QBO_REFRESH_TOKEN_FILE: tokenFile,
        CSPB_QBO_API_URL: fake.apiUrl,
        CSPB_QBO_TOKEN_URL: fake.tokenUrl,
      };
      const dry = await runScript('post.ts', ['--to', 'qbo', '--period', '2026-10', '--local-org', orgFile, '--dry-run'], env);
      expect(dry.status).toBe(0);
      expect(dry.stdout).toMatch(/^\d+ document\(s\) of 2026-10 would post \(dry run: nothing sent\):/);
      expect(h.fake.log).toEqual([]);
      const posted = await runScript('post.ts', ['--to', 'qbo', '--period', '2026-10', '--local-org', orgFile], env);
      expect(posted.stderr).toBe('');
      expect(posted.status).toBe(0);
      expect(posted.stdout).toMatch(/^(\d+) document\(s\) of 2026-10: \1 in the books, 0 refused/);
      // The refresh token rotated on use: the file holds the one now valid, never printed.
      expect(readFileSync(tokenFile, 'utf8').trim()).toBe(fake.refreshToken());
      expect(`${posted.stdout}${posted.stderr}`).not.toContain(QBO_CLIENT_SECRET);
      expect(`${posted.stdout}${posted.stderr}`).not.toContain(fake.refreshToken());
      // A missing setting is named, its value never shown; exit 2.
      const unset = await runScript('post.ts', ['--to', 'qbo', '--period', '2026-10', '--local-org', orgFile], { ...env, CSPB_QBO_CLIENT_SECRET: '' });
      expect(unset.status).toBe(2);
      expect(unset.stderr).toMatch(/^error: set CSPB_QBO_CLIENT_SECRET \(docs\/ADMIN\.md/);
    } finally {
      await h.fake.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
