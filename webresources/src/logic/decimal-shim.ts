/**
 * Stands in for decimal.js inside form bundles (the build aliases `decimal.js` here). The core
 * ledger and NCE policy code the subscription form runs never do decimal arithmetic when ledger
 * rows are read without prices (logic/subscription.ts does exactly that), but core/src/money.ts
 * configures its Decimal clone when loaded. Any real use throws, loudly, instead of computing
 * wrongly: money in form bundles goes through logic/exact.ts.
 */
class DecimalUnavailable {
  static readonly ROUND_UP = 0;
  static readonly ROUND_DOWN = 1;
  static readonly ROUND_CEIL = 2;
  static readonly ROUND_FLOOR = 3;
  static readonly ROUND_HALF_UP = 4;
  static readonly ROUND_HALF_DOWN = 5;
  static readonly ROUND_HALF_EVEN = 6;
  static readonly ROUND_HALF_CEIL = 7;
  static readonly ROUND_HALF_FLOOR = 8;
  constructor() {
    throw new Error('decimal.js is not bundled in form scripts: use webresources/src/logic/exact.ts');
  }
  static clone(): typeof DecimalUnavailable {
    return DecimalUnavailable;
  }
  static isDecimal(value: unknown): boolean {
    return value instanceof DecimalUnavailable;
  }
}

export default DecimalUnavailable;
