import type { TableDef } from '../schema/types';
import { el, leaf, type XmlElement } from './xml';

/**
 * The columns and relationships Dataverse gives every user-owned custom table, written as real
 * exports write them (../shared/samples/solutions/tactec-dev-powerapps-packed/customizations.xml,
 * entity cr97b_Project; the approvals kit's 32 tables carry the same set): who created and changed
 * a row and when, its owner (user or team) and owning business unit, its state and status reason,
 * and the time-zone and import bookkeeping. VersionNumber is never exported.
 */

const LANG = '1033';
const flag = (name: string, on: boolean): XmlElement => leaf(name, on ? 1 : 0);
const labelled = (wrapper: string, item: string, text: string): XmlElement => el(wrapper, null, el(item, { description: text, languagecode: LANG }));

type Kind = 'lookup' | 'datetime' | 'int' | 'owner' | 'state' | 'status';

interface SystemAttribute {
  readonly physical: string;
  readonly kind: Kind;
  readonly display: string;
  readonly description: string;
  readonly create: boolean;
  readonly update: boolean;
  readonly required?: 'systemrequired';
}

function attributes(table: TableDef): SystemAttribute[] {
  const name = table.displayName;
  return [
    { physical: 'CreatedBy', kind: 'lookup', display: 'Created By', description: 'Unique identifier of the user who created the record.', create: false, update: false },
    { physical: 'CreatedOn', kind: 'datetime', display: 'Created On', description: 'Date and time when the record was created.', create: false, update: false },
    { physical: 'CreatedOnBehalfBy', kind: 'lookup', display: 'Created By (Delegate)', description: 'Unique identifier of the delegate user who created the record.', create: false, update: false },
    { physical: 'ImportSequenceNumber', kind: 'int', display: 'Import Sequence Number', description: 'Sequence number of the import that created this record.', create: true, update: false },
    { physical: 'ModifiedBy', kind: 'lookup', display: 'Modified By', description: 'Unique identifier of the user who modified the record.', create: false, update: false },
    { physical: 'ModifiedOn', kind: 'datetime', display: 'Modified On', description: 'Date and time when the record was modified.', create: false, update: false },
    { physical: 'ModifiedOnBehalfBy', kind: 'lookup', display: 'Modified By (Delegate)', description: 'Unique identifier of the delegate user who modified the record.', create: false, update: false },
    { physical: 'OverriddenCreatedOn', kind: 'datetime', display: 'Record Created On', description: 'Date and time that the record was migrated.', create: true, update: false },
    { physical: 'OwnerId', kind: 'owner', display: 'Owner', description: 'Owner Id', create: true, update: true, required: 'systemrequired' },
    { physical: 'OwningBusinessUnit', kind: 'lookup', display: 'Owning Business Unit', description: 'Unique identifier for the business unit that owns the record', create: false, update: false },
    { physical: 'OwningTeam', kind: 'lookup', display: 'Owning Team', description: 'Unique identifier for the team that owns the record.', create: false, update: false },
    { physical: 'OwningUser', kind: 'lookup', display: 'Owning User', description: 'Unique identifier for the user that owns the record.', create: false, update: false },
    { physical: 'statecode', kind: 'state', display: 'Status', description: `Status of the ${name}`, create: false, update: true, required: 'systemrequired' },
    { physical: 'statuscode', kind: 'status', display: 'Status Reason', description: `Reason for the status of the ${name}`, create: true, update: true },
    { physical: 'TimeZoneRuleVersionNumber', kind: 'int', display: 'Time Zone Rule Version Number', description: 'For internal use only.', create: true, update: true },
    { physical: 'UTCConversionTimeZoneCode', kind: 'int', display: 'UTC Conversion Time Zone Code', description: 'Time zone code that was in use when the record was created.', create: true, update: true },
  ];
}

const TYPE: Record<Kind, string> = { lookup: 'lookup', datetime: 'datetime', int: 'int', owner: 'owner', state: 'state', status: 'status' };

function typeSpecific(table: TableDef, a: SystemAttribute): XmlElement[] {
  switch (a.kind) {
    case 'lookup':
      return [leaf('LookupStyle', 'single'), el('LookupTypes')];
    case 'owner':
      // 8 = systemuser, 9 = team: a row is owned by a user or a team.
      return [leaf('LookupStyle', 'single'), el('LookupTypes', null, el('LookupType', { id: '00000000-0000-0000-0000-000000000000' }, '8'), el('LookupType', { id: '00000000-0000-0000-0000-000000000000' }, '9'))];
    case 'datetime':
      return [leaf('Format', a.physical === 'OverriddenCreatedOn' ? 'date' : 'datetime'), flag('CanChangeDateTimeBehavior', false), leaf('Behavior', 1)];
    case 'int':
      return [leaf('Format', ''), leaf('MinValue', a.physical === 'ImportSequenceNumber' ? -2147483648 : -1), leaf('MaxValue', 2147483647)];
    case 'state':
      return [
        el(
          'optionset',
          { Name: `${table.logicalName}_statecode` },
          leaf('OptionSetType', 'state'),
          leaf('IntroducedVersion', '1.0.0.0'),
          flag('IsCustomizable', true),
          labelled('displaynames', 'displayname', a.display),
          labelled('Descriptions', 'Description', a.description),
          el(
            'states',
            null,
            el('state', { value: 0, defaultstatus: 1, invariantname: 'Active' }, labelled('labels', 'label', 'Active')),
            el('state', { value: 1, defaultstatus: 2, invariantname: 'Inactive' }, labelled('labels', 'label', 'Inactive')),
          ),
        ),
      ];
    case 'status':
      return [
        el(
          'optionset',
          { Name: `${table.logicalName}_statuscode` },
          leaf('OptionSetType', 'status'),
          leaf('IntroducedVersion', '1.0.0.0'),
          flag('IsCustomizable', true),
          labelled('displaynames', 'displayname', a.display),
          labelled('Descriptions', 'Description', a.description),
          el(
            'statuses',
            null,
            el('status', { value: 1, state: 0 }, labelled('labels', 'label', 'Active')),
            el('status', { value: 2, state: 1 }, labelled('labels', 'label', 'Inactive')),
          ),
        ),
      ];
  }
}

