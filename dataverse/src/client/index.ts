export * from './types';
export * from './odata';
export * from './currency-binding';
