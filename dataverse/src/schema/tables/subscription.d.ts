import type { TableDef } from '../types';
/** A customer's subscription to a Microsoft (or distributor) offer. Quantity is kept from the ledger. */
export declare const subscription: TableDef;
