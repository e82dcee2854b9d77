import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

/** The key -> value map of a RESX file (what Dataverse serves getResourceString from). */
export function readResx(lcid: 1033 | 1036): Map<string, string> {
  const xml = readFileSync(resolve(__dirname, `../../../webresources/strings/forms.${lcid}.resx`), 'utf8');
  const out = new Map<string, string>();
  for (const m of xml.matchAll(/<data name="([^"]+)"[^>]*>\s*<value>([\s\S]*?)<\/value>/g)) {
    out.set(
      m[1] as string,
      (m[2] as string)
        .replace(/&lt;/g, '<')
        .replace(/&gt;/g, '>')
        .replace(/&quot;/g, '"')
        .replace(/&amp;/g, '&'),
    );
  }
  return out;
}

/** The languages the solution ships a RESX for. */
export const SHIPPED_LANGUAGES = [1033, 1036] as const;

/**
 * Makes Xrm.Utility.getResourceString answer as Dataverse does for a user of that language
 * (learn.microsoft.com/power-apps/developer/model-driven-apps/clientapi/reference/xrm-utility/getresourcestring):
 * from the RESX of the language; null for a key it lacks; and when no RESX matches the user's LCID,
 * the exception "<name> does not exist.". `without` drops keys, as a RESX behind the code would.
 * The user's language is also userSettings.languageId, the locale the scripts format amounts and
 * dates in (learn.microsoft.com/power-apps/developer/model-driven-apps/clientapi/reference/xrm-utility/getglobalcontext/usersettings).
 */
export function useLanguage(lcid: number, options: { without?: readonly string[] } = {}): Map<string, string> {
  (Xrm.Utility.getGlobalContext().userSettings as { languageId: number }).languageId = lcid;
  const shipped = (SHIPPED_LANGUAGES as readonly number[]).includes(lcid);
  const strings = shipped ? readResx(lcid as 1033 | 1036) : new Map<string, string>();
  for (const key of options.without ?? []) strings.delete(key);
  const utility = Xrm.Utility as unknown as Record<string, unknown>;
  utility['getResourceString'] = (resource: string, key: string) => {
    if (resource !== 'cspb_/strings/forms' || !shipped) throw new Error(`${resource} does not exist.`);
    return strings.get(key) ?? null;
  };
  return strings;
}
