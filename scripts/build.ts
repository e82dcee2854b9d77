/**
 * `npm run build [-- --rebuild]`: web resources (esbuild), PCF controls (pcf-scripts), both solution
 * zips, the webhook Functions app. Each step is skipped when its inputs are what they were at its
 * last build and its outputs are there (scripts/build-cache.ts); `--rebuild` builds everything.
 * `npm start` builds the same way before the workbench starts.
 */
import { join } from 'node:path';
import { WEBRESOURCE_OUT_DIR } from '../webresources/src/bundles';
import { buildFunctionsApp, FUNCTIONS_APP_DIR } from './build-functions';
import { buildWebResources } from './build-webresources';
import { buildPcf } from './build-pcf';
import { runStep, type BuildStep } from './build-cache';
import { DIST_DIR, packAll, zipName } from './pack-solution';
import { PCF_OUT_DIR } from './pcf-controls';

/** Everything a build reads besides its step's own folders: the layers below, the toolchain's configuration. */
const SHARED = [
  'core/src',
  'dataverse/src',
  'dataverse/generated',
  'package.json',
  'package-lock.json',
  'tsconfig.base.json',
  'scripts/build.ts',
  'scripts/build-cache.ts',
];

export const STEPS: readonly BuildStep[] = [
  {
    name: 'web resources',
    inputs: [...SHARED, 'webresources/src', 'scripts/build-webresources.ts'],
    outputs: [WEBRESOURCE_OUT_DIR],
    run: () => buildWebResources(),
  },
  {
    name: 'PCF controls',
    inputs: [...SHARED, 'pcf-controls', 'scripts/build-pcf.ts', 'scripts/pcf-controls.ts'],
    outputs: [PCF_OUT_DIR],
    run: () => buildPcf(),
  },
  {
    name: 'solution zips',
    inputs: [...SHARED, 'solution', 'webresources/src', WEBRESOURCE_OUT_DIR, PCF_OUT_DIR, 'scripts/pack-solution.ts', 'scripts/pcf-controls.ts'],
    outputs: [join(DIST_DIR, zipName(false)), join(DIST_DIR, zipName(true))],
    run: () => packAll(),
  },
  {
    name: 'Functions app',
    inputs: [...SHARED, 'plugins/src', 'scripts/build-functions.ts'],
    outputs: [join(FUNCTIONS_APP_DIR, 'dist/main.js')],
    run: () => buildFunctionsApp(),
  },
];

export async function build(rebuild: boolean): Promise<void> {
  const started = Date.now();
  for (const step of STEPS) await runStep(step, rebuild);
  console.log(
    `build done in ${((Date.now() - started) / 1000).toFixed(1)} s; solution zips:\n  ${[false, true].map((m) => join(DIST_DIR, zipName(m))).join('\n  ')}`,
  );
}

if (require.main === module)
  build(process.argv.includes('--rebuild')).catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
