import { dateOf, monthPeriod, type CalendarDate, type Period } from '../core/src';

/**
 * Minimal `--name value` / `--flag` parsing for the CLI commands; repeated options collect.
 * Every command takes `--help` (its usage on stdout, exit 0); a wrong argument is a UsageError
 * that `runCommand` prints with the usage and exit code 2, never a stack trace.
 */
export class UsageError extends Error {}

/** `--help` was asked for: the message is the usage. */
export class HelpRequested extends Error {}

export interface ArgSpec {
  readonly values: readonly string[];
  readonly flags: readonly string[];
  readonly repeatable?: readonly string[];
  /** The command's usage line(s), printed for --help and after a usage error. */
  readonly usage?: string;
}

export function parseArgs(argv: readonly string[], spec: ArgSpec) {
  if (argv.includes('--help') || argv.includes('-h')) throw new HelpRequested(spec.usage ?? 'no usage is documented for this command');
  const values = new Map<string, string[]>();
  const flags = new Set<string>();
  const fail = (message: string): never => {
    throw new UsageError(spec.usage ? `${message}\n${spec.usage}` : message);
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (!arg.startsWith('--')) fail(`unexpected argument "${arg}"`);
    const name = arg.slice(2);
    if (spec.flags.includes(name)) {
      flags.add(name);
    } else if (spec.values.includes(name)) {
      const value = argv[++i];
      if (value === undefined || value.startsWith('--')) fail(`--${name} needs a value`);
      const list = values.get(name) ?? [];
      if (list.length > 0 && !spec.repeatable?.includes(name)) fail(`--${name} given twice`);
      list.push(value as string);
      values.set(name, list);
    } else {
      fail(`unknown option --${name}`);
    }
  }
  return {
    value: (name: string) => values.get(name)?.[0],
    all: (name: string) => values.get(name) ?? [],
    flag: (name: string) => flags.has(name),
  };
}

/** `--period YYYY-MM` as the month's period; month 13 or 2026-1 is a usage error, not a stack trace. */
export function monthArg(value: string, option = '--period'): Period {
  const match = /^(\d{4})-(\d{2})$/.exec(value);
  const month = match ? Number(match[2]) : 0;
  if (!match || month < 1 || month > 12) throw new UsageError(`${option} ${value}: expected YYYY-MM with a month from 01 to 12`);
  return monthPeriod(Number(match[1]), month);
}

/** A whole number option (`--seed`, `--port`), or a usage error naming it. */
export function wholeArg(value: string | undefined, option: string, min = 0): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value) || Number(value) < min) throw new UsageError(`${option} ${value}: expected a whole number${min > 0 ? ` from ${min}` : ''}`);
  return Number(value);
}

/**
 * Runs a command's main: --help prints the usage (exit 0); a usage error or an error the command
 * calls expected (unusable input) prints `error: …` (exit 2); anything else is a bug (exit 1).
 */
export function runCommand(main: () => Promise<void>, expected: (error: unknown) => boolean = () => false): void {
  main().catch((error: unknown) => {
    if (error instanceof HelpRequested) {
      console.log(error.message);
      process.exit(0);
    }
    if (error instanceof UsageError || expected(error)) {
      console.error(`error: ${(error as Error).message}`);
      process.exit(2);
    }
    console.error(error instanceof Error ? (error.stack ?? error.message) : error);
    process.exit(1);
  });
}

/** `--as-of YYYY-MM-DD`, a real day, or a usage error naming it. */
export function asOfArg(value: string | undefined, today: Date = new Date()): CalendarDate {
  if (value === undefined) return dateOf(today.getUTCFullYear(), today.getUTCMonth() + 1, today.getUTCDate());
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  try {
    if (m) return dateOf(Number(m[1]), Number(m[2]), Number(m[3]));
  } catch {
    // an impossible day: the same usage error
  }
  throw new UsageError(`--as-of ${value}: expected a date YYYY-MM-DD`);
}
