/**
 * Every command answers --help with its usage (exit 0), and a wrong argument with `error:`, the
 * usage and exit 2, never a stack trace (issue 19: `--help` was refused, `--period 2026-13` ended
 * in a stack trace).
 */
import { runScript as run } from '../support/cli';

const COMMANDS: ReadonlyArray<readonly [string, string, readonly string[]]> = [
  // script, what its usage names, a wrong argument
  ['reconcile.ts', 'npm run reconcile', ['--bill', 'b.csv', '--org', 'o.json', '--period', '2026-13']],
  ['invoice.ts', 'npm run invoice', ['--org', 'o.json', '--period', '2026-13']],
  ['generate-sample.ts', 'npm run sample', ['--seed', 'abc']],
  ['start.ts', 'npm run reconcile:sample', ['--what']],
  ['workbench.ts', 'npm start', ['--port', 'eighty']],
  ['deploy.ts', 'npm run deploy', ['--frobnicate']],
  ['sync.ts', 'npm run sync', ['--customer', 'not-a-guid']],
  ['accrual.ts', 'npm run accrual', ['--org', 'o.json', '--as-of', '2026-02-30']],
  ['prices.ts', 'npm run prices', ['--local-org', 'o.json']],
  ['renewals.ts', 'npm run renewals', ['--org', 'o.json', '--as-of', 'soon']],
  ['pull.ts', 'npm run pull', ['--invoice', 'G000012345', '--unbilled', 'current', '--local-org']],
  ['post.ts', 'npm run post', ['--to', 'sage', '--period', '2026-10', '--local-org', 'o.json']],
];

describe('command line help and usage errors', () => {
  it.each(COMMANDS)(
    '%s --help prints its usage and exits 0; a wrong argument exits 2 without a stack trace',
    async (script, name, wrong) => {
      const help = await run(script, ['--help']);
      expect(help.status).toBe(0);
      expect(help.stdout).toContain(name);
      const bad = await run(script, wrong);
      expect(bad.status).toBe(2);
      expect(bad.stderr).toMatch(/^error: /m);
      expect(bad.stderr).not.toMatch(/\n\s+at /);
    },
    60_000,
  );

  it('a month outside 01..12 is named as such', async () => {
    const bad = await run('reconcile.ts', ['--bill', 'b.csv', '--org', 'o.json', '--period', '2026-13']);
    expect(bad.stderr).toContain('--period 2026-13: expected YYYY-MM with a month from 01 to 12');
  }, 60_000);
});
