/**
 * `npm run sync` end to end: the sample partner's snapshot as the CRM, the local Partner Center
 * fake serving that customer's subscriptions with drift planted (seats added, one suspended, auto-renew
 * turned off, one missing, one unknown to the CRM); the printed report names exactly those, the ledger
 * changes that would take Microsoft's side and the renewals, each value computed here by hand from the
 * snapshot. Then the ways it refuses: throttled (waited out), a refusal, no credentials, a wrong tenant.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { writeSample } from '../../scripts/generate-sample';
import { pcItem, startFakePartnerCenter, type FakePartnerCenter } from '../support/fake-partner-center';

const root = resolve(__dirname, '../..');
const AS_OF = '2026-11-15';
const DAY = 86_400_000;

interface Row {
  cspb_subscriptionid: string;
  cspb_name: string;
  cspb_quantity: number;
  cspb_vendorsubscriptionid: string;
  cspb_termstartdate: string | null;
  cspb_autorenew: boolean;
  cspb_customerunitprice: number;
  cspb_vendorunitcost: number;
  _cspb_customerid_value: string;
  _cspb_offerid_value: string;
}

function run(args: readonly string[], env: Record<string, string>): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((done) => {
    const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('CSPB_PC_')));
    const child = spawn(process.execPath, [join(root, 'node_modules/tsx/dist/cli.mjs'), join(root, 'scripts/sync.ts'), ...args], {
      env: { ...clean, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString('utf8')));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
    child.on('close', (status) => done({ status, stdout, stderr }));
  });
}

/** The last day of the term in force on AS_OF: the day before the start's day-of-month, k terms on (days <= 28: no clamping). */
function termEnd(start: string, months: number): string {
  const [y, m, d] = start.split('-').map(Number) as [number, number, number];
  if (d > 28) throw new Error(`the sample changed: a start on day ${d} needs month-end clamping this test does not compute`);
  for (let k = 1; ; k++) {
    const end = Date.UTC(y, m - 1 + k * months, d) - DAY;
    if (end >= Date.parse(AS_OF)) return new Date(end).toISOString().slice(0, 10);
  }
}
const daysFrom = (date: string) => Math.round((Date.parse(date) - Date.parse(AS_OF)) / DAY);
const nextDay = (date: string) => new Date(Date.parse(date) + DAY).toISOString().slice(0, 10);

