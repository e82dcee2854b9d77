/** `npm run build`: web resources (esbuild), PCF controls (pcf-scripts), both solution zips, the webhook Functions app. */
import { buildWebResources } from './build-webresources';
import { buildFunctionsApp } from './build-functions';
import { buildPcf } from './build-pcf';
import { packAll } from './pack-solution';

async function main(): Promise<void> {
  const started = Date.now();
  await buildWebResources();
  buildPcf();
  const zips = packAll();
  await buildFunctionsApp();
  console.log(`build done in ${((Date.now() - started) / 1000).toFixed(1)} s; solution zips:\n  ${zips.join('\n  ')}`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
