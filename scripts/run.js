/**
 * Runs one of this project's TypeScript entry points as a single bundle: `node scripts/run.js
 * scripts/reconcile.ts --bill ...`. esbuild bundles the entry (and the chunk worker the bill
 * import starts threads with) into build/run/<entry>-<random>/ beside the project's
 * node_modules, which the bundle requires as they are; Node then runs it as the main module.
 * Without the TypeScript hook tsx installs, Node starts in about 45 MB instead of 72, and each
 * worker thread in 5 MB less: `npm run reconcile` of a million-row bill stays near its memory
 * target (bench:reconcile). The folder is removed when the process exits.
 *
 * Plain JavaScript on purpose: it runs before anything can compile TypeScript.
 */
'use strict';
const { spawnSync } = require('node:child_process');
const { mkdirSync, mkdtempSync, rmSync } = require('node:fs');
const Module = require('node:module');
const { basename, join, resolve } = require('node:path');

const root = resolve(__dirname, '..');
const [entry, ...args] = process.argv.slice(2);
if (entry === undefined || !entry.endsWith('.ts')) {
  console.error('usage: node scripts/run.js <entry point>.ts [arguments]');
  process.exit(2);
}
const base = join(root, 'build', 'run');
mkdirSync(base, { recursive: true });
const outdir = mkdtempSync(join(base, `${basename(entry, '.ts')}-`));
process.on('exit', () => rmSync(outdir, { recursive: true, force: true }));
// esbuild's JavaScript API in a process of its own: loaded here, it stayed in this process's
// memory for the whole run (20 MB). Its API, not its bin/esbuild, which an install may have
// replaced with the native executable.
const options = {
  entryPoints: { main: resolve(entry), 'chunk-worker': join(root, 'scripts/bill-file/chunk-worker.ts') },
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  outdir,
  packages: 'external',
  logLevel: 'warning',
};
const built = spawnSync(process.execPath, ['-e', `require('esbuild').buildSync(${JSON.stringify(options)})`], { stdio: 'inherit', cwd: root });
if (built.status !== 0) process.exit(built.status ?? 1);
process.argv = [process.argv[0], join(outdir, 'main.js'), ...args];
Module.runMain();
