/**
 * The drift report on a handwritten customer with a fixed clock (2028-02-22, a leap year): one case of
 * every finding kind, the pairs that must not be findings (case of ids, usage quantity, pending, a
 * legacy exclusive end on Feb 29's next day, equal month ends), and the ledger entries that would take
 * Microsoft's side, which, appended to real ledgers, leave them where Microsoft is.
 */
import { formatIso, parseDate, type CalendarDate } from '../../../core/src/calendar';
import { SubscriptionLedger } from '../../../core/src/ledger';
import {
  crmStatusOf,
  driftReport,
  parsePartnerCenterSubscriptions,
  proposedChanges,
  SyncInputError,
  type CrmSubscription,
  type DriftFinding,
} from '../../../core/src/sync';
import { collection, item } from './fixtures';

const d = (iso: string) => parseDate(iso);
const AS_OF = d('2028-02-22');

function crm(n: string, vendorId: string | null, over: Partial<CrmSubscription> = {}): CrmSubscription {
  return {
    id: `crm-${n}`,
    vendorSubscriptionId: vendorId,
    name: `Business Premium ${n}`,
    customer: 'Fabrikam',
    quantity: 10,
    status: 'active',
    autoRenew: true,
    termEnd: d('2028-09-12'),
    ...over,
  };
}

const MS_ITEMS = [
  item({ id: 'sub-01-seats-up', quantity: 12 }),
  item({ id: 'sub-02-seats-down', quantity: 5 }),
  item({ id: 'sub-03-suspended', status: 'suspended' }),
  item({ id: 'sub-04-reactivated', quantity: 6 }),
  item({ id: 'sub-05-deleted', status: 'deleted', quantity: 3 }),
  item({ id: 'sub-06-expired', status: 'expired' }),
  item({ id: 'sub-07-crm-cancelled' }),
  item({ id: 'sub-08-renew-off', autoRenewEnabled: false }),
  // Legacy: no term, an exclusive end date: March 1 means the term's last day is Feb 29.
  item({ id: 'sub-09-legacy-renew', offerId: 'BD938F12-058F-4927-BBA3-AE36B1D2501C', termDuration: null, commitmentEndDate: '2028-03-01' }),
  item({ id: 'sub-10-term-feb29', commitmentEndDate: '2028-02-29' }),
  item({ id: 'sub-11-month-end', commitmentEndDate: '2028-03-31' }),
  item({ id: 'sub-12-month-end-unknown', commitmentEndDate: '2028-04-30' }),
  item({ id: 'sub-13-only-microsoft', quantity: 7 }),
  item({ id: 'sub-14-ms-deleted-only', status: 'deleted' }),
  item({ id: 'SUB-18-CASE' }),
  item({ id: 'sub-19-azure', offerId: 'DZH318Z0BCZJ:0001:DZH318Z0BCZK', billingType: 'usage', quantity: 1, commitmentEndDate: null, termDuration: null }),
  item({ id: 'sub-20-pending', status: 'pending' }),
  item({ id: 'sub-21-disabled', status: 'disabled' }),
];

const CRM_ROWS: CrmSubscription[] = [
  crm('01', 'sub-01-seats-up'),
  crm('02', 'sub-02-seats-down', { quantity: 8 }),
  crm('03', 'sub-03-suspended'),
  crm('04', 'sub-04-reactivated', { quantity: 4, status: 'suspended' }),
  crm('05', 'sub-05-deleted'),
  crm('06', 'sub-06-expired'),
  crm('07', 'sub-07-crm-cancelled', { quantity: 0, status: 'cancelled' }),
  crm('08', 'sub-08-renew-off'),
  crm('09', 'sub-09-legacy-renew', { autoRenew: null, termEnd: d('2028-02-29') }),
  crm('10', 'sub-10-term-feb29', { termEnd: d('2028-02-28') }),
  crm('11', 'sub-11-month-end', { termEnd: d('2028-03-31') }),
  crm('12', 'sub-12-month-end-unknown', { termEnd: null }),
  crm('15', 'sub-15-only-crm', { quantity: 2 }),
  crm('16', 'sub-16-crm-cancelled-only', { status: 'cancelled', quantity: 0 }),
  crm('17', null, { name: 'Typed by hand', quantity: 1 }),
  crm('18', 'sub-18-case'),
  crm('19', 'sub-19-azure', { quantity: 0, termEnd: null }),
  crm('20', 'sub-20-pending'),
  crm('21', 'sub-21-disabled'),
];

