/**
 * Imported first by a test file (before anything that loads core/src/money): decimal.js is then the
 * form bundles' stand-in (webresources/src/logic/decimal-shim.ts) for every module the test loads,
 * as scripts/build-webresources.ts aliases it in the bundles. (The jest transform does not hoist
 * jest.mock above imports, so the mock lives in a module of its own, imported first.)
 */
jest.mock('decimal.js', () => jest.requireActual<object>('../../../webresources/src/logic/decimal-shim'));

export {};
