/** How an explanation writes an unrounded amount: exact when short, cut at ten places and marked otherwise. */
import { ratioText } from '../../../core/src/invoicing/proration';
import { Decimal } from '../../../core/src/money';

const r = (num: string, den: string) => ({ num: new Decimal(num), den: new Decimal(den) });

test.each([
  // 15 x 28 / 31 / 0.5: by hand, 27.096774193548387096774193548387... (period 096774193548387)
  [r('840', '31'), '27.0967741935…'],
  // (40 - 10) x 15 x 25/31 = 11250/31 = 362.903225806451612903...
  [r('11250', '31'), '362.9032258064…'],
  // Ends within ten places: written whole, no mark.
  [r('3097', '100'), '30.97'],
  [r('271', '10'), '27.1'],
  [r('1', '1024'), '0.0009765625'],
  // Eleven places: cut (down, never rounded up) and marked.
  [r('1', '2048'), '0.0004882812…'],
  // A negative (a credit) is cut toward zero as well; a zero has no sign.
  [r('-840', '31'), '-27.0967741935…'],
  [r('-0', '7'), '0'],
])('%o reads %s', (ratio, text) => {
  expect(ratioText(ratio)).toBe(text);
});