const microsoft = parsePartnerCenterSubscriptions(collection(MS_ITEMS)).subscriptions;

/** A finding as a row a person reads: kind, subscription, Microsoft's value, the CRM's. */
function row(f: DriftFinding): unknown[] {
  const show = (v: unknown) => (f.kind === 'termEnd' && typeof v === 'number' ? formatIso(v as CalendarDate) : v);
  return [f.kind, f.vendorSubscriptionId, show(f.microsoft), show(f.crm)];
}

describe('driftReport', () => {
  const report = driftReport([...microsoft].reverse(), [...CRM_ROWS].reverse(), AS_OF, { customer: 'Fabrikam' });

  it('finds every kind of drift, each with both values, in customer / subscription / kind order', () => {
    expect(report.findings.map(row)).toEqual([
      ['onlyInCrm', '', null, { quantity: 1, status: 'active' }],
      ['quantity', 'sub-01-seats-up', 12, 10],
      ['quantity', 'sub-02-seats-down', 5, 8],
      ['status', 'sub-03-suspended', 'suspended', 'active'],
      ['status', 'sub-04-reactivated', 'active', 'suspended'],
      ['quantity', 'sub-04-reactivated', 6, 4],
      // Deleted: the seat count of a cancelled subscription is history, so only the status differs.
      ['status', 'sub-05-deleted', 'deleted', 'active'],
      ['status', 'sub-06-expired', 'expired', 'active'],
      ['status', 'sub-07-crm-cancelled', 'active', 'cancelled'],
      ['autoRenew', 'sub-08-renew-off', false, true],
      ['autoRenew', 'sub-09-legacy-renew', true, null],
      ['termEnd', 'sub-10-term-feb29', '2028-02-29', '2028-02-28'],
      ['termEnd', 'sub-12-month-end-unknown', '2028-04-30', null],
      ['onlyInMicrosoft', 'sub-13-only-microsoft', { quantity: 7, status: 'active' }, null],
      ['onlyInCrm', 'sub-15-only-crm', null, { quantity: 2, status: 'active' }],
      ['status', 'sub-21-disabled', 'disabled', 'active'],
    ]);
  });

  it('pairs 16 subscriptions and counts the two ended on one side only as history', () => {
    expect(report.paired).toBe(16);
    expect(report.endedOnOneSide).toBe(2);
    expect(report.asOf).toBe(AS_OF);
    expect(report.findings.every((f) => f.customer === 'Fabrikam' && f.observedOn === AS_OF)).toBe(true);
  });

  it('the order does not depend on the input order', () => {
    const again = driftReport(microsoft, CRM_ROWS, AS_OF, { customer: 'Fabrikam' });
    expect(again.findings.map(row)).toEqual(report.findings.map(row));
  });

  it('a subscription only Microsoft has is listed under its tenant id when no customer name is given', () => {
    const alone = driftReport(
      microsoft.filter((s) => s.id === 'sub-13-only-microsoft'),
      [],
      AS_OF,
    );
    expect(alone.findings.map((f) => f.customer)).toEqual(['11111111-2222-3333-4444-555555555555']);
  });

  it('refuses input it cannot compare: two CRM rows with one vendor id, a fractional quantity, a repeated Microsoft id', () => {
    expect(() => driftReport([], [crm('a', 'X-1'), crm('b', 'x-1')], AS_OF)).toThrow(
      new SyncInputError('CRM subscriptions crm-a and crm-b both claim vendor subscription x-1', null),
    );
    expect(() => driftReport([], [crm('a', 'x', { quantity: 1.5 })], AS_OF)).toThrow(SyncInputError);
    expect(() => driftReport([microsoft[0]!, microsoft[0]!], [], AS_OF)).toThrow('Partner Center lists subscription sub-01-seats-up twice');
  });

  it('maps every Partner Center status to the CRM word it compares with', () => {
    expect((['active', 'pending', 'suspended', 'disabled', 'deleted', 'expired', 'none'] as const).map(crmStatusOf)).toEqual([
      'active',
      'active',
      'suspended',
      'suspended',
      'cancelled',
      'expired',
      null,
    ]);
  });
});

