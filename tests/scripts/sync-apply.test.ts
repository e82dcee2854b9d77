/**
 * `npm run sync -- --apply` against a local org file made from the sample snapshot and the built
 * solution (as `npm run pull --local-org` is tested): Partner Center's side is saved on the
 * subscriptions the way a form saves them, the ledger plug-in appends the rows (source sync, the
 * deltas Microsoft's numbers give, dated the as-of day), and a second run finds nothing to apply.
 * Without a terminal and without --yes it refuses and writes nothing; a seat decrease the NCE window
 * forbids is refused by the org's own validation and named; on a terminal it asks, and "n" applies nothing.
 *
 * The sample's ledgers carry the vendor cost but not the customer price its rows hold. The first save
 * of such a row, whoever makes it, also records that price: the ledger step's catch-up of the row as
 * imported appends a "Price change" (source API, dated the import). The test imports on 2026-11-01 and
 * checks that row too, apart from the sync's own.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { formatIso, parseDate, SubscriptionLedger, termEndAt, type Term } from '../../core/src';
import {
  CspbOfferBillingPlan,
  CspbOfferTerm,
  CspbOfferVendor,
  CspbSubscriptionChangeAutoRenew,
  CspbSubscriptionChangeChangeType as Kind,
  CspbSubscriptionChangeOrigin,
  CspbSubscriptionChangeSource,
  CspbSubscriptionChangeTerm,
  CspbSubscriptionStatus,
} from '../../dataverse/generated';
import { LocalOrg } from '../../dataverse/src/local-org';
import { serveLocalOrg } from '../../dataverse/src/local-org/http';
import { ledgerEntryToRow } from '../../dataverse/src/mappers';
import { registerPlugins } from '../../plugins/src';
import { generateSample } from '../../scripts/sample-data';
import { main } from '../../scripts/sync';
import { runScript } from '../support/cli';
import { builtCustomizations } from '../support/dist';
import { pcItem, startFakePartnerCenter, type FakePartnerCenter } from '../support/fake-partner-center';

jest.setTimeout(120_000);

const AS_OF = '2026-11-15';
const IMPORTED = '2026-11-01';
const TERMS: Record<number, Term | 'none'> = { 100000000: 'P1M', 100000001: 'P1Y', 100000002: 'P3Y', 100000003: 'none' };

interface Row {
  cspb_subscriptionid: string;
  cspb_name: string;
  cspb_quantity: number;
  cspb_status: number;
  cspb_vendorsubscriptionid: string;
  cspb_termstartdate: string | null;
  _cspb_customerid_value: string;
  _cspb_offerid_value: string;
}
type Ledger = Array<Record<string, unknown>>;

const sample = generateSample();
const tables = (sample.snapshot as unknown as { tables: unknown }).tables as {
  account: Array<{ accountid: string; name: string; cspb_tenantid: string }>;
  cspb_offer: Array<{ cspb_offerid: string; cspb_term: number }>;
  cspb_subscription: Row[];
};
const offers = new Map(tables.cspb_offer.map((o) => [o.cspb_offerid, o]));
const termOf = (s: Row) => TERMS[offers.get(s._cspb_offerid_value)!.cspb_term]!;
const liveOf = (accountId: string) =>
  tables.cspb_subscription
    .filter((s) => s._cspb_customerid_value === accountId && s.cspb_status === CspbSubscriptionStatus.Active)
    .sort((a, b) => (a.cspb_vendorsubscriptionid < b.cspb_vendorsubscriptionid ? -1 : 1));

/** Partner Center's item for a CRM row, as the CRM has it unless `over` says otherwise (term end as Microsoft counts it). */
function item(tenant: string, s: Row, over: Record<string, unknown> = {}) {
  const term = termOf(s);
  const usage = term === 'none';
  return pcItem({
    id: s.cspb_vendorsubscriptionid.toUpperCase(),
    customer: tenant,
    name: s.cspb_name,
    quantity: usage ? 1 : s.cspb_quantity,
    billingType: usage ? 'usage' : 'license',
    termDuration: usage ? null : term,
    commitmentEndDate: usage || !s.cspb_termstartdate ? null : formatIso(termEndAt(parseDate(s.cspb_termstartdate), term, parseDate(AS_OF))),
    ...over,
  });
}

