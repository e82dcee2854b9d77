/** Writes dist/CspBilling_unmanaged.zip and dist/CspBilling_managed.zip from the built artifacts. */
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { extensions, tables } from '../dataverse/src/schema';
import { formScriptBundles, stringResources, WEBRESOURCE_OUT_DIR } from '../webresources/src/bundles';
import type { ControlArtifact, SolutionInput } from '../solution/src/artifacts';
import { packSolution } from '../solution/src/pack';
import { PUBLISHER, SOLUTION } from '../solution/src/publisher';
import { pcfControls, PCF_OUT_DIR } from './pcf-controls';

const root = resolve(__dirname, '..');

function mustRead(path: string, hint: string): Buffer {
  if (!existsSync(path)) throw new Error(`missing ${relative(root, path)}: ${hint}`);
  return readFileSync(path);
}

function filesUnder(dir: string): Map<string, Uint8Array> {
  const files = new Map<string, Uint8Array>();
  const walk = (d: string): void => {
    for (const name of readdirSync(d).sort()) {
      const full = join(d, name);
      if (statSync(full).isDirectory()) walk(full);
      else files.set(relative(dir, full).split('\\').join('/'), readFileSync(full));
    }
  };
  walk(dir);
  return files;
}

/** package.json's x.y.z as Dataverse's four-part version x.y.z.0. */
export function solutionVersion(packageVersion: string): string {
  const match = /^(\d+)\.(\d+)\.(\d+)/.exec(packageVersion);
  if (!match) throw new Error(`package.json version ${packageVersion} is not x.y.z`);
  return `${match[1]}.${match[2]}.${match[3]}.0`;
}

export function solutionInput(managed: boolean): SolutionInput {
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string };
  const controls: ControlArtifact[] = pcfControls.map((c) => ({
    name: `${PUBLISHER.prefix}_${c.namespace}.${c.constructorName}`,
    files: (() => {
      const dir = join(root, PCF_OUT_DIR, c.constructorName);
      mustRead(join(dir, 'bundle.js'), 'build the PCF controls first (npm run build)');
      const files = filesUnder(dir);
      files.delete('bundle.js.LICENSE.txt');
      return files;
    })(),
  }));
  return {
    version: solutionVersion(pkg.version),
    managed,
    webResources: [
      ...formScriptBundles.map((b) => ({
        name: b.webResourceName,
        displayName: b.displayName,
        type: 3 as const,
        dependsOn: stringResources.map((r) => r.webResourceName),
        content: mustRead(join(root, WEBRESOURCE_OUT_DIR, b.webResourceName), 'build the web resources first (npm run build)'),
      })),
      ...stringResources.map((r) => ({
        name: r.webResourceName,
        displayName: r.displayName,
        type: 12 as const,
        languageCode: r.languageCode,
        content: mustRead(join(root, WEBRESOURCE_OUT_DIR, r.webResourceName), 'build the web resources first (npm run build)'),
      })),
    ],
    controls,
    tableParts: [...extensions.map((t) => ({ t, existing: true })), ...tables.map((t) => ({ t, existing: false }))].map(({ t, existing }) => ({
      logicalName: t.logicalName,
      schemaName: t.schemaName,
      existing,
      entityInfo: mustRead(join(root, 'solution/generated/entities', `${t.logicalName}.xml`), 'run npm run generate').toString('utf8'),
      relationships: mustRead(join(root, 'solution/generated/relationships', `${t.logicalName}.fragment.xml`), 'run npm run generate').toString('utf8'),
    })),
  };
}

export const DIST_DIR = 'dist';
export const zipName = (managed: boolean): string => `${SOLUTION.uniqueName}_${managed ? 'managed' : 'unmanaged'}.zip`;

export function packAll(): string[] {
  mkdirSync(join(root, DIST_DIR), { recursive: true });
  return [false, true].map((managed) => {
    const out = join(root, DIST_DIR, zipName(managed));
    const zip = packSolution(solutionInput(managed));
    writeFileSync(out, zip);
    console.log(`solution ${relative(root, out)}: ${zip.length} bytes`);
    return out;
  });
}

if (require.main === module) {
  try {
    packAll();
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  }
}
