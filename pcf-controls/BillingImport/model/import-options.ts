/**
 * A line printed twice is a charge billed twice: it is kept, so reconciliation reports it as a
 * duplicate charge with its money (the import plugin and the reconcile command do the same).
 */
export const BILL_DUPLICATES = false;
