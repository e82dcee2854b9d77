/** Bundles each form script into one minified IIFE under build/webresources, within budget. */
import { build } from 'esbuild';
import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import { formScriptBundles, MAX_BUNDLE_BYTES, WEBRESOURCE_OUT_DIR } from '../webresources/src/bundles';

const root = resolve(__dirname, '..');

export async function buildWebResources(): Promise<void> {
  for (const bundle of formScriptBundles) {
    const outfile = resolve(root, WEBRESOURCE_OUT_DIR, bundle.webResourceName);
    await build({
      entryPoints: [resolve(root, bundle.entry)],
      outfile,
      bundle: true,
      format: 'iife',
      globalName: bundle.globalName,
      platform: 'browser',
      target: 'es2019',
      minify: true,
      legalComments: 'none',
      logLevel: 'warning',
    });
    const size = statSync(outfile).size;
    console.log(`web resource ${bundle.webResourceName}: ${size} bytes`);
    if (size > MAX_BUNDLE_BYTES) {
      throw new Error(`${bundle.webResourceName} is ${size} bytes, over the ${MAX_BUNDLE_BYTES}-byte budget`);
    }
  }
}

if (require.main === module) {
  buildWebResources().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
