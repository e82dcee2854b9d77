/**
 * Packages the webhook host as an Azure Functions app in dist/functions-app: one bundled
 * `dist/main.js` (esbuild, Node 20; @azure/functions stays a runtime dependency, as the Functions
 * host requires), host.json and the package.json whose `main` the runtime loads. Deploy that folder
 * (`func azure functionapp publish <app>` from it, or zip deploy); `func start` runs it locally.
 */
import { build } from 'esbuild';
import { copyFileSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const root = resolve(__dirname, '..');
export const FUNCTIONS_APP_DIR = 'dist/functions-app';

export async function buildFunctionsApp(): Promise<string> {
  const out = join(root, FUNCTIONS_APP_DIR);
  rmSync(out, { recursive: true, force: true });
  mkdirSync(join(out, 'dist'), { recursive: true });
  await build({
    entryPoints: [join(root, 'plugins/src/main.ts')],
    outfile: join(out, 'dist/main.js'),
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    external: ['@azure/functions'],
    legalComments: 'none',
    logLevel: 'warning',
    // The Azure Storage SDK's ESM build (storage-common's crc64) calls createRequire(import.meta.url);
    // in a CommonJS bundle import.meta is empty, so it is given this file's own URL.
    define: { 'import.meta.url': '__cspbImportMetaUrl' },
    banner: { js: "const __cspbImportMetaUrl = require('node:url').pathToFileURL(__filename).href;" },
  });
  copyFileSync(join(root, 'plugins/host.json'), join(out, 'host.json'));
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string; dependencies: Record<string, string> };
  const manifest = {
    name: 'cspb-webhook-host',
    version: pkg.version,
    private: true,
    description: 'CSP Billing webhook host: Dataverse service endpoint handlers (Azure Functions v4, Node 20).',
    main: 'dist/main.js',
    engines: { node: '>=20' },
    dependencies: { '@azure/functions': pkg.dependencies['@azure/functions'] },
  };
  writeFileSync(join(out, 'package.json'), JSON.stringify(manifest, null, 2) + '\n');
  console.log(`functions app ${FUNCTIONS_APP_DIR}: dist/main.js ${statSync(join(out, 'dist/main.js')).size} bytes`);
  return out;
}

if (require.main === module) {
  buildFunctionsApp().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