let dir: string;
let snapshot: string;
let fake: FakePartnerCenter;
let tenant: string;
let customerName: string;
let licences: Array<Row & { months: number; end: string }>;
let crmRows: number;
let served: number;
const EXTRA = 'ffffffff-0000-4000-8000-00000000e4e4';
const EXTRA_END = '2026-11-19'; // renews 11-20: 5 days

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'cspb-sync-'));
  snapshot = writeSample(dir).snapshot;
  const tables = JSON.parse(readFileSync(snapshot, 'utf8')).tables as {
    account: Array<{ accountid: string; name: string; cspb_tenantid: string }>;
    cspb_offer: Array<{ cspb_offerid: string; cspb_term: number }>;
    cspb_subscription: Array<Row & { cspb_status: number }>;
  };
  const account = tables.account[0]!;
  tenant = account.cspb_tenantid;
  customerName = account.name;
  const months = new Map(
    tables.cspb_offer.map((o) => [o.cspb_offerid, ({ 100000000: 1, 100000001: 12, 100000002: 36 } as Record<number, number>)[o.cspb_term] ?? 0]),
  );
  const all = tables.cspb_subscription.filter((s) => s._cspb_customerid_value === account.accountid);
  crmRows = all.length;
  // Only live rows are served: a cancelled one Microsoft no longer lists is history, not drift.
  const rows = all.filter((s) => s.cspb_status === 100000000);
  licences = rows
    .filter((s) => s.cspb_termstartdate !== null && months.get(s._cspb_offerid_value)! > 0)
    .map((s) => ({ ...s, months: months.get(s._cspb_offerid_value)!, end: termEnd(s.cspb_termstartdate!, months.get(s._cspb_offerid_value)!) }))
    .sort((a, b) => (a.cspb_vendorsubscriptionid < b.cspb_vendorsubscriptionid ? -1 : 1));
  const usage = rows.filter((s) => !licences.some((l) => l.cspb_subscriptionid === s.cspb_subscriptionid));
  expect(licences.length).toBeGreaterThanOrEqual(4);

  const [up, suspended, renewOff, , ...same] = licences;
  const item = (l: Row & { months: number; end: string }, over: Record<string, unknown> = {}) =>
    pcItem({
      id: l.cspb_vendorsubscriptionid.toUpperCase(), // Partner Center writes GUIDs in capitals; the CRM in lower case
      customer: tenant,
      name: l.cspb_name,
      quantity: l.cspb_quantity,
      commitmentEndDate: l.end,
      termDuration: ({ 1: 'P1M', 12: 'P1Y', 36: 'P3Y' } as Record<number, string>)[l.months]!,
      ...over,
    });
  // licences[3] is left out: only in the CRM.
  served = licences.length + usage.length; // one left out, one extra
  fake = await startFakePartnerCenter({
    customers: {
      [tenant]: [
        item(up!, { quantity: up!.cspb_quantity + 3 }),
        item(suspended!, { status: 'suspended' }),
        item(renewOff!, { autoRenewEnabled: false }),
        ...same.map((l) => item(l)),
        ...usage.map((u) =>
          pcItem({
            id: u.cspb_vendorsubscriptionid,
            customer: tenant,
            name: 'Azure plan',
            offerId: 'DZH318Z0BCZJ:0001:DZH318Z0BCZK',
            quantity: 1,
            billingType: 'usage',
            commitmentEndDate: null,
            termDuration: null,
          }),
        ),
        pcItem({ id: EXTRA, customer: tenant, name: 'Teams Essentials', quantity: 4, commitmentEndDate: EXTRA_END, termDuration: 'P1M' }),
      ],
    },
    pageSize: 3,
  });
});
afterAll(async () => {
  await fake?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** A printed table row: its cells, whatever the padding. */
const cells = (line: string) => line.trim().split(/\s{2,}/);

describe('npm run sync against the fake Partner Center', () => {
  it("prints the drift planted, the ledger changes that take Microsoft's side, and the renewals with their prices", async () => {
    const r = await run(['--customer', tenant, '--snapshot', snapshot, '--as-of', AS_OF, '--pc-base-url', fake.baseUrl], { CSPB_PC_ACCESS_TOKEN: 'token-1' });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const lines = r.stdout.split('\n');
    const [up, suspended, renewOff, missing, ...same] = licences;
    expect(lines[0]).toContain(
      `Partner Center subscriptions of customer ${tenant} (${customerName}), as of ${AS_OF}: ${served} at Microsoft, ${crmRows} in the CRM, ${served - 1} paired`,
    );

    const drift = lines.slice(lines.indexOf('Drift (5 findings):') + 2, lines.indexOf('Drift (5 findings):') + 7).map(cells);
    const byId = (a: string[], b: string[]) => (a[1]!.toLowerCase() < b[1]!.toLowerCase() ? -1 : 1);
    expect(drift).toEqual(
      [
        ['quantity', up!.cspb_vendorsubscriptionid, up!.cspb_name, String(up!.cspb_quantity + 3), String(up!.cspb_quantity)],
        ['status', suspended!.cspb_vendorsubscriptionid, suspended!.cspb_name, 'suspended', 'active'],
        ['autoRenew', renewOff!.cspb_vendorsubscriptionid, renewOff!.cspb_name, 'off', 'on'],
        ['onlyInCrm', missing!.cspb_vendorsubscriptionid, missing!.cspb_name, '(absent)', `${missing!.cspb_quantity} units, active`],
        ['onlyInMicrosoft', EXTRA, 'Teams Essentials', '4 units, active', '(absent)'],
      ].sort(byId),
    );

    const term = ({ 1: 'P1M', 12: 'P1Y', 36: 'P3Y' } as Record<number, string>)[renewOff!.months];
    const q = up!.cspb_quantity;
    expect(r.stdout).toContain(`  ${up!.cspb_vendorsubscriptionid}  add +3 (${q} -> ${q + 3})  ref sync:${AS_OF}:${up!.cspb_vendorsubscriptionid}:add`);
    expect(r.stdout).toContain(`  ${suspended!.cspb_vendorsubscriptionid}  suspend  ref sync:${AS_OF}:${suspended!.cspb_vendorsubscriptionid}:suspend`);
    expect(r.stdout).toContain(
      `  ${renewOff!.cspb_vendorsubscriptionid}  term auto-renew off (term ${term})  ref sync:${AS_OF}:${renewOff!.cspb_vendorsubscriptionid}:term`,
    );
    expect(r.stdout).toMatch(new RegExp(`onlyInCrm  ${missing!.cspb_vendorsubscriptionid}: Partner Center does not list`));
    expect(r.stdout).toMatch(new RegExp(`onlyInMicrosoft  ${EXTRA}: Partner Center has a subscription the CRM lacks`));

    // Renewals: every active subscription whose term ends within 60 days, by hand; the suspended one does not renew.
    const due = [...same, up!, renewOff!, missing!]
      .map((l) => ({ id: l.cspb_vendorsubscriptionid, renews: nextDay(l.end), l }))
      .filter((x) => daysFrom(x.renews) >= 1 && daysFrom(x.renews) <= 60);
    const usd = (n: number) => `USD ${n.toFixed(2)}`;
    const expected: Record<string, string[]> = { 7: [], 30: [], 60: [] };
    for (const x of due) {
      const days = daysFrom(x.renews);
      const seats = x.l === up ? x.l.cspb_quantity + 3 : x.l.cspb_quantity;
      const renew = x.l === renewOff ? 'auto-renew OFF' : 'auto-renew on';
      expected[days <= 7 ? 7 : days <= 30 ? 30 : 60]!.push(
        `${x.renews} (${days} days)  ${x.l === missing ? x.id : x.id.toUpperCase()}  ${x.l.cspb_name}  ${seats} units  ${renew}  at ${usd(x.l.cspb_customerunitprice)}, cost ${usd(x.l.cspb_vendorunitcost)}`,
      );
    }
    expected[7]!.push(`${nextDay(EXTRA_END)} (5 days)  ${EXTRA}  Teams Essentials  4 units  auto-renew on  at no CRM price`);
    const renewalLines = lines.slice(lines.findIndex((l) => l.startsWith('Renewals from ')));
    for (const bucket of [7, 30, 60]) {
      const at = renewalLines.findIndex((l) => l.startsWith(`  within ${bucket} days:`));
      const listed = [];
      for (let i = at + 1; i < renewalLines.length && renewalLines[i]!.startsWith('    '); i++) listed.push(renewalLines[i]!.trim());
      expect([bucket, listed.sort()]).toEqual([bucket, expected[bucket]!.sort()]);
    }
    expect(due.length).toBeGreaterThan(0);

    // Pages of three: the continuation followed to the last.
    const pages = fake.requests.map((q) => [q.status, q.path.endsWith('?seekOperation=Next')]);
    expect(pages).toEqual(Array.from({ length: Math.ceil(served / 3) }, (_, i) => [200, i > 0]));
  }, 60_000);

  it('waits out a 429 for its Retry-After and still prints the report', async () => {
    const before = fake.requests.length;
    fake.throttle(1, '1');
    const started = Date.now();
    const r = await run(['--customer', tenant, '--as-of', AS_OF, '--pc-base-url', fake.baseUrl], { CSPB_PC_ACCESS_TOKEN: 'token-1' });
    expect(r.status).toBe(0);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
    expect(fake.requests.slice(before).map((q) => q.status)[0]).toBe(429);
    expect(r.stdout).toContain('(no --snapshot: no comparison with the CRM)');
    expect(r.stdout).toContain(`${EXTRA}  Teams Essentials  4 units  auto-renew on  at no CRM price`);
  }, 60_000);

  it.each([
    [
      'a customer Partner Center refuses',
      ['--customer', '99999999-9999-4999-8999-999999999999'],
      { CSPB_PC_ACCESS_TOKEN: 't' },
      /^error: GET .* answered 403: 20002 /m,
    ],
    ['no credentials', ['--customer', '99999999-9999-4999-8999-999999999999'], {}, /^error: set CSPB_PC_TENANT_ID, CSPB_PC_CLIENT_ID, CSPB_PC_CLIENT_SECRET/m],
    [
      'a tenant the snapshot lacks',
      ['--customer', '99999999-9999-4999-8999-999999999999', '--snapshot', 'SNAPSHOT'],
      { CSPB_PC_ACCESS_TOKEN: 't' },
      /^error: no account in the snapshot has tenant id 99999999-/m,
    ],
    [
      'a missing snapshot',
      ['--customer', '99999999-9999-4999-8999-999999999999', '--snapshot', 'nope.json'],
      { CSPB_PC_ACCESS_TOKEN: 't' },
      /^error: nope\.json: no such file/m,
    ],
    [
      'an impossible --as-of',
      ['--customer', '99999999-9999-4999-8999-999999999999', '--as-of', '2027-02-29'],
      {},
      /^error: --as-of 2027-02-29: expected a date YYYY-MM-DD/m,
    ],
    ['no --customer', [], {}, /^error: --customer is required/m],
  ])(
    '%s: exit 2 with the reason, no stack trace',
    async (_what, args, env, message) => {
      const r = await run([...args.map((a) => (a === 'SNAPSHOT' ? snapshot : a)), '--pc-base-url', fake.baseUrl], env);
      expect(r.status).toBe(2);
      expect(r.stderr).toMatch(message);
      expect(r.stderr).not.toMatch(/\n\s+at /);
    },
    60_000,
  );

  it('--help prints the usage and exits 0', async () => {
    const r = await run(['--help'], {});
    expect([r.status, r.stdout.split('\n')[0]]).toEqual([0, expect.stringContaining('usage: npm run sync -- --customer <tenant id>')]);
    expect(r.stdout).toContain('CSPB_PC_CLIENT_SECRET');
  }, 60_000);
});
