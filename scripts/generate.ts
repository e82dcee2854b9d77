/**
 * Writes every generated file: from the Dataverse schema (row types, customizations.xml parts) and
 * the form scripts' English fallback strings from their base-language RESX.
 *   npm run generate            write them
 *   npm run generate -- --check exit 1 and list the stale files instead of writing
 */
import { mkdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { generateAll } from '../dataverse/src/codegen';
import { extensions, tables } from '../dataverse/src/schema';
import { ENGLISH_STRING_SOURCES, englishStringsModule } from './generate/resx-strings';

const root = resolve(__dirname, '..');
const check = process.argv.includes('--check');
const stale: string[] = [];

const englishStrings = ENGLISH_STRING_SOURCES.map(({ resx, module }): [string, string] => [
  module,
  englishStringsModule(readFileSync(resolve(root, resx), 'utf8'), resx),
]);

for (const [path, content] of [...generateAll(tables, extensions), ...englishStrings]) {
  const file = resolve(root, path);
  const current = existsSync(file) ? readFileSync(file, 'utf8') : null;
  if (current === content) continue;
  stale.push(path);
  if (!check) {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, content);
  }
}

if (check && stale.length > 0) {
  console.error(`Generated files are stale (run \`npm run generate\`):\n  ${stale.join('\n  ')}`);
  process.exit(1);
}
console.log(check ? 'generated files are up to date' : `wrote ${stale.length} changed file(s)${stale.length ? ':\n  ' + stale.join('\n  ') : ''}`);
