import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { strFromU8, unzipSync } from 'fflate';

const ROOT = resolve(__dirname, '../..');

/** customizations.xml of the built managed solution (dist/, `npm run build`): what the local org reads its tables and roles from. */
export function builtCustomizationsXml(): string | undefined {
  const zip = join(ROOT, 'dist', 'CspBilling_managed.zip');
  if (!existsSync(zip)) return undefined;
  const file = unzipSync(readFileSync(zip))['customizations.xml'];
  return file ? strFromU8(file) : undefined;
}
