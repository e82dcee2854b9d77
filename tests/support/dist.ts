import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { strFromU8, unzipSync } from 'fflate';

export const ROOT = resolve(__dirname, '../..');

/** The files of a built solution zip in dist/ (written by `npm run build`). */
export function unzipDist(name: 'CspBilling_managed.zip' | 'CspBilling_unmanaged.zip'): Record<string, Uint8Array> {
  const file = join(ROOT, 'dist', name);
  if (!existsSync(file)) throw new Error(`${file} is missing: run \`npm run build\` first`);
  return unzipSync(readFileSync(file));
}

/** customizations.xml of a built solution zip, as text. */
export function builtCustomizations(name: 'CspBilling_managed.zip' | 'CspBilling_unmanaged.zip' = 'CspBilling_managed.zip'): string {
  const file = unzipDist(name)['customizations.xml'];
  if (!file) throw new Error(`${name} has no customizations.xml`);
  return strFromU8(file);
}
