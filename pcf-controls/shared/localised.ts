/**
 * A control's strings: the user's language from the platform's RESX, else English. The PCF
 * localization page (learn.microsoft.com/power-apps/developer/component-framework/sample-controls/localization-api-control)
 * documents only the language that has a RESX; for one that has none the web resource page says
 * getResourceString throws, so a throw, an empty answer or the key itself handed back all mean
 * "no string" here, and the English one, generated from the control's 1033 RESX, is shown.
 */
export function localised(getString: (key: string) => string, english: Readonly<Record<string, string>>): (key: string) => string {
  return (key) => {
    let value: string | undefined;
    try {
      value = getString(key);
    } catch {
      value = undefined;
    }
    return value && value !== key ? value : (english[key] ?? key);
  };
}
