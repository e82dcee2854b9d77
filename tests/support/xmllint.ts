import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const SHARED_SAMPLES = resolve(__dirname, '../../../shared/samples');
export const CUSTOMIZATIONS_XSD = join(SHARED_SAMPLES, 'schemas/crm-sdk-9.0.0.2090-libxml2/CustomizationsSolution.xsd');

/** Validates XML text against an XSD with xmllint; returns xmllint's error lines (empty when valid). */
export function xmllintErrors(xml: string, xsd: string): string[] {
  const dir = mkdtempSync(join(tmpdir(), 'cspb-xmllint-'));
  try {
    const file = join(dir, 'doc.xml');
    writeFileSync(file, xml);
    const result = spawnSync('xmllint', ['--noout', '--schema', xsd, file], { encoding: 'utf8' });
    if (result.error) throw new Error(`xmllint could not run (apt-get install libxml2-utils): ${result.error.message}`);
    if (result.status === 0) return [];
    return result.stderr.split('\n').filter((line) => line.trim() !== '' && !line.endsWith('fails to validate'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