// Contoso (the first customer): +3 seats on one annual subscription, one suspended, one with auto-renew off,
// and 2 seats fewer on its monthly one, bought 2026-10-12: it renewed on 11-12, so 11-15 is inside the 7-day window.
const [contoso, fabrikam, northwind] = tables.account as [(typeof tables.account)[number], (typeof tables.account)[number], (typeof tables.account)[number]];
const contosoLive = liveOf(contoso.accountid);
const annual = contosoLive.filter((s) => termOf(s) === 'P1Y');
const monthly = contosoLive.filter((s) => termOf(s) === 'P1M');
if (annual.length < 3 || monthly.length < 1 || monthly[0]!.cspb_termstartdate !== '2026-10-12')
  throw new Error('the sample changed: Contoso needs three annual subscriptions and a monthly one bought 2026-10-12');
const [up, suspended, renewOff] = annual as [Row, Row, Row];
const down = monthly[0]!;

// Fabrikam: 2 seats fewer on an annual subscription bought months ago (outside every window), 1 more on another.
const fabrikamAnnual = liveOf(fabrikam.accountid).filter((s) => termOf(s) === 'P1Y' && s.cspb_termstartdate! < '2026-10-01');
if (fabrikamAnnual.length < 2) throw new Error('the sample changed: Fabrikam needs two annual subscriptions bought before October');
const [late, fabrikamUp] = fabrikamAnnual as [Row, Row];
const northwindFirst = liveOf(northwind.accountid).find((s) => termOf(s) !== 'none')!;

let dir: string;
let orgFile: string;
let pc: FakePartnerCenter;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'cspb-sync-apply-'));
  orgFile = join(dir, 'org.json');
  // The rows' modifiedon: the day the ledger step dates a catch-up of the row as imported.
  const org = await LocalOrg.open(orgFile, { customizationsXml: builtCustomizations(), now: () => new Date(`${IMPORTED}T12:00:00Z`) });
  await org.importSnapshot(sample.snapshot);
  await org.close();
  const planted: Record<string, Record<string, unknown>> = {
    [up.cspb_subscriptionid]: { quantity: up.cspb_quantity + 3 },
    [suspended.cspb_subscriptionid]: { status: 'suspended' },
    [renewOff.cspb_subscriptionid]: { autoRenewEnabled: false },
    [down.cspb_subscriptionid]: { quantity: down.cspb_quantity - 2 },
    [late.cspb_subscriptionid]: { quantity: late.cspb_quantity - 2 },
    [fabrikamUp.cspb_subscriptionid]: { quantity: fabrikamUp.cspb_quantity + 1 },
  };
  // Northwind: one seat more on its first licence subscription (the prompt's test).
  planted[northwindFirst.cspb_subscriptionid] = { quantity: northwindFirst.cspb_quantity + 1 };
  const customers: Record<string, object[]> = {};
  for (const account of [contoso, fabrikam, northwind])
    customers[account.cspb_tenantid] = liveOf(account.accountid).map((s) => item(account.cspb_tenantid, s, planted[s.cspb_subscriptionid]));
  pc = await startFakePartnerCenter({ customers });
});
afterAll(async () => {
  await pc?.close();
  rmSync(dir, { recursive: true, force: true });
});

const env = (): NodeJS.ProcessEnv => ({
  ...Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('CSPB_PC_') && !k.startsWith('CSPB_GRAPH_'))),
  CSPB_PC_ACCESS_TOKEN: 'pc-token',
});
const args = (tenant: string, ...more: string[]) => ['--customer', tenant, '--local-org', orgFile, '--as-of', AS_OF, '--pc-base-url', pc.baseUrl, ...more];

/** Every ledger row of the org by subscription, and the subscription rows. */
async function readOrg(): Promise<{ ledger: Map<string, Ledger>; rows: Map<string, Record<string, unknown>>; count: number }> {
  const org = await LocalOrg.open(orgFile, { customizationsXml: builtCustomizations() });
  try {
    const changes = (await org.retrieveMultiple<Record<string, unknown>>('cspb_subscriptionchanges', { orderBy: ['cspb_sequence'] })).value;
    const ledger = new Map<string, Ledger>();
    for (const c of changes) ledger.set(String(c['_cspb_subscriptionid_value']), [...(ledger.get(String(c['_cspb_subscriptionid_value'])) ?? []), c]);
    const subs = (await org.retrieveMultiple<Record<string, unknown>>('cspb_subscriptions', {})).value;
    return { ledger, rows: new Map(subs.map((s) => [String(s['cspb_subscriptionid']), s])), count: changes.length };
  } finally {
    await org.close();
  }
}

