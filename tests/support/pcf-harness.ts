import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

const root = resolve(__dirname, '../..');
/** pcf-start serves on this port and reads no option to change it. */
export const HARNESS_URL = 'http://127.0.0.1:8181/';

export interface Harness {
  readonly url: string;
  stop(): Promise<void>;
}

async function waitForHttp(url: string, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`pcf-start exited with ${child.exitCode} before serving`);
    try {
      const response = await fetch(url);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`pcf-start did not answer at ${url} within ${timeoutMs} ms`);
}

/** Starts pcf-start's test harness on a built control folder (pcf-controls/out/controls/<Name>). */
export async function startHarness(controlName: string): Promise<Harness> {
  const codePath = join(root, 'pcf-controls/out/controls', controlName);
  if (!existsSync(join(codePath, 'bundle.js'))) throw new Error(`${codePath}/bundle.js is missing: run \`npm run build\` first`);
  const child = spawn(process.execPath, [join(root, 'node_modules/pcf-start/bin/pcf-start.js'), '--codePath', codePath], {
    env: { ...process.env, PP_TOOLS_TELEMETRY_OPTOUT: '1', BROWSER: 'none' },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let output = '';
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.pid) {
      const exited = new Promise((r) => child.once('exit', r));
      process.kill(-child.pid, 'SIGTERM');
      await exited;
    }
  };
  try {
    await waitForHttp(HARNESS_URL, child, 30_000);
  } catch (error) {
    await stop();
    throw new Error(`${(error as Error).message}\n${output}`);
  }
  return { url: HARNESS_URL, stop };
}
