/** Minimal `--name value` / `--flag` parsing for the CLI commands; repeated options collect. */
export class UsageError extends Error {}

export function parseArgs(argv: readonly string[], spec: { values: readonly string[]; flags: readonly string[]; repeatable?: readonly string[] }) {
  const values = new Map<string, string[]>();
  const flags = new Set<string>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (!arg.startsWith('--')) throw new UsageError(`unexpected argument "${arg}"`);
    const name = arg.slice(2);
    if (spec.flags.includes(name)) {
      flags.add(name);
    } else if (spec.values.includes(name)) {
      const value = argv[++i];
      if (value === undefined || value.startsWith('--')) throw new UsageError(`--${name} needs a value`);
      const list = values.get(name) ?? [];
      if (list.length > 0 && !spec.repeatable?.includes(name)) throw new UsageError(`--${name} given twice`);
      list.push(value);
      values.set(name, list);
    } else {
      throw new UsageError(`unknown option --${name}`);
    }
  }
  return {
    value: (name: string) => values.get(name)?.[0],
    all: (name: string) => values.get(name) ?? [],
    flag: (name: string) => flags.has(name),
  };
}
