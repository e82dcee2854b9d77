export * from './price-sheet';
export * from './price-book';
