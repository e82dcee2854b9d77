import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { runInNewContext } from 'node:vm';
import { strFromU8, unzipSync } from 'fflate';
import { COMMANDS_LIBRARY, FORM_COMMANDS } from '../../solution/src/ribbon';

const root = resolve(__dirname, '../..');
const zip = unzipSync(readFileSync(join(root, 'dist', 'CspBilling_managed.zip')));
const customizations = strFromU8(zip['customizations.xml']!);

describe('command bar', () => {
  it('puts each button on its table main form, calling the commands bundle with the form context', () => {
    for (const c of FORM_COMMANDS) {
      const entity = customizations.split('<Entity>').find((e) => e.includes(`<Name LocalizedName=`) && new RegExp(`<entity Name="${c.table}"`, 'i').test(e))!;
      expect(entity).toContain(`Location="Mscrm.Form.${c.table}.MainTab.Save.Controls._children"`);
      expect(entity).toMatch(new RegExp(`<JavaScriptFunction FunctionName="${c.functionName.replace(/\./g, '\\.')}" Library="\\$webresource:${COMMANDS_LIBRARY.replace(/[./]/g, '\\$&')}">\\s*<CrmParameter Value="PrimaryControl" />`));
      expect(entity).toContain(`<Title description="${c.label}" languagecode="1033" />`);
    }
  });

  it('calls functions the built bundle really exposes', () => {
    const sandbox: Record<string, unknown> = {};
    runInNewContext(strFromU8(zip[`WebResources/${COMMANDS_LIBRARY}`]!), sandbox);
    const commands = (sandbox['Cspb'] as Record<string, Record<string, unknown>>)['Commands']!;
    for (const c of FORM_COMMANDS) expect(typeof commands[c.functionName.split('.').pop()!]).toBe('function');
  });
});
