/**
 * Upcoming renewals with a fixed clock (2028-02-22, leap February): the 7/30/60-day buckets counted by
 * hand across Feb 29, what is left out (ended, suspended, unknown end, past 60 days), the price and
 * cost they renew at, both sides joined, and the current term's end of a CRM row that only knows its
 * start (month ends, a term ending Feb 29).
 */
import { formatIso, parseDate } from '../../../core/src/calendar';
import { Decimal } from '../../../core/src/money';
import { parsePartnerCenterSubscriptions, renewalInputs, renewalsDue, termEndAt, type CrmSubscription, type RenewalInput } from '../../../core/src/sync';
import { collection, item } from './fixtures';

const d = (iso: string) => parseDate(iso);
const AS_OF = d('2028-02-22');

function sub(id: string, termEnd: string | null, over: Partial<RenewalInput> = {}): RenewalInput {
  return {
    vendorSubscriptionId: id,
    name: `Name ${id}`,
    customer: 'Fabrikam',
    status: 'active',
    quantity: 10,
    termEnd: termEnd === null ? null : d(termEnd),
    autoRenew: true,
    ...over,
  };
}

describe('renewalsDue', () => {
  const report = renewalsDue(
    [
      sub('r-60-edge', '2028-04-21'), // renews 04-22: 7 (to Feb 29) + 31 (March) + 22 = 60 days
      sub('r-61', '2028-04-22'), // 61 days: not yet
      sub('r-31', '2028-03-23'), // renews 03-24: 7 + 24 = 31 days
      sub('r-30', '2028-03-22'), // renews 03-23: 30 days
      sub('r-feb29', '2028-02-29', { autoRenew: false }), // renews 03-01: 8 days
      sub('r-7', '2028-02-28', { customerUnitPrice: new Decimal('26.40'), vendorUnitCost: new Decimal('22.00'), currency: 'USD' }), // renews Feb 29: 7 days
      sub('r-1', '2028-02-22'), // ends today, renews tomorrow
      sub('r-ended', '2028-02-21'), // renewed (or not) today: no longer upcoming
      sub('r-suspended', '2028-02-25', { status: 'suspended' }),
      sub('r-cancelled', '2028-02-25', { status: 'cancelled' }),
      sub('r-unknown', null),
    ],
    AS_OF,
  );
  const view = (bucket: 7 | 30 | 60) => report.buckets[bucket].map((r) => [r.vendorSubscriptionId, formatIso(r.renewsOn), r.daysUntil, r.autoRenew]);

  it('buckets by days until the renewal date (the day after the inclusive term end), disjoint', () => {
    expect(view(7)).toEqual([
      ['r-1', '2028-02-23', 1, true],
      ['r-7', '2028-02-29', 7, true],
    ]);
    expect(view(30)).toEqual([
      ['r-feb29', '2028-03-01', 8, false],
      ['r-30', '2028-03-23', 30, true],
    ]);
    expect(view(60)).toEqual([
      ['r-31', '2028-03-24', 31, true],
      ['r-60-edge', '2028-04-22', 60, true],
    ]);
  });

  it('carries the unit price and cost the renewal would bill, as given', () => {
    const r7 = report.buckets[7].find((r) => r.vendorSubscriptionId === 'r-7')!;
    expect([r7.customerUnitPrice?.toFixed(2), r7.vendorUnitCost?.toFixed(2), r7.currency, r7.quantity]).toEqual(['26.40', '22.00', 'USD', 10]);
  });
});

describe('renewalInputs', () => {
  const microsoft = parsePartnerCenterSubscriptions(
    collection([
      item({ id: 'AAA-1', commitmentEndDate: '2028-02-29', autoRenewEnabled: false, quantity: 12 }),
      item({ id: 'ms-only', commitmentEndDate: '2028-03-10', friendlyName: 'Teams Essentials' }),
    ]),
  ).subscriptions;
  const crm: CrmSubscription[] = [
    {
      id: 'crm-1',
      vendorSubscriptionId: 'aaa-1',
      name: 'Business Premium - Fabrikam',
      customer: 'Fabrikam',
      quantity: 10,
      status: 'active',
      autoRenew: true,
      termEnd: d('2028-02-28'),
      customerUnitPrice: new Decimal('26.4'),
      vendorUnitCost: new Decimal('22'),
      currency: 'EUR',
    },
    {
      id: 'crm-2',
      vendorSubscriptionId: null,
      name: 'Hand typed',
      customer: 'Fabrikam',
      quantity: 3,
      status: 'active',
      autoRenew: null,
      termEnd: d('2028-03-05'),
    },
  ];

  it("pairs take Microsoft's term end, auto-renew and seats with the CRM's name and prices; the rest stand as their side has them", () => {
    const inputs = renewalInputs(microsoft, crm);
    expect(
      inputs.map((i) => [
        i.vendorSubscriptionId,
        i.name,
        i.quantity,
        i.termEnd === null ? null : formatIso(i.termEnd),
        i.autoRenew,
        i.customerUnitPrice?.toString() ?? null,
        i.currency ?? null,
      ]),
    ).toEqual([
      ['AAA-1', 'Business Premium - Fabrikam', 12, '2028-02-29', false, '26.4', 'EUR'],
      ['ms-only', 'Teams Essentials', 10, '2028-03-10', true, null, null],
      ['crm-2', 'Hand typed', 3, '2028-03-05', null, null, null],
    ]);
    expect(renewalsDue(inputs, AS_OF).buckets[30].map((r) => r.vendorSubscriptionId)).toEqual(['AAA-1', 'crm-2', 'ms-only']);
  });
});

describe('termEndAt: the current term of a row that knows only its start and term', () => {
  it.each([
    // start, term, as of, end (each counted on a calendar)
    ['2027-03-01', 'P1Y', '2027-06-15', '2028-02-29'], // bought on the 1st: ends on the last day of a month, here Feb 29
    ['2028-01-31', 'P1M', '2028-02-10', '2028-02-29'], // bought Jan 31: February's term ends on its last day
    ['2027-01-31', 'P1M', '2027-02-10', '2027-02-28'],
    ['2028-01-31', 'P1M', '2028-03-05', '2028-03-30'], // then on the 30th: the day before the 31st
    ['2028-02-29', 'P1Y', '2028-06-01', '2029-02-28'], // bought Feb 29: ends the day before "Feb 29" next year
    ['2026-09-13', 'P1Y', '2026-11-15', '2027-09-12'],
    ['2026-09-13', 'P1Y', '2027-09-12', '2027-09-12'], // the last day is still in the term
    ['2026-09-13', 'P1Y', '2027-09-13', '2028-09-12'], // the next day is the renewed term
    ['2026-12-01', 'P1M', '2027-02-15', '2027-02-28'],
    ['2026-10-12', 'P1M', '2026-11-15', '2026-12-11'],
    ['2025-06-30', 'P3Y', '2027-01-01', '2028-06-29'],
    ['2028-05-01', 'P1M', '2028-02-22', '2028-05-31'], // not started yet: its first term
  ] as const)('bought %s for %s, on %s the term ends %s', (start, term, asOf, end) => {
    expect(formatIso(termEndAt(d(start), term, d(asOf)))).toBe(end);
  });
});
