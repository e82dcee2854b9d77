/**
 * Builds the PCF controls with pcf-scripts in production mode. pcf-scripts exits 0 even when the
 * build fails (it only prints "[build] Failed"), so success is read from its output.
 */
import { spawnSync } from 'node:child_process';
import { statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pcfControls, PCF_OUT_DIR } from './pcf-controls';

const root = resolve(__dirname, '..');

export function buildPcf(): void {
  const result = spawnSync(process.execPath, [require.resolve('pcf-scripts/bin/pcf-scripts'), 'build', '--buildMode', 'production'], {
    cwd: join(root, 'pcf-controls'),
    env: { ...process.env, PP_TOOLS_TELEMETRY_OPTOUT: '1', FORCE_COLOR: '0' },
    encoding: 'utf8',
  });
  const output = `${result.stdout ?? ''}${result.stderr ?? ''}`;
  if (result.status !== 0 || !output.includes('[build] Succeeded') || output.includes('[build] Failed')) {
    console.error(output);
    throw new Error(`pcf-scripts build failed (exit ${result.status}); see its output above`);
  }
  for (const control of pcfControls) {
    const bundle = join(root, PCF_OUT_DIR, control.constructorName, 'bundle.js');
    console.log(`pcf control ${control.constructorName}: bundle.js ${statSync(bundle).size} bytes (React and Fluent from the platform)`);
  }
}

if (require.main === module) {
  try {
    buildPcf();
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  }
}
