import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

/** The key -> value map of a RESX file (what Dataverse serves getResourceString from). */
export function readResx(lcid: 1033 | 1036): Map<string, string> {
  const xml = readFileSync(resolve(__dirname, `../../../webresources/strings/forms.${lcid}.resx`), 'utf8');
  const out = new Map<string, string>();
  for (const m of xml.matchAll(/<data name="([^"]+)"[^>]*>\s*<value>([\s\S]*?)<\/value>/g)) {
    out.set(m[1] as string, (m[2] as string).replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&amp;/g, '&'));
  }
  return out;
}

/** Makes Xrm.Utility.getResourceString answer from the RESX of a language, as Dataverse would for that user. */
export function useLanguage(lcid: 1033 | 1036): Map<string, string> {
  const strings = readResx(lcid);
  const utility = Xrm.Utility as unknown as Record<string, unknown>;
  utility['getResourceString'] = (resource: string, key: string) => {
    if (resource !== 'cspb_/strings/forms') throw new Error(`${resource} does not exist.`);
    return strings.get(key) ?? null;
  };
  return strings;
}
