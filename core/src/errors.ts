/**
 * Typed errors for the billing core. Every error carries the offending value so a caller (a
 * form, a parser, the reconciliation engine) can show exactly what was refused and why.
 */
export class CoreError extends Error {
  readonly value: unknown;
  constructor(message: string, value: unknown) {
    super(message);
    this.name = new.target.name;
    this.value = value;
  }
}

/** A string or number that is not an exact decimal amount (or a float where money is expected). */
export class InvalidAmountError extends CoreError {}

/** An ISO 4217 code this core does not know, or a malformed one. */
export class UnknownCurrencyError extends CoreError {}

/** Arithmetic between amounts of different currencies. */
export class CurrencyMismatchError extends CoreError {}

/** A date string that is not M/D/YYYY, MM/DD/YYYY or ISO 8601, or an impossible date. */
export class InvalidDateError extends CoreError {}

/** A period whose end is before its start, or other impossible ranges. */
export class InvalidPeriodError extends CoreError {}

/** An entry that would break a ledger invariant (negative quantity, wrong quantity before, ...). */
export class LedgerError extends CoreError {}

/** A ledger/offer combination that Microsoft's NCE rules cannot bill (unknown term, plan change mid-cycle, ...). */
export class NceRuleError extends CoreError {}
