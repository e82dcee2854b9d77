import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { runInNewContext } from 'node:vm';
import { strFromU8, unzipSync } from 'fflate';
import { FORM_COMMANDS, libraryOf } from '../../solution/src/ribbon';

const root = resolve(__dirname, '../..');
const zip = unzipSync(readFileSync(join(root, 'dist', 'CspBilling_managed.zip')));
const customizations = strFromU8(zip['customizations.xml']!);

describe('command bar', () => {
  it('puts each button on its table main form, calling its command library with the form context', () => {
    for (const c of FORM_COMMANDS) {
      const entity = customizations.split('<Entity>').find((e) => e.includes(`<Name LocalizedName=`) && new RegExp(`<entity Name="${c.table}"`, 'i').test(e))!;
      expect(entity).toContain(`Location="Mscrm.Form.${c.table}.MainTab.Save.Controls._children"`);
      expect(entity).toMatch(
        new RegExp(
          `<JavaScriptFunction FunctionName="${c.functionName.replace(/\./g, '\\.')}" Library="\\$webresource:${libraryOf(c).replace(/[./]/g, '\\$&')}">\\s*<CrmParameter Value="PrimaryControl" />`,
        ),
      );
      expect(entity).toContain(`<Title description="${c.label}" languagecode="1033" />`);
    }
  });

  it('calls functions the built libraries really expose', () => {
    for (const c of FORM_COMMANDS) {
      const sandbox: Record<string, unknown> = {};
      runInNewContext(strFromU8(zip[`WebResources/${libraryOf(c)}`]!), sandbox);
      const [ns, member, fn] = c.functionName.split('.') as [string, string, string];
      expect(typeof (sandbox[ns] as Record<string, Record<string, unknown>>)[member]![fn]).toBe('function');
    }
  });
});
