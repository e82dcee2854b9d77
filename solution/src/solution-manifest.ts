import { el, leaf, renderXml } from '../../dataverse/src/codegen/xml';
import type { SolutionInput } from './artifacts';
import { LANGUAGE_CODE, PUBLISHER, SOLUTION } from './publisher';

/** Root component types of solution.xml (Dataverse componenttype values). */
export const COMPONENT_TYPE = { entity: 1, webResource: 61, customControl: 66 } as const;

const localized = (wrapper: string, item: string, text: string) =>
  el(wrapper, null, el(item, { description: text, languagecode: LANGUAGE_CODE }));

/**
 * Root component behaviour: 0 includes the whole table; 2 ships an existing table as a shell
 * carrying only the columns we add (importing never overwrites Dataverse's account).
 */
export function rootComponentsOf(input: SolutionInput): Array<{ type: number; schemaName: string; behavior: number }> {
  return [
    ...input.tableParts.map((t) => ({ type: COMPONENT_TYPE.entity, schemaName: t.logicalName, behavior: t.existing ? 2 : 0 })),
    ...input.webResources.map((w) => ({ type: COMPONENT_TYPE.webResource, schemaName: w.name, behavior: 0 })),
    ...input.controls.map((c) => ({ type: COMPONENT_TYPE.customControl, schemaName: c.name, behavior: 0 })),
  ];
}

export function solutionXml(input: SolutionInput): string {
  const root = el(
    'ImportExportXml',
    { version: '9.2.0.0', SolutionPackageVersion: '9.2', languagecode: LANGUAGE_CODE, generatedBy: 'CrmLive', 'xmlns:xsi': 'http://www.w3.org/2001/XMLSchema-instance' },
    el(
      'SolutionManifest',
      null,
      leaf('UniqueName', SOLUTION.uniqueName),
      localized('LocalizedNames', 'LocalizedName', SOLUTION.displayName),
      localized('Descriptions', 'Description', SOLUTION.description),
      leaf('Version', input.version),
      leaf('Managed', input.managed ? 1 : 0),
      el(
        'Publisher',
        null,
        leaf('UniqueName', PUBLISHER.uniqueName),
        localized('LocalizedNames', 'LocalizedName', PUBLISHER.displayName),
        localized('Descriptions', 'Description', PUBLISHER.description),
        el('EMailAddress', { 'xsi:nil': 'true' }),
        el('SupportingWebsiteUrl', { 'xsi:nil': 'true' }),
        leaf('CustomizationPrefix', PUBLISHER.prefix),
        leaf('CustomizationOptionValuePrefix', PUBLISHER.optionValuePrefix),
        el('Addresses'),
      ),
      el(
        'RootComponents',
        null,
        rootComponentsOf(input).map((c) => el('RootComponent', { type: c.type, schemaName: c.schemaName, behavior: c.behavior })),
      ),
      el('MissingDependencies'),
    ),
  );
  return renderXml(root, { declaration: true });
}
