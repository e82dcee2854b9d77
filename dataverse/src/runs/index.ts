export * from './lengths';
export * from './invoice-run';
export * from './reads';
export * from './recon-run';
export * from './issue';
export * from './accrual-run';
export * from './price-review-run';
export * from './posting-run';
