import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

export const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';
const root = resolve(__dirname, '../..');

/** Screenshots land here (git-ignored) so a person can look at what the tests saw. */
export const SCREENSHOT_DIR = join(root, 'test-output', 'screenshots');

export interface Browser {
  readonly context: BrowserContext;
  readonly page: Page;
  /** Outside requests the page tried to make (all aborted). */
  readonly blocked: string[];
  /** Outside URLs answered from a local package (the Fluent icon font). */
  readonly servedLocally: string[];
  close(): Promise<void>;
}

/**
 * Debian's chromium through playwright-core, headless, with a fresh profile. Only loopback is
 * reachable: React's UMD files, which the PCF harness fetches from a CDN, are served from
 * node_modules; every other outside request is aborted and recorded.
 */
export async function openBrowser(): Promise<Browser> {
  const profile = mkdtempSync(join(tmpdir(), 'cspb-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 1280, height: 800 },
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  const blocked: string[] = [];
  const servedLocally: string[] = [];
  await context.route('**/*', (route) => {
    const url = new URL(route.request().url());
    const umd = /\/(react|react-dom)@16\.14\.0\/umd\/([\w.-]+\.js)$/.exec(url.pathname);
    if (umd) return route.fulfill({ path: join(root, 'node_modules', umd[1]!, 'umd', umd[2]!), contentType: 'application/javascript' });
    // Fluent's icon font, which initializeIcons() fetches from Microsoft's CDN: served from the
    // package that ships the same files, so icons render offline instead of as empty boxes.
    const icons = /\/(fabric-icons[\w-]*\.woff2?)$/.exec(url.pathname);
    const iconFile = icons ? join(root, 'node_modules/@fluentui/font-icons-mdl2/fonts', icons[1]!) : undefined;
    if (iconFile && existsSync(iconFile)) {
      servedLocally.push(url.href);
      return route.fulfill({ path: iconFile, contentType: 'font/woff', headers: { 'Access-Control-Allow-Origin': '*' } });
    }
    if (url.hostname === '127.0.0.1' || url.hostname === 'localhost') return route.continue();
    blocked.push(url.href);
    return route.abort();
  });
  const page = context.pages()[0] ?? (await context.newPage());
  return {
    context,
    page,
    blocked,
    servedLocally,
    close: async () => {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/**
 * axe-core's WCAG 2.1 A and AA rules run on the element `rootSelector` names: each violation as
 * "impact rule: targets" (an empty list when the markup passes).
 */
export async function wcagViolations(page: import('playwright-core').Page, rootSelector: string): Promise<string[]> {
  await page.addScriptTag({ path: require.resolve('axe-core/axe.min.js') });
  return page.evaluate(async (selector) => {
    // Runs in the page; typed loosely so this Node-side file needs no DOM library.
    const page = globalThis as unknown as {
      document: { querySelector(s: string): object | null };
      axe: { run(el: object, o: object): Promise<{ violations: Array<{ id: string; impact: string; nodes: Array<{ target: string[] }> }> }> };
    };
    const root = page.document.querySelector(selector);
    if (!root) throw new Error(`no element ${selector} to check`);
    const result = await page.axe.run(root, { runOnly: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] });
    return result.violations.map((v) => `${v.impact} ${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  }, rootSelector);
}
