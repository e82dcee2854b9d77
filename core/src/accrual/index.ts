export * from './accrual';
