export * from './web-api-client';
