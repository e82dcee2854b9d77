// Subscription sync with Partner Center: parse its answer, compare with the CRM, upcoming renewals. Pure.
export * from './partner-center-subscriptions';
export * from './drift';
export * from './renewals';