export function systemAttributesXml(table: TableDef): XmlElement[] {
  return attributes(table).map((a) =>
    el(
      'attribute',
      { PhysicalName: a.physical },
      leaf('Type', TYPE[a.kind]),
      leaf('Name', a.physical.toLowerCase()),
      leaf('LogicalName', a.physical.toLowerCase()),
      leaf('RequiredLevel', a.required ?? 'none'),
      leaf('DisplayMask', a.kind === 'owner' ? 'ValidForAdvancedFind|ValidForForm|ValidForGrid|RequiredForForm' : 'ValidForAdvancedFind|ValidForForm|ValidForGrid'),
      leaf('ImeMode', 'auto'),
      a.update && flag('ValidForUpdateApi', true),
      flag('ValidForReadApi', true),
      a.create && flag('ValidForCreateApi', true),
      flag('IsCustomField', false),
      flag('IsAuditEnabled', a.kind === 'owner' || a.kind === 'state' || a.kind === 'status'),
      flag('IsSecured', false),
      leaf('IntroducedVersion', '1.0.0.0'),
      flag('IsCustomizable', true),
      flag('IsRenameable', true),
      flag('CanModifySearchSettings', true),
      flag('CanModifyRequirementLevelSettings', a.required === undefined),
      flag('CanModifyAdditionalSettings', true),
      leaf('SourceType', 0),
      flag('IsGlobalFilterEnabled', false),
      flag('IsSortableEnabled', false),
      flag('CanModifyGlobalFilterSettings', true),
      flag('CanModifyIsSortableSettings', true),
      flag('IsDataSourceSecret', false),
      el('AutoNumberFormat', null, ''),
      flag('IsSearchable', false),
      flag('IsFilterable', a.kind === 'owner' || a.kind === 'state'),
      flag('IsRetrievable', false),
      flag('IsLocalizable', false),
      typeSpecific(table, a),
      labelled('displaynames', 'displayname', a.display),
      labelled('Descriptions', 'Description', a.description),
    ),
  );
}

/**
 * The system relationships exports carry for a user-owned table: its business unit, owner, owning
 * team and user, creator and last modifier. No roles, no CascadeRollupView, as exported.
 */
export function systemRelationshipsXml(table: TableDef): XmlElement[] {
  const t = table.logicalName;
  const rel = (name: string, referenced: string, attribute: string, description: string, cascade: { assign?: string; delete?: string; reparent?: string; share?: string; unshare?: string } = {}) =>
    el(
      'EntityRelationship',
      { Name: name },
      leaf('EntityRelationshipType', 'OneToMany'),
      flag('IsCustomizable', true),
      leaf('IntroducedVersion', '1.0.0.0'),
      flag('IsHierarchical', false),
      leaf('ReferencingEntityName', table.schemaName),
      leaf('ReferencedEntityName', referenced),
      leaf('CascadeAssign', cascade.assign ?? 'NoCascade'),
      leaf('CascadeDelete', cascade.delete ?? 'NoCascade'),
      leaf('CascadeReparent', cascade.reparent ?? 'NoCascade'),
      leaf('CascadeShare', cascade.share ?? 'NoCascade'),
      leaf('CascadeUnshare', cascade.unshare ?? 'NoCascade'),
      leaf('ReferencingAttributeName', attribute),
      el('RelationshipDescription', null, labelled('Descriptions', 'Description', description)),
    );
  return [
    rel(`business_unit_${t}`, 'BusinessUnit', 'OwningBusinessUnit', 'Unique identifier for the business unit that owns the record'),
    rel(`lk_${t}_createdby`, 'SystemUser', 'CreatedBy', 'Unique identifier of the user who created the record.'),
    rel(`lk_${t}_modifiedby`, 'SystemUser', 'ModifiedBy', 'Unique identifier of the user who modified the record.'),
    rel(`owner_${t}`, 'Owner', 'OwnerId', 'Owner Id'),
    rel(`team_${t}`, 'Team', 'OwningTeam', 'Unique identifier for the team that owns the record.'),
    rel(`user_${t}`, 'SystemUser', 'OwningUser', 'Unique identifier for the user that owns the record.'),
  ];
}
