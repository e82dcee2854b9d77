import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const controlsDir = join(__dirname, '../../pcf-controls');
const controls = readdirSync(controlsDir, { withFileTypes: true })
  .filter((d) => d.isDirectory() && readdirSync(join(controlsDir, d.name)).includes('ControlManifest.Input.xml'))
  .map((d) => d.name);

const keysOf = (file: string): string[] => [...readFileSync(file, 'utf8').matchAll(/<data name="([^"]+)"/g)].map((m) => m[1]!).sort();

/** The string keys a control's sources ask for literally: s('Key'), strings('Key'), getString('Key'). */
function keysUsed(dir: string): Set<string> {
  const used = new Set<string>();
  const walk = (d: string): void => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      if (e.isDirectory() && e.name !== 'generated') walk(join(d, e.name));
      else if (/\.tsx?$/.test(e.name))
        for (const m of readFileSync(join(d, e.name), 'utf8').matchAll(/\b(?:s|strings|getString)\('([A-Za-z_]+)'\)/g)) used.add(m[1]!);
    }
  };
  walk(dir);
  return used;
}

describe.each(controls)('%s strings', (control) => {
  const stringsDir = join(controlsDir, control, 'strings');
  const files = readdirSync(stringsDir).filter((f) => f.endsWith('.resx'));
  const english = keysOf(join(stringsDir, `${control}.1033.resx`));

  it('ships English and German, and the manifest lists every resx', () => {
    expect(files.sort()).toEqual([`${control}.1031.resx`, `${control}.1033.resx`]);
    const manifest = readFileSync(join(controlsDir, control, 'ControlManifest.Input.xml'), 'utf8');
    for (const f of files) expect(manifest).toContain(`<resx path="strings/${f}"`);
  });

  it.each(files)('%s has exactly the English keys', (file) => {
    expect(keysOf(join(stringsDir, file))).toEqual(english);
  });

  it('defines every key the sources ask for', () => {
    const used = keysUsed(join(controlsDir, control));
    expect(used.size).toBeGreaterThan(10); // the scan finds the keys at all
    expect([...used].filter((k) => !english.includes(k))).toEqual([]);
  });
});