describe('proposedChanges', () => {
  const report = driftReport(microsoft, CRM_ROWS, AS_OF, { customer: 'Fabrikam' });
  const proposal = proposedChanges(report.findings);

  it('takes Microsoft\'s side as ledger entries with source "sync", dated the as-of day, per subscription in a valid order', () => {
    expect(
      proposal.changes.map((c) => [
        c.subscriptionId,
        c.change.kind,
        c.change.quantityBefore ?? null,
        c.change.quantityDelta ?? null,
        c.change.term ?? null,
        c.change.autoRenew ?? null,
      ]),
    ).toEqual([
      ['crm-01', 'add', 10, 2, null, null],
      ['crm-02', 'remove', 8, -3, null, null],
      ['crm-03', 'suspend', null, null, null, null],
      ['crm-04', 'reactivate', null, null, null, null],
      ['crm-04', 'add', 4, 2, null, null],
      ['crm-05', 'cancel', null, null, null, null],
      ['crm-08', 'term', null, null, 'P1Y', false],
      ['crm-21', 'suspend', null, null, null, null],
    ]);
    for (const c of proposal.changes) {
      expect(c.change.source).toBe('sync');
      expect(formatIso(c.change.effectiveDate)).toBe('2028-02-22');
      expect(c.change.referenceId).toBe(`sync:2028-02-22:${c.vendorSubscriptionId}:${c.change.kind}`);
    }
  });

  it('leaves to a person what the ledger cannot say, with the reason', () => {
    expect(proposal.needsPerson.map((n) => [n.finding.kind, n.finding.vendorSubscriptionId])).toEqual([
      ['onlyInCrm', ''],
      ['status', 'sub-06-expired'],
      ['status', 'sub-07-crm-cancelled'],
      ['autoRenew', 'sub-09-legacy-renew'],
      ['termEnd', 'sub-10-term-feb29'],
      ['termEnd', 'sub-12-month-end-unknown'],
      ['onlyInMicrosoft', 'sub-13-only-microsoft'],
      ['onlyInCrm', 'sub-15-only-crm'],
    ]);
    expect(proposal.needsPerson[1]!.reason).toContain('a cancel would credit the term');
    expect(proposal.needsPerson[2]!.reason).toContain('nothing follows a cancellation in the ledger');
  });

  it("appended to the CRM subscriptions' ledgers, the entries leave each where Microsoft is", () => {
    const byRow = new Map(CRM_ROWS.map((r) => [r.id, r]));
    const ids = [...new Set(proposal.changes.map((c) => c.subscriptionId))];
    for (const id of ids) {
      const r = byRow.get(id)!;
      const ledger = SubscriptionLedger.of(id, [
        {
          kind: 'new',
          effectiveDate: d('2027-09-13'),
          referenceId: 'n',
          quantityDelta: r.quantity,
          productId: 'CFQ7TTC0LCHC',
          term: 'P1Y',
          billingPlan: 'monthly',
        },
        ...(r.status === 'suspended' ? [{ kind: 'suspend' as const, effectiveDate: d('2027-12-01'), referenceId: 's' }] : []),
      ]);
      for (const c of proposal.changes.filter((x) => x.subscriptionId === id)) ledger.append(c.change);
      const ms = microsoft.find((m) => m.id.toLowerCase() === r.vendorSubscriptionId!.toLowerCase())!;
      const expectedStatus = crmStatusOf(ms.status);
      expect([id, ledger.current.status]).toEqual([id, expectedStatus]);
      expect([id, ledger.current.quantity]).toEqual([id, expectedStatus === 'cancelled' ? 0 : ms.quantity]);
      expect([id, ledger.current.autoRenew]).toEqual([id, ms.autoRenewEnabled]);
    }
    expect(ids).toHaveLength(7);
  });

  it('proposing twice gives the same entries (the ledger writer is idempotent by reference id)', () => {
    const again = proposedChanges(driftReport([...microsoft].reverse(), CRM_ROWS, AS_OF).findings);
    expect(again.changes.map((c) => c.change.referenceId)).toEqual(proposal.changes.map((c) => c.change.referenceId));
  });
});
