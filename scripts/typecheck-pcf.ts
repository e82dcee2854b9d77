/**
 * Type-checks the PCF controls. Their `generated/ManifestTypes.d.ts` is written by pcf-scripts
 * from each manifest, so on a fresh clone the controls are built once first.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { buildPcf } from './build-pcf';
import { pcfControls } from './pcf-controls';

const root = resolve(__dirname, '..');
// pcf-scripts writes ManifestTypes.d.ts; our build writes BillingImport's worker source.
const missing =
  pcfControls.some((c) => !existsSync(join(root, 'pcf-controls', c.constructorName, 'generated', 'ManifestTypes.d.ts'))) ||
  !existsSync(join(root, 'pcf-controls', 'BillingImport', 'generated', 'workerSource.ts'));
if (missing) buildPcf();
const result = spawnSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', join(root, 'pcf-controls/tsconfig.json'), '--noEmit'], {
  stdio: 'inherit',
});
process.exit(result.status ?? 1);
