/** Bundles each form script into one minified IIFE under build/webresources, within budget. */
import { build, type Plugin } from 'esbuild';
import { copyFileSync, mkdirSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { formScriptBundles, MAX_BUNDLE_BYTES, stringResources, WEBRESOURCE_OUT_DIR } from '../webresources/src/bundles';

const root = resolve(__dirname, '..');

/**
 * decimal.js alone is ~32 KB minified, over the budget: form bundles get a stub that throws on
 * use (webresources/src/logic/decimal-shim.ts); their money goes through logic/exact.ts.
 */
const decimalShim: Plugin = {
  name: 'decimal-shim',
  setup(b) {
    b.onResolve({ filter: /^decimal\.js$/ }, () => ({ path: resolve(root, 'webresources/src/logic/decimal-shim.ts') }));
  },
};

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
      plugins: bundle.decimal ? [] : [decimalShim],
    });
    const size = statSync(outfile).size;
    console.log(`web resource ${bundle.webResourceName}: ${size} bytes`);
    const budget = bundle.maxBytes ?? MAX_BUNDLE_BYTES;
    if (size > budget) {
      throw new Error(`${bundle.webResourceName} is ${size} bytes, over the ${budget}-byte budget`);
    }
  }
  for (const strings of stringResources) {
    const outfile = resolve(root, WEBRESOURCE_OUT_DIR, strings.webResourceName);
    mkdirSync(dirname(outfile), { recursive: true });
    copyFileSync(resolve(root, strings.file), outfile);
    console.log(`web resource ${strings.webResourceName}: copied`);
  }
}

if (require.main === module) {
  buildWebResources().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
