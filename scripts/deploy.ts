/** `npm run deploy -- --url https://<org>.crm.dynamics.com [--managed] [--dry-run] …`: imports the solution and configures it. */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { msalTokenProvider, type TokenProvider } from './deploy/auth';
import { parseDeployArgs, USAGE, UsageError, type DeployOptions } from './deploy/options';
import { deployPlan, describe, planWarnings, runPlan } from './deploy/plan';
import { WebApi, type FetchLike } from './deploy/webapi';
import { DIST_DIR, zipName } from './pack-solution';

const root = resolve(__dirname, '..');

export interface DeployDeps {
  readonly log: (line: string) => void;
  /** Where usage errors go (stderr from the command line); `log` when absent. */
  readonly error?: (line: string) => void;
  readonly token?: TokenProvider;
  readonly fetch?: FetchLike;
  readonly sleep?: (ms: number) => Promise<void>;
  readonly zipDir?: string;
}

/** Returns the process exit code: 0 done, 1 failed, 2 usage error. */
export async function deploy(argv: readonly string[], deps: DeployDeps, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  let options: DeployOptions;
  try {
    const parsed = parseDeployArgs(argv, env);
    if (parsed === 'help') {
      deps.log(USAGE);
      return 0;
    }
    options = parsed;
  } catch (error) {
    if (error instanceof UsageError) {
      (deps.error ?? deps.log)(`error: ${error.message}\n${USAGE}`);
      return 2;
    }
    throw error;
  }
  const zip = join(deps.zipDir ?? join(root, DIST_DIR), zipName(options.managed));
  try {
    const plan = deployPlan(options, zip);
    if (options.dryRun) {
      deps.log(`plan for ${options.url}:`);
      plan.forEach((step, i) => deps.log(`${i + 1}. ${describe(step)}`));
      for (const w of planWarnings(options)) deps.log(`warning: ${w}`);
      return 0;
    }
    if (!existsSync(zip)) throw new Error(`${zip} is missing: run npm run build first`);
    const sleep = deps.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
    const api = new WebApi(options.url, deps.token ?? msalTokenProvider(options, deps.log), deps.fetch, sleep);
    const warnings = await runPlan({ api, log: deps.log, sleep }, options, plan);
    for (const w of warnings) deps.log(`warning: ${w}`);
    deps.log(`deployed to ${options.url}`);
    return 0;
  } catch (error) {
    deps.log(`deploy failed: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  }
}

if (require.main === module) {
  deploy(process.argv.slice(2), { log: (line) => console.log(line), error: (line) => console.error(line) }).then(
    (code) => process.exit(code),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
