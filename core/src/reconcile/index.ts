export * from './categories';
export * from './model';
export * from './matching';
export { compareSubscription } from './compare';
export { reconcile, billPeriodOf } from './engine';
export { staleCostFindings, type PriceSheetInput } from './stale-cost';
export * from './report';
export * from './completeness';
