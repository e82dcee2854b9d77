// Customer invoicing: billing contracts + ledgers + imported usage -> exact invoices and credit notes.
export * from './model';
export * from './periods';
export * from './pricing';
export * from './proration';
export * from './rates';
export * from './tax';
export type { DraftLine } from './lines';
export { correctionLines, type Corrections } from './credit-notes';
export { draftKeyOf, generateInvoice, generateInvoices, issueInvoice } from './generate';
export { invoiceRevenueSource, revenueLinesOf, revenueSource, type RevenueLine, type RevenueSourceOptions } from './leakage';
export * from './report';
