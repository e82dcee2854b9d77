/**
 * Fluent's `lib/` is ES modules (what webpack bundles, or rather externalises, for the control);
 * jest runs CommonJS, so the same components are taken from `lib-commonjs/`. Import this module
 * first: the project's esbuild transform does not hoist jest.mock calls.
 */
const MODULES = [
  'DetailsList',
  'List',
  'FocusZone',
  'Stack',
  'Text',
  'SearchBox',
  'Dropdown',
  'CommandBar',
  'Dialog',
  'Button',
  'TextField',
  'MessageBar',
  'ProgressIndicator',
  'Label',
  'Link',
  'Styling',
];
for (const name of MODULES) jest.mock(`@fluentui/react/lib/${name}`, () => jest.requireActual(`@fluentui/react/lib-commonjs/${name}`));
