import { formatIso, parseDate } from '../../core/src/calendar';
import { LedgerEntryInput, SubscriptionLedger } from '../../core/src/ledger';
import { checkCancellation, checkSeatDecrease, checkSeatIncrease } from '../../core/src/nce/policy';

const d = parseDate;
function bought(date: string, quantity: number, term: 'P1M' | 'P1Y' = 'P1M'): LedgerEntryInput {
  return { kind: 'new', effectiveDate: d(date), referenceId: 'new', quantityDelta: quantity, productId: 'SKU', term, billingPlan: 'monthly' };
}

describe('NCE cancellation window', () => {
  const ledger = SubscriptionLedger.of('s', [bought('7/15/2021', 10, 'P1Y')]);

  it('allows cancelling within 7 days of the purchase and says when the window closes', () => {
    const answer = checkCancellation(ledger, d('7/17/2021'));
    expect(answer.allowed).toBe(true);
    expect(formatIso(answer.windowOpenedOn!)).toBe('2021-07-15');
    expect(formatIso(answer.windowClosesOn!)).toBe('2021-07-22');
    expect(checkCancellation(ledger, d('7/21/2021')).allowed).toBe(true);
  });

  it('refuses from day 7 on and says when the window closed', () => {
    const answer = checkCancellation(ledger, d('7/22/2021'));
    expect(answer.allowed).toBe(false);
    expect(answer.reason).toMatch(/closed on 2021-07-22/);
    expect(checkCancellation(ledger, d('1/1/2022')).allowed).toBe(false);
  });

  it('reopens at each renewal, recorded or automatic on the term grid', () => {
    const monthly = SubscriptionLedger.of('m', [bought('6/18/2021', 10)]);
    expect(checkCancellation(monthly, d('7/10/2021')).allowed).toBe(false);
    const afterRenewal = checkCancellation(monthly, d('7/20/2021'));
    expect(afterRenewal.allowed).toBe(true);
    expect(afterRenewal.reason).toMatch(/renewal on 2021-07-18/);
    expect(formatIso(afterRenewal.windowClosesOn!)).toBe('2021-07-25');
    // Bought on the 31st: the renewal follows the purchase day (3/1, then 3/31).
    const on31 = SubscriptionLedger.of('x', [bought('1/31/2022', 1)]);
    expect(formatIso(checkCancellation(on31, d('3/2/2022')).windowOpenedOn!)).toBe('2022-03-01');
    expect(formatIso(checkCancellation(on31, d('4/2/2022')).windowOpenedOn!)).toBe('2022-03-31');
  });

  it('refuses for a cancelled or not-yet-bought subscription', () => {
    const cancelled = SubscriptionLedger.of('c', [bought('7/15/2021', 10), { kind: 'cancel', effectiveDate: d('7/16/2021'), referenceId: 'c' }]);
    expect(checkCancellation(cancelled, d('7/17/2021')).allowed).toBe(false);
    expect(checkCancellation(ledger, d('7/1/2021')).allowed).toBe(false);
  });
});

describe('NCE seat changes', () => {
  const ledger = SubscriptionLedger.of('s', [
    bought('3/5/2022', 10, 'P1Y'),
    { kind: 'add', effectiveDate: d('3/20/2022'), referenceId: 'a', quantityDelta: 5 },
    { kind: 'remove', effectiveDate: d('3/21/2022'), referenceId: 'r', quantityDelta: -3 },
  ]);

  it('within 7 days of the purchase every seat may go', () => {
    expect(checkSeatDecrease(ledger, d('3/8/2022'), 10)).toMatchObject({ allowed: true, maxDecrease: 10 });
    expect(checkSeatDecrease(ledger, d('3/8/2022'), 11).allowed).toBe(false);
  });

  it('later, only seats added within 7 days may go, less those already removed', () => {
    expect(checkSeatDecrease(ledger, d('3/20/2022'), 5)).toMatchObject({ allowed: true, maxDecrease: 5 });
    const answer = checkSeatDecrease(ledger, d('3/22/2022'), 3);
    expect(answer).toMatchObject({ allowed: false, maxDecrease: 2 });
    expect(answer.reason).toMatch(/only 2 seat/);
    expect(checkSeatDecrease(ledger, d('3/22/2022'), 2).allowed).toBe(true);
  });

  it('after the window the answer says when it closed', () => {
    const answer = checkSeatDecrease(ledger, d('3/27/2022'), 1);
    expect(answer.allowed).toBe(false);
    expect(answer.maxDecrease).toBe(0);
    expect(formatIso(answer.windowClosesOn!)).toBe('2022-03-27');
    expect(answer.reason).toMatch(/closed on 2022-03-27/);
  });

  it('increases are allowed at any time while active', () => {
    expect(checkSeatIncrease(ledger, d('12/1/2022')).allowed).toBe(true);
    const cancelled = SubscriptionLedger.of('c', [bought('7/15/2021', 10), { kind: 'cancel', effectiveDate: d('7/16/2021'), referenceId: 'c' }]);
    expect(checkSeatIncrease(cancelled, d('7/17/2021')).allowed).toBe(false);
    expect(checkSeatDecrease(cancelled, d('7/17/2021'), 1).allowed).toBe(false);
  });

  it('refuses a non-positive seat count', () => {
    expect(checkSeatDecrease(ledger, d('3/8/2022'), 0).allowed).toBe(false);
  });
});