/** The ledger rows appended after `before` for a subscription, as [type, before, delta, after, autorenew, term, source, date]. */
const appended = (after: Map<string, Ledger>, before: Map<string, Ledger>, id: string, source: number = CspbSubscriptionChangeSource.Sync) =>
  (after.get(id) ?? [])
    .slice((before.get(id) ?? []).length)
    .filter((r) => r['cspb_source'] === source)
    .map((r) => [
      r['cspb_changetype'],
      r['cspb_quantitybefore'],
      r['cspb_quantitydelta'],
      r['cspb_quantityafter'],
      r['cspb_autorenew'],
      r['cspb_term'],
      r['cspb_source'],
      r['cspb_effectivedate'],
    ]);

/** The catch-up row of a row saved for the first time: the customer price the sample's ledger lacked, as an API change dated the import. */
const priceLearned = (s: Row) => [[Kind.Price, s.cspb_quantity, 0, s.cspb_quantity, null, null, CspbSubscriptionChangeSource.Api, IMPORTED]];

describe('npm run sync --apply on a local org', () => {
  it('without a terminal and without --yes: the changes are listed, nothing is written, exit 2 saying to add --yes', async () => {
    const before = await readOrg();
    const r = await runScript('sync.ts', args(contoso.cspb_tenantid, '--apply'), env());
    expect(r.status).toBe(2);
    expect(r.stdout).toContain('Proposed ledger changes (source "sync", effective 2026-11-15; applied below once confirmed):');
    expect(r.stderr).toMatch(
      /^error: --apply asks "Apply 4 changes to 4 subscriptions in .*org\.json\? \[y\/N\]" and stdin is not a terminal to answer it: add --yes/m,
    );
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect((await readOrg()).count).toBe(before.count);
  });

  it("--apply --yes saves Microsoft's side; the ledger plug-in appends each row with source sync and the right delta", async () => {
    const before = await readOrg();
    const r = await runScript('sync.ts', args(contoso.cspb_tenantid, '--apply', '--yes'), env());
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('Applied 4 of 4 changes (saved as Partner Center sync, effective 2026-11-15):');
    expect(r.stdout).toContain(`  ${up.cspb_vendorsubscriptionid}  saved; ledger: #`);

    const after = await readOrg();
    const sync = CspbSubscriptionChangeSource.Sync;
    const q = (s: Row) => s.cspb_quantity;
    expect(appended(after.ledger, before.ledger, up.cspb_subscriptionid)).toEqual([[Kind.Add, q(up), 3, q(up) + 3, null, null, sync, AS_OF]]);
    expect(appended(after.ledger, before.ledger, down.cspb_subscriptionid)).toEqual([[Kind.Remove, q(down), -2, q(down) - 2, null, null, sync, AS_OF]]);
    expect(appended(after.ledger, before.ledger, suspended.cspb_subscriptionid)).toEqual([
      [Kind.Suspend, q(suspended), 0, q(suspended), null, null, sync, AS_OF],
    ]);
    expect(appended(after.ledger, before.ledger, renewOff.cspb_subscriptionid)).toEqual([
      [Kind.Term, q(renewOff), 0, q(renewOff), CspbSubscriptionChangeAutoRenew.Off, CspbSubscriptionChangeTerm.P1Y, sync, AS_OF],
    ]);
    for (const s of [up, down, suspended, renewOff])
      expect([s.cspb_vendorsubscriptionid, appended(after.ledger, before.ledger, s.cspb_subscriptionid, CspbSubscriptionChangeSource.Api)]).toEqual([
        s.cspb_vendorsubscriptionid,
        priceLearned(s),
      ]);
    expect(after.count).toBe(before.count + 4 + 4);

    // The subscriptions hold Microsoft's values, saved as a form saves them, marked as the sync's.
    const row = (s: Row) => after.rows.get(s.cspb_subscriptionid)!;
    expect([row(up)['cspb_quantity'], row(down)['cspb_quantity'], row(suspended)['cspb_status'], row(renewOff)['cspb_autorenew']]).toEqual([
      q(up) + 3,
      q(down) - 2,
      CspbSubscriptionStatus.Suspended,
      false,
    ]);
    expect([row(up)['cspb_changeeffectivedate'], row(up)['cspb_changeorigin'], row(up)['cspb_changereason']]).toEqual([
      AS_OF,
      CspbSubscriptionChangeOrigin.Sync,
      `Partner Center sync: Partner Center has ${q(up) + 3} seats, the CRM ${q(up)}`,
    ]);
    // Each ledger row carries the save's reason.
    expect(after.ledger.get(up.cspb_subscriptionid)!.at(-1)!['cspb_reason']).toBe(
      `Partner Center sync: Partner Center has ${q(up) + 3} seats, the CRM ${q(up)}`,
    );
  });

  it('a second run finds no drift the ledger can take, applies 0 and writes nothing', async () => {
    const before = await readOrg();
    const r = await runScript('sync.ts', args(contoso.cspb_tenantid, '--apply', '--yes'), env());
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('Drift (0 findings):\n  none: the CRM agrees with Partner Center');
    expect(r.stdout).toContain('Nothing to apply: the CRM holds every change the ledger can take from Partner Center.');
    const after = await readOrg();
    expect(after.count).toBe(before.count);
    expect([...after.rows.values()].map((s) => s['versionnumber'])).toEqual([...before.rows.values()].map((s) => s['versionnumber']));
  });

  it("a seat decrease outside NCE's 7-day window is refused by the org's validation, named, exit 2; the other change stands", async () => {
    const before = await readOrg();
    const r = await runScript('sync.ts', args(fabrikam.cspb_tenantid, '--apply', '--yes'), env());
    expect(r.status).toBe(2);
    expect(r.stdout).toContain('Applied 1 of 2 changes');
    expect(r.stdout).toMatch(
      new RegExp(
        `  ${late.cspb_vendorsubscriptionid}  remove -2 \\(${late.cspb_quantity} -> ${late.cspb_quantity - 2}\\): refused by the org: .*Seat decrease of 2 refused`,
      ),
    );
    expect(r.stderr).toMatch(/^error: 1 change\(s\) not applied: each is listed above with the org's reason/m);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    const after = await readOrg();
    expect(appended(after.ledger, before.ledger, late.cspb_subscriptionid)).toEqual([]);
    expect(after.rows.get(late.cspb_subscriptionid)!['cspb_quantity']).toBe(late.cspb_quantity);
    expect(appended(after.ledger, before.ledger, fabrikamUp.cspb_subscriptionid)).toEqual([
      [Kind.Add, fabrikamUp.cspb_quantity, 1, fabrikamUp.cspb_quantity + 1, null, null, CspbSubscriptionChangeSource.Sync, AS_OF],
    ]);
    expect(after.count).toBe(before.count + 2); // the add and its catch-up
  });

  it('on a terminal it asks: "n" applies nothing, "y" applies', async () => {
    const answer = async (text: string) => {
      const stdin = Object.assign(new PassThrough(), { isTTY: true });
      const printed: string[] = [];
      const run = main(args(northwind.cspb_tenantid, '--apply'), env(), { stdin, print: (t) => void printed.push(t), write: (t) => void printed.push(t) });
      stdin.end(`${text}\n`);
      await run;
      return printed.join('\n');
    };
    const before = await readOrg();
    const no = await answer('n');
    expect(no).toMatch(/Apply 1 change to 1 subscription in .*org\.json\? \[y\/N\] \nNothing applied\./);
    expect((await readOrg()).count).toBe(before.count);
    const yes = await answer('y');
    expect(yes).toContain('Applied 1 of 1 change (saved as Partner Center sync, effective 2026-11-15):');
    const after = await readOrg();
    expect(appended(after.ledger, before.ledger, northwindFirst.cspb_subscriptionid)).toEqual([
      [Kind.Add, northwindFirst.cspb_quantity, 1, northwindFirst.cspb_quantity + 1, null, null, CspbSubscriptionChangeSource.Sync, AS_OF],
    ]);
  });
});

describe('the ledger step behind a save (plugins/src/handlers/subscription.ts)', () => {
  /** An org with the suite's plug-ins in its pipeline, one customer, one annual offer, one subscription bought 2026-10-01. */
  async function orgWithSubscription(extra: Record<string, unknown> = {}, plugins = true) {
    const org = new LocalOrg({ now: () => new Date('2026-10-05T12:00:00Z') });
    if (plugins) registerPlugins(org, { today: () => '2026-10-05' });
    const accountId = await org.create('accounts', { name: 'Contoso', cspb_tenantid: 'c1' });
    const offerId = await org.create('cspb_offers', {
      cspb_name: 'Microsoft 365 Business Standard',
      cspb_vendor: CspbOfferVendor.Microsoft,
      cspb_productid: 'CFQ7TTC0LDPB',
      cspb_skuid: '0001',
      cspb_term: CspbOfferTerm.P1Y,
      cspb_billingplan: CspbOfferBillingPlan.Monthly,
      cspb_unitcost: 12.5,
      cspb_currencycode: 'USD',
    });
    const id = await org.create('cspb_subscriptions', {
      cspb_name: 'Contoso M365 BS',
      cspb_quantity: 10,
      cspb_status: CspbSubscriptionStatus.Active,
      cspb_vendorsubscriptionid: 'sub-1',
      cspb_vendorunitcost: 12.5,
      cspb_customerunitprice: 15,
      cspb_currencycode: 'USD',
      cspb_changeeffectivedate: '2026-10-01',
      'cspb_CustomerId@odata.bind': `/accounts(${accountId})`,
      'cspb_OfferId@odata.bind': `/cspb_offers(${offerId})`,
      ...extra,
    });
    const ledger = async () => {
      await org.asyncIdle();
      expect(org.asyncFailures).toEqual([]);
      return (
        await org.retrieveMultiple<Record<string, unknown>>('cspb_subscriptionchanges', {
          filter: `_cspb_subscriptionid_value eq ${id}`,
          orderBy: ['cspb_sequence'],
        })
      ).value.map((r) => [r['cspb_changetype'], r['cspb_quantitydelta'], r['cspb_autorenew'], r['cspb_term'], r['cspb_source'], r['cspb_effectivedate']]);
    };
    return { org, id, ledger };
  }
  const { Form, Api, Sync } = CspbSubscriptionChangeSource;

  it('a save turning auto-renew off appends a "term" entry carrying it (the term stays), and on again another', async () => {
    const { org, id, ledger } = await orgWithSubscription();
    await org.update('cspb_subscriptions', id, { cspb_autorenew: false, cspb_changeeffectivedate: '2026-10-03', cspb_changereason: 'Customer leaves' });
    await org.update('cspb_subscriptions', id, { cspb_autorenew: true, cspb_changeeffectivedate: '2026-10-04' });
    const { On, Off } = CspbSubscriptionChangeAutoRenew;
    const P1Y = CspbSubscriptionChangeTerm.P1Y;
    expect((await ledger()).slice(1)).toEqual([
      [Kind.Term, 0, Off, P1Y, Form, '2026-10-03'],
      [Kind.Term, 0, On, P1Y, Form, '2026-10-04'],
    ]);
  });

  it('the source: what cspb_changeorigin names; else Form with an effective date, API without', async () => {
    const { org, id, ledger } = await orgWithSubscription();
    await org.update('cspb_subscriptions', id, {
      cspb_quantity: 12,
      cspb_changeeffectivedate: '2026-10-02',
      cspb_changeorigin: CspbSubscriptionChangeOrigin.Sync,
    });
    await org.update('cspb_subscriptions', id, { cspb_quantity: 13, cspb_changeeffectivedate: '2026-10-03', cspb_changeorigin: null });
    await org.update('cspb_subscriptions', id, { cspb_quantity: 14 });
    expect((await ledger()).map((r) => [r[0], r[1], r[4]])).toEqual([
      [Kind.New, 10, Form],
      [Kind.Add, 2, Sync],
      [Kind.Add, 1, Form],
      [Kind.Add, 1, Api],
    ]);
  });

  it('a ledger imported without auto-renew does not learn it from a save of other columns', async () => {
    // As a snapshot brings them: the row says auto-renew off, its ledger ("new", no auto-renew) was written apart.
    const { org, id, ledger } = await orgWithSubscription({ cspb_autorenew: false }, false);
    const imported = new SubscriptionLedger(id);
    imported.append({
      kind: 'new',
      effectiveDate: parseDate('2026-10-01'),
      referenceId: 'import',
      quantityAfter: 10,
      productId: 'CFQ7TTC0LDPB',
      term: 'P1Y',
      billingPlan: 'monthly',
      unitPrice: '12.5',
      customerUnitPrice: '15',
    });
    await org.create('cspb_subscriptionchanges', { ...ledgerEntryToRow(imported.entries[0]!, id, 'USD') });
    registerPlugins(org, { today: () => '2026-10-05' });
    await org.update('cspb_subscriptions', id, { cspb_quantity: 11, cspb_changeeffectivedate: '2026-10-03' });
    expect((await ledger()).map((r) => [r[0], r[1]])).toEqual([
      [Kind.New, 10],
      [Kind.Add, 1],
    ]);
  });
});

describe('npm run sync --apply on a Dataverse environment (--org, over the Web API)', () => {
  it('saves through the Web API and waits for the asynchronous ledger step to append the sync rows', async () => {
    // An environment of its own (the sample as imported), its Web API served on loopback, the
    // suite's steps in its pipeline: the ledger rows appear after each save commits, as in Dataverse.
    const remoteFile = join(dir, 'remote.json');
    const remote = await LocalOrg.open(remoteFile, { customizationsXml: builtCustomizations(), now: () => new Date(`${IMPORTED}T12:00:00Z`) });
    await remote.importSnapshot(sample.snapshot);
    registerPlugins(remote);
    const api = await serveLocalOrg(remote);
    const printed: string[] = [];
    const io = { stdin: new PassThrough(), print: (t: string) => void printed.push(t), write: (t: string) => void printed.push(t) };
    try {
      const ledgerBefore = (await remote.retrieveMultiple<Record<string, unknown>>('cspb_subscriptionchanges', {})).value;
      const before = ledgerBefore.length;
      const upBefore = new Set(
        ledgerBefore.filter((c) => c['_cspb_subscriptionid_value'] === up.cspb_subscriptionid).map((c) => c['cspb_subscriptionchangeid']),
      );
      await main(
        ['--customer', contoso.cspb_tenantid, '--org', api.url, '--as-of', AS_OF, '--pc-base-url', pc.baseUrl, '--apply', '--yes'],
        { ...env(), CSPB_DATAVERSE_TOKEN: 'token-from-az-cli' },
        io,
      );
      const text = printed.join('\n');
      expect(text).toContain('Applied 4 of 4 changes (saved as Partner Center sync, effective 2026-11-15):');
      expect(text).toContain(`  ${up.cspb_vendorsubscriptionid}  saved; ledger: #`);
      await remote.asyncIdle();
      const changes = (await remote.retrieveMultiple<Record<string, unknown>>('cspb_subscriptionchanges', { orderBy: ['cspb_sequence'] })).value;
      // The sync's four rows and each row's catch-up of the price the sample's ledger lacked.
      expect(changes.length).toBe(before + 4 + 4);
      const ofUp = changes.filter(
        (c) =>
          c['_cspb_subscriptionid_value'] === up.cspb_subscriptionid &&
          !upBefore.has(c['cspb_subscriptionchangeid']) &&
          c['cspb_source'] === CspbSubscriptionChangeSource.Sync,
      );
      expect(ofUp.map((c) => [c['cspb_changetype'], c['cspb_quantitydelta'], c['cspb_effectivedate']])).toEqual([[Kind.Add, 3, AS_OF]]);
    } finally {
      await api.close();
      await remote.close();
    }
  });

  it('--org needs a way to sign in, and only https (or this machine)', async () => {
    const io = { stdin: new PassThrough(), print: () => undefined, write: () => undefined };
    const base = ['--customer', contoso.cspb_tenantid, '--as-of', AS_OF, '--pc-base-url', pc.baseUrl];
    await expect(main([...base, '--org', 'https://contoso.crm.dynamics.com'], env(), io)).rejects.toThrow(/--org needs --client-id and --tenant/);
    await expect(main([...base, '--org', 'http://contoso.crm.dynamics.com'], { ...env(), CSPB_DATAVERSE_TOKEN: 't' }, io)).rejects.toThrow(
      /--org must be an https URL/,
    );
    await expect(main([...base, '--org', 'https://x.crm.dynamics.com', '--local-org', orgFile], env(), io)).rejects.toThrow(/not both/);
  });
});
