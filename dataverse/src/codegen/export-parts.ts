import { el, leaf, type XmlElement } from './xml';

/**
 * Pieces of customizations.xml that custom columns, platform columns and system relationships all
 * write the same way, in the order real exports write them
 * (../shared/samples/solutions/tactec-dev-powerapps-packed/customizations.xml).
 */

export const LANG = '1033';
export const INTRODUCED_VERSION = '1.0.0.0';

export const flag = (name: string, on: boolean): XmlElement => leaf(name, on ? 1 : 0);

export const labelled = (wrapper: string, item: string, text: string): XmlElement => el(wrapper, null, el(item, { description: text, languagecode: LANG }));

/** What differs between one `<attribute>`'s settings and another's; everything else is the same in every export. */
export interface AttributeSettings {
  readonly requiredLevel: string;
  readonly displayMask: string;
  /** undefined: the element is left out, as exports leave it out for system columns that take no updates. */
  readonly validForUpdateApi: boolean | undefined;
  readonly validForCreateApi: boolean | undefined;
  readonly customField: boolean;
  readonly audited: boolean;
  readonly canModifyRequirementLevel: boolean;
  readonly searchable: boolean;
  readonly filterable: boolean;
  readonly retrievable: boolean;
}

export function attributeSettings(s: AttributeSettings): XmlElement[] {
  return [
    leaf('RequiredLevel', s.requiredLevel),
    leaf('DisplayMask', s.displayMask),
    leaf('ImeMode', 'auto'),
    s.validForUpdateApi !== undefined && flag('ValidForUpdateApi', s.validForUpdateApi),
    flag('ValidForReadApi', true),
    s.validForCreateApi !== undefined && flag('ValidForCreateApi', s.validForCreateApi),
    flag('IsCustomField', s.customField),
    flag('IsAuditEnabled', s.audited),
    flag('IsSecured', false),
    leaf('IntroducedVersion', INTRODUCED_VERSION),
    flag('IsCustomizable', true),
    flag('IsRenameable', true),
    flag('CanModifySearchSettings', true),
    flag('CanModifyRequirementLevelSettings', s.canModifyRequirementLevel),
    flag('CanModifyAdditionalSettings', true),
    leaf('SourceType', 0),
    flag('IsGlobalFilterEnabled', false),
    flag('IsSortableEnabled', false),
    flag('CanModifyGlobalFilterSettings', true),
    flag('CanModifyIsSortableSettings', true),
    flag('IsDataSourceSecret', false),
    el('AutoNumberFormat', null, ''),
    flag('IsSearchable', s.searchable),
    flag('IsFilterable', s.filterable),
    flag('IsRetrievable', s.retrievable),
    flag('IsLocalizable', false),
  ].filter((e): e is XmlElement => e !== false);
}

export interface Cascades {
  readonly assign?: string;
  readonly delete?: string;
  readonly reparent?: string;
  readonly share?: string;
  readonly unshare?: string;
}

export interface OneToMany {
  readonly name: string;
  readonly referencing: string;
  readonly referenced: string;
  readonly attribute: string;
  readonly description: string;
  readonly customizable: boolean;
  readonly cascade?: Cascades;
  /** Custom relationships only: CascadeRollupView and IsValidForAdvancedFind, and the two roles. */
  readonly custom?: { readonly roles: XmlElement };
}

/** One `<EntityRelationship>` (many-to-one seen from the referencing table). */
export function oneToManyXml(r: OneToMany): XmlElement {
  const c = r.cascade ?? {};
  return el(
    'EntityRelationship',
    { Name: r.name },
    leaf('EntityRelationshipType', 'OneToMany'),
    flag('IsCustomizable', r.customizable),
    leaf('IntroducedVersion', INTRODUCED_VERSION),
    flag('IsHierarchical', false),
    leaf('ReferencingEntityName', r.referencing),
    leaf('ReferencedEntityName', r.referenced),
    leaf('CascadeAssign', c.assign ?? 'NoCascade'),
    leaf('CascadeDelete', c.delete ?? 'NoCascade'),
    leaf('CascadeReparent', c.reparent ?? 'NoCascade'),
    leaf('CascadeShare', c.share ?? 'NoCascade'),
    leaf('CascadeUnshare', c.unshare ?? 'NoCascade'),
    r.custom !== undefined && leaf('CascadeRollupView', 'NoCascade'),
    r.custom !== undefined && flag('IsValidForAdvancedFind', true),
    leaf('ReferencingAttributeName', r.attribute),
    el('RelationshipDescription', null, labelled('Descriptions', 'Description', r.description)),
    r.custom?.roles,
  );
}

/** A state or status option set, as every table's statecode / statuscode carries it. */
export function optionSetXml(name: string, type: 'picklist' | 'state' | 'status', display: string, description: string, values: XmlElement): XmlElement {
  return el(
    'optionset',
    { Name: name },
    leaf('OptionSetType', type),
    leaf('IntroducedVersion', INTRODUCED_VERSION),
    flag('IsCustomizable', true),
    labelled('displaynames', 'displayname', display),
    labelled('Descriptions', 'Description', description),
    values,
  );
}
