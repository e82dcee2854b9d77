/**
 * PCF strings for a user whose language has no RESX: the platform may throw, answer nothing or hand
 * the key back; each shows the English text generated from the control's 1033 RESX.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { localised } from '../../pcf-controls/shared/localised';
import { ENGLISH_STRINGS as GRID } from '../../pcf-controls/ReconciliationGrid/model/strings.1033.generated';
import { ENGLISH_STRINGS as IMPORT } from '../../pcf-controls/BillingImport/model/strings.1033.generated';

const resxValue = (file: string, key: string): string => {
  const xml = readFileSync(resolve(__dirname, '../../pcf-controls', file), 'utf8');
  const m = new RegExp(`<data name="${key}"[^>]*>\\s*<value>([\\s\\S]*?)</value>`).exec(xml);
  if (!m) throw new Error(`${file} has no ${key}`);
  return m[1]!
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&');
};

describe('PCF strings fall back to English', () => {
  const key = Object.keys(GRID)[0]!;
  const english = resxValue('ReconciliationGrid/strings/ReconciliationGrid.1033.resx', key);

  it.each([
    [
      'throws',
      () => {
        throw new Error('resource does not exist.');
      },
    ],
    ['answers empty', () => ''],
    ['hands the key back', (k: string) => k],
  ])('the platform %s: English from the 1033 RESX', (_, getString) => {
    expect(localised(getString, GRID)(key)).toBe(english);
  });

  it('a language the platform has is used as it is', () => {
    expect(localised(() => 'Abgleich', GRID)(key)).toBe('Abgleich');
  });

  it('every key of each 1033 RESX is in its generated module (the generator reads all of them)', () => {
    for (const [file, module] of [
      ['ReconciliationGrid/strings/ReconciliationGrid.1033.resx', GRID],
      ['BillingImport/strings/BillingImport.1033.resx', IMPORT],
    ] as const) {
      const keys = [...readFileSync(resolve(__dirname, '../../pcf-controls', file), 'utf8').matchAll(/<data name="([^"]+)"/g)].map((m) => m[1]);
      expect(Object.keys(module)).toEqual(keys);
    }
  });
});
