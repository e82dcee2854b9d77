/**
 * Up-to-date checks for `npm run build` and `npm start`: a step is skipped when the content hash of
 * its inputs is the one recorded when it last succeeded and its outputs are all there. Content, not
 * modification times: a checkout or a copy changes times without changing what is built. `--rebuild`
 * ignores the records. Records live in build/.build-cache/<step>.json.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';

const ROOT = resolve(__dirname, '..');
const CACHE_DIR = join(ROOT, 'build', '.build-cache');

/** Folders never read as inputs: dependencies, outputs, and what the build itself writes into sources. */
const SKIPPED = new Set(['node_modules', 'out', 'obj', 'bin', '.git']);
const isSkipped = (path: string): boolean => /(^|\/)pcf-controls\/[^/]+\/generated(\/|$)/.test(path);

function filesUnder(path: string, into: string[]): void {
  if (!existsSync(path)) return;
  const stat = statSync(path);
  const rel = relative(ROOT, path).replace(/\\/g, '/');
  if (isSkipped(rel)) return;
  if (stat.isFile()) {
    into.push(path);
    return;
  }
  for (const entry of readdirSync(path).sort()) if (!SKIPPED.has(entry)) filesUnder(join(path, entry), into);
}

/** SHA-256 over every input file's path and bytes, in a fixed order. */
export function inputsHash(inputs: readonly string[]): string {
  const files: string[] = [];
  for (const input of inputs) filesUnder(resolve(ROOT, input), files);
  const hash = createHash('sha256');
  for (const file of [...new Set(files)].sort()) {
    hash.update(relative(ROOT, file).replace(/\\/g, '/'));
    hash.update('\0');
    hash.update(readFileSync(file));
    hash.update('\0');
  }
  return hash.digest('hex');
}

export interface BuildStep {
  readonly name: string;
  /** Files and folders (from the project root) whose content the step's output depends on. */
  readonly inputs: readonly string[];
  /** What the step writes: all must exist for it to be skipped. */
  readonly outputs: readonly string[];
  readonly run: () => unknown;
}

/** Runs the step unless it is up to date; says which. */
export async function runStep(step: BuildStep, rebuild: boolean, say: (line: string) => void = console.log): Promise<'built' | 'up to date'> {
  const record = join(CACHE_DIR, `${step.name}.json`);
  const hash = inputsHash(step.inputs);
  const outputsThere = step.outputs.every((o) => existsSync(resolve(ROOT, o)));
  if (!rebuild && outputsThere && existsSync(record) && (JSON.parse(readFileSync(record, 'utf8')) as { hash?: string }).hash === hash) {
    say(`${step.name}: up to date`);
    return 'up to date';
  }
  const started = Date.now();
  await step.run();
  mkdirSync(CACHE_DIR, { recursive: true });
  // The hash of the inputs as they were when the step read them: an edit during the build rebuilds next time.
  writeFileSync(record, JSON.stringify({ hash }));
  say(`${step.name}: built in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return 'built';
}
