/**
 * The hostile-input corpus (tests/support/hostile-corpus.ts) through `npm run reconcile`: each
 * file ends with its exit code and says why; none crashes, none exits 0 having lost a row.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeSample } from '../../scripts/generate-sample';
import { runScript } from '../support/cli';
import { hostileCorpus } from '../support/hostile-corpus';

const reconcile = (args: readonly string[]) => runScript('reconcile.ts', args);

describe('hostile-input corpus through npm run reconcile', () => {
  let dir: string;
  let snapshot: string;
  const cases = hostileCorpus();
  const results = new Map<string, Awaited<ReturnType<typeof reconcile>>>();

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'cspb-hostile-'));
    snapshot = writeSample(join(dir, 'sample'), { clean: true }).snapshot;
    // Two at a time (the machine has two cores); each is its own process, as a user runs it.
    const queue = [...cases];
    const work = async () => {
      for (let c = queue.shift(); c; c = queue.shift()) {
        const file = join(dir, c.fileName);
        writeFileSync(file, c.bytes);
        results.set(c.id, await reconcile(['--bill', file, '--org', snapshot, ...(c.cli.args ?? [])]));
      }
    };
    await Promise.all([work(), work()]);
  }, 180_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it.each(cases.map((c) => [c.id, c] as const))('%s: exit code and reason', (_id, c) => {
    const r = results.get(c.id)!;
    expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
    expect(r.stderr).toMatch(c.cli.says);
    expect(r.status).toBe(c.cli.exit);
  });
});
