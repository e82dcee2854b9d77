/**
 * The local workbench (`npm start` runs this with --build: the build's steps that are not up to date, then the workbench): the embedded org seeded with the
 * sample partner, the plug-ins in its pipeline, and the model-driven-like shell on 127.0.0.1.
 *   tsx scripts/workbench.ts [--port <n>] [--memory] [--reset] [--seed <n>] [--once] [--in-process]
 * The org is kept in build/workbench/org.json (--memory: not kept; --reset: start from the sample again).
 * --once prints the URL and the row counts, then exits (CI smoke).
 * The server side runs as in a real org (webhook host over HTTP, queue on Azurite); --in-process runs
 * the handlers in the org's pipeline instead.
 */
import { existsSync, rmSync } from 'node:fs';
import { build } from './build';
import { parseArgs, runCommand, wholeArg } from './cli-args';
import { counts, DEFAULT_DATA_FILE, startWorkbench } from './workbench/server';

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2), {
    values: ['port', 'seed'],
    flags: ['once', 'memory', 'reset', 'in-process', 'build', 'rebuild'],
    usage: WORKBENCH_USAGE,
  });
  // npm start builds first, skipping what is up to date (scripts/build-cache.ts); --rebuild builds everything.
  if (args.flag('build') || args.flag('rebuild')) await build(args.flag('rebuild'));
  if (args.flag('reset') && existsSync(DEFAULT_DATA_FILE)) rmSync(DEFAULT_DATA_FILE);
  const port = wholeArg(args.value('port'), '--port');
  const seed = wholeArg(args.value('seed'), '--seed');
  const wb = await startWorkbench({
    ...(port === undefined ? {} : { port }),
    ...(seed === undefined ? {} : { seed }),
    ...(args.flag('memory') ? {} : { dataFile: DEFAULT_DATA_FILE }),
    serverSide: args.flag('in-process') ? 'in-process' : 'webhook',
  });
  console.log(`CSP Billing workbench: ${wb.url}`);
  if (wb.webhook)
    console.log(`webhook host ${wb.webhook.host.url} (as the CSP Billing Integration user), job queue on Azurite ${wb.webhook.azurite.queueEndpoint}`);
  if (wb.graphDemo)
    console.log(
      `Microsoft Graph played locally at ${wb.graphDemo.graphUrl}: Reconciliation > Month-end runs > New, invoice ${wb.graphDemo.invoice}, pulls the sample's October bill`,
    );
  const table = Object.entries(counts(wb.org))
    .map(([set, n]) => `  ${set.padEnd(28)} ${n}`)
    .join('\n');
  console.log(`local org${args.flag('memory') ? ' (memory)' : ` (${DEFAULT_DATA_FILE})`}:\n${table}`);
  if (args.flag('once')) {
    await wb.close();
    return;
  }
  console.log('Ctrl-C to stop.');
  const stop = () => {
    void wb.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

const WORKBENCH_USAGE = `usage: npm start -- [--port <n>] [--memory] [--reset] [--seed <n>] [--once] [--in-process] [--rebuild]
  --port <n>     the workbench's port (default: a free one)
  --memory       keep nothing (default: build/workbench/org.json)
  --reset        start from the sample partner again
  --seed <n>     another sample partner
  --once         print the URL and row counts, then exit
  --in-process   run the server side in this process instead of the webhook host and Azurite queue
  --rebuild      build every step again (npm start otherwise skips the build steps whose inputs did not change)`;

runCommand(main);
