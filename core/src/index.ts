// Public API of the billing core: pure TypeScript, no I/O.
export * from './errors';
export * from './money';
export * from './calendar';
export * from './ledger';
export * from './nce/terms';
export * from './nce/charge-dates';
export * from './nce/rounding-rules';
export * from './nce/charges';
export * from './nce/policy';
export * from './reconcile';
export * from './import';
export * from './invoicing';
export * from './sync';
export * from './prices';
export * from './accounting';
export * from './accrual';
export * from './format';
