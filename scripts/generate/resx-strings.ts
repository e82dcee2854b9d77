/**
 * The English strings of the form scripts and of each PCF control as TypeScript modules, generated
 * from their base-language RESX (the RESX stays the one source translators edit). The code falls
 * back to them when Dataverse has no string for the user: getResourceString throws "<name> does not
 * exist." when no RESX matches the user's LCID and returns null for a missing key
 * (learn.microsoft.com/power-apps/developer/model-driven-apps/clientapi/reference/xrm-utility/getresourcestring);
 * the PCF page (learn.microsoft.com/power-apps/developer/component-framework/sample-controls/localization-api-control)
 * says nothing of a language without a RESX, so the controls assume the same and fall back too.
 */
import { XMLParser } from 'fast-xml-parser';

/** Each base-language RESX and the module generated from it. */
export const ENGLISH_STRING_SOURCES: ReadonlyArray<{ readonly resx: string; readonly module: string }> = [
  { resx: 'webresources/strings/forms.1033.resx', module: 'webresources/src/strings.1033.generated.ts' },
  { resx: 'pcf-controls/ReconciliationGrid/strings/ReconciliationGrid.1033.resx', module: 'pcf-controls/ReconciliationGrid/model/strings.1033.generated.ts' },
  { resx: 'pcf-controls/BillingImport/strings/BillingImport.1033.resx', module: 'pcf-controls/BillingImport/model/strings.1033.generated.ts' },
];

/** key -> value of a RESX file's <data> entries, entities decoded. */
export function parseResx(xml: string, file: string): Map<string, string> {
  const parsed = new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: '',
    parseTagValue: false,
    trimValues: false,
    isArray: (name) => name === 'data',
  }).parse(xml) as {
    root?: { data?: Array<{ name?: string; value?: unknown }> };
  };
  const out = new Map<string, string>();
  for (const entry of parsed.root?.data ?? []) {
    if (typeof entry.name !== 'string') throw new Error(`${file}: a <data> element has no name`);
    const value = entry.value === undefined ? '' : String(entry.value);
    if (out.has(entry.name)) throw new Error(`${file}: key ${entry.name} appears twice`);
    out.set(entry.name, value);
  }
  return out;
}

export function englishStringsModule(xml: string, resx: string): string {
  const strings = parseResx(xml, resx);
  const lines = [...strings].map(([key, value]) => `  ${JSON.stringify(key)}: ${JSON.stringify(value)},`);
  return [
    `// Generated from ${resx} by \`npm run generate\`; do not edit.`,
    "/** The English form strings, the fallback when Dataverse has none for the user's language. */",
    'export const ENGLISH_STRINGS: Readonly<Record<string, string>> = {',
    ...lines,
    '};',
    '',
  ].join('\n');
}
