/**
 * `npm run bench:start`: how long `npm start` takes to print the workbench's URL when nothing
 * changed since the last start (issue 23's target: 10 s), beside a start that builds everything
 * (`--rebuild`). Each start runs with --once (it prints the URL and the row counts, then exits) on
 * the kept local org (build/workbench/org.json), as a person's second start does.
 */
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';

const ROOT = resolve(__dirname, '..');
const TARGET_S = 10;

function timeToUrl(args: readonly string[]): Promise<{ seconds: number; output: string }> {
  return new Promise((done, fail) => {
    const started = process.hrtime.bigint();
    const child = spawn(process.execPath, [resolve(ROOT, 'node_modules/tsx/dist/cli.mjs'), 'scripts/workbench.ts', '--build', '--once', ...args], {
      cwd: ROOT,
    });
    let output = '';
    let seconds: number | undefined;
    const read = (chunk: Buffer) => {
      output += chunk.toString();
      if (seconds === undefined && /CSP Billing workbench: http/.test(output)) seconds = Number(process.hrtime.bigint() - started) / 1e9;
    };
    child.stdout.on('data', read);
    child.stderr.on('data', read);
    child.on('exit', (code) => (code === 0 && seconds !== undefined ? done({ seconds, output }) : fail(new Error(`npm start exited ${code}:\n${output}`))));
  });
}

async function main(): Promise<void> {
  const full = await timeToUrl(['--rebuild']);
  const again = await timeToUrl([]);
  const skipped = (again.output.match(/: up to date/g) ?? []).length;
  console.log(`npm start, everything built (--rebuild): URL after ${full.seconds.toFixed(1)} s`);
  console.log(
    `npm start again, nothing changed:        URL after ${again.seconds.toFixed(1)} s (${skipped} build steps up to date); target <= ${TARGET_S} s: ${again.seconds <= TARGET_S ? 'met' : 'NOT met'}`,
  );
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
