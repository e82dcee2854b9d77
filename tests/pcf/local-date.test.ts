import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

/**
 * A user east of Greenwich (Kiritimati, UTC+14) a quarter past midnight on 22 November: their date
 * is the 22nd while UTC's is still the 21st. The time zone is fixed when a process starts, so the
 * dates are computed in a child process that has it.
 */
const root = join(__dirname, '../..');
const script = `
  const { formatIso, localDateOf } = require('./core/src/calendar');
  const { isoDate } = require('./pcf-controls/ReconciliationGrid/model/actions');
  const d = new Date(2026, 10, 22, 0, 15);
  console.log(JSON.stringify({ utc: d.toISOString().slice(0, 10), local: formatIso(localDateOf(d)), correction: isoDate('not a date', d) }));
`;

it("takes a Date's calendar date as its user sees it, not UTC's", () => {
  const run = spawnSync(process.execPath, ['--require', 'tsx/cjs', '-e', script], {
    cwd: root,
    env: { ...process.env, TZ: 'Pacific/Kiritimati' },
    encoding: 'utf8',
  });
  expect(run.stderr).toBe('');
  const out = JSON.parse(run.stdout) as { utc: string; local: string; correction: string };
  expect(out.utc).toBe('2026-11-21'); // the drift toISOString() gives
  expect(out.local).toBe('2026-11-22');
  expect(out.correction).toBe('2026-11-22'); // the grid's ledger correction when the charge start is unreadable
});
