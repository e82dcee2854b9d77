export * from './types';
export * from './document';
export * from './bodies';
