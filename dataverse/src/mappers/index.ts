export * from './values';
export * from './ledger';
export * from './offer';
export * from './recon-input';
export * from './invoicing-input';
export * from './bill-lines';
export * from './invoices';
export * from './pricing';
