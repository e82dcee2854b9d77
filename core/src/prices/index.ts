export * from './price-sheet';
export * from './price-book';
export * from './margin';
