/**
 * `npm run build` and `npm start` skip a build step whose inputs' content is what it was at its last
 * build and whose outputs are there (issue 23: a second start with nothing changed); `--rebuild`,
 * an edited input or a missing output builds it again.
 */
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { runStep } from '../../scripts/build-cache';

let dir: string;
beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'cspb-build-cache-'))));
afterEach(() => rmSync(dir, { recursive: true, force: true }));

test('a step runs when it must and only then', async () => {
  const input = join(dir, 'src', 'a.ts');
  const output = join(dir, 'out.js');
  mkdirSync(join(dir, 'src'));
  writeFileSync(input, 'export const a = 1;\n');
  let runs = 0;
  const step = { name: `test-step-${randomUUID()}`, inputs: [join(dir, 'src')], outputs: [output], run: () => (runs++, writeFileSync(output, 'built')) };
  const quiet = () => undefined;
  expect(await runStep(step, false, quiet)).toBe('built');
  expect(await runStep(step, false, quiet)).toBe('up to date');
  // A new modification time with the same content: still up to date (content, not times).
  utimesSync(input, new Date(), new Date(Date.now() + 60_000));
  expect(await runStep(step, false, quiet)).toBe('up to date');
  writeFileSync(input, 'export const a = 2;\n');
  expect(await runStep(step, false, quiet)).toBe('built');
  writeFileSync(join(dir, 'src', 'b.ts'), 'export const b = 1;\n');
  expect(await runStep(step, false, quiet)).toBe('built');
  rmSync(output);
  expect(await runStep(step, false, quiet)).toBe('built');
  expect(await runStep(step, true, quiet)).toBe('built');
  expect(runs).toBe(5);
});
