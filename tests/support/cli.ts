import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const root = resolve(__dirname, '../..');

export interface CliRun {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * How package.json starts `scripts/<script>`: the Node flags of a `node ... scripts/<script>`
 * command (the bill commands run with the in-thread TypeScript hook and a small young generation),
 * else tsx's CLI.
 */
function launcherOf(script: string): string[] {
  const scripts = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;
  const command = Object.values(scripts).find((c) => c.split(' ').includes(`scripts/${script}`));
  const words = command?.split(' ') ?? [];
  if (words[0] !== 'node') return [join(root, 'node_modules/tsx/dist/cli.mjs')];
  return words.slice(1, words.indexOf(`scripts/${script}`));
}

/** Runs `scripts/<script>` in its own process, started as its npm command starts it. */
export function runScript(script: string, args: readonly string[], env: NodeJS.ProcessEnv = process.env): Promise<CliRun> {
  return new Promise((done) => {
    const child = spawn(process.execPath, [...launcherOf(script), join(root, 'scripts', script), ...args], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'pipe'],
      env,
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString('utf8')));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
    child.on('close', (status) => done({ status, stdout, stderr }));
  });
}
