import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { runInNewContext } from 'node:vm';
import { formScriptBundles, MAX_BUNDLE_BYTES, WEBRESOURCE_OUT_DIR } from '../../webresources/src/bundles';

const root = resolve(__dirname, '../..');

describe.each(formScriptBundles)('built web resource $webResourceName', (bundle) => {
  const file = resolve(root, WEBRESOURCE_OUT_DIR, bundle.webResourceName);

  it('exists (run `npm run build` first)', () => {
    expect(existsSync(file)).toBe(true);
  });

  it('exposes its handlers under the global namespace the form events call', () => {
    const sandbox: Record<string, unknown> = {};
    runInNewContext(readFileSync(file, 'utf8'), sandbox);
    const [ns, member] = bundle.globalName.split('.') as [string, string];
    const exported = (sandbox[ns] as Record<string, Record<string, unknown>>)[member];
    for (const handler of bundle.handlers) expect(typeof exported?.[handler]).toBe('function');
  });

  it(`stays within ${bundle.maxBytes ?? MAX_BUNDLE_BYTES} bytes minified`, () => {
    expect(readFileSync(file).length).toBeLessThanOrEqual(bundle.maxBytes ?? MAX_BUNDLE_BYTES);
  });
});
