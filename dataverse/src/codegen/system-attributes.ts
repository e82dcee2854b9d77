import type { TableDef } from '../schema/types';
import { el, leaf, type XmlElement } from './xml';
import { attributeSettings, flag, labelled, oneToManyXml, optionSetXml, type Cascades } from './export-parts';

/**
 * The columns and relationships Dataverse gives every user-owned custom table, written as real
 * exports write them (../shared/samples/solutions/tactec-dev-powerapps-packed/customizations.xml,
 * entity cr97b_Project; the approvals kit's 32 tables carry the same set): who created and changed
 * a row and when, its owner (user or team) and owning business unit, its state and status reason,
 * and the time-zone and import bookkeeping. VersionNumber is never exported.
 */

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
    {
      physical: 'CreatedBy',
      kind: 'lookup',
      display: 'Created By',
      description: 'Unique identifier of the user who created the record.',
      create: false,
      update: false,
    },
    { physical: 'CreatedOn', kind: 'datetime', display: 'Created On', description: 'Date and time when the record was created.', create: false, update: false },
    {
      physical: 'CreatedOnBehalfBy',
      kind: 'lookup',
      display: 'Created By (Delegate)',
      description: 'Unique identifier of the delegate user who created the record.',
      create: false,
      update: false,
    },
    {
      physical: 'ImportSequenceNumber',
      kind: 'int',
      display: 'Import Sequence Number',
      description: 'Sequence number of the import that created this record.',
      create: true,
      update: false,
    },
    {
      physical: 'ModifiedBy',
      kind: 'lookup',
      display: 'Modified By',
      description: 'Unique identifier of the user who modified the record.',
      create: false,
      update: false,
    },
    {
      physical: 'ModifiedOn',
      kind: 'datetime',
      display: 'Modified On',
      description: 'Date and time when the record was modified.',
      create: false,
      update: false,
    },
    {
      physical: 'ModifiedOnBehalfBy',
      kind: 'lookup',
      display: 'Modified By (Delegate)',
      description: 'Unique identifier of the delegate user who modified the record.',
      create: false,
      update: false,
    },
    {
      physical: 'OverriddenCreatedOn',
      kind: 'datetime',
      display: 'Record Created On',
      description: 'Date and time that the record was migrated.',
      create: true,
      update: false,
    },
    { physical: 'OwnerId', kind: 'owner', display: 'Owner', description: 'Owner Id', create: true, update: true, required: 'systemrequired' },
    {
      physical: 'OwningBusinessUnit',
      kind: 'lookup',
      display: 'Owning Business Unit',
      description: 'Unique identifier for the business unit that owns the record',
      create: false,
      update: false,
    },
    {
      physical: 'OwningTeam',
      kind: 'lookup',
      display: 'Owning Team',
      description: 'Unique identifier for the team that owns the record.',
      create: false,
      update: false,
    },
    {
      physical: 'OwningUser',
      kind: 'lookup',
      display: 'Owning User',
      description: 'Unique identifier for the user that owns the record.',
      create: false,
      update: false,
    },
    { physical: 'statecode', kind: 'state', display: 'Status', description: `Status of the ${name}`, create: false, update: true, required: 'systemrequired' },
    { physical: 'statuscode', kind: 'status', display: 'Status Reason', description: `Reason for the status of the ${name}`, create: true, update: true },
    {
      physical: 'TimeZoneRuleVersionNumber',
      kind: 'int',
      display: 'Time Zone Rule Version Number',
      description: 'For internal use only.',
      create: true,
      update: true,
    },
    {
      physical: 'UTCConversionTimeZoneCode',
      kind: 'int',
      display: 'UTC Conversion Time Zone Code',
      description: 'Time zone code that was in use when the record was created.',
      create: true,
      update: true,
    },
  ];
}

const TYPE: Record<Kind, string> = { lookup: 'lookup', datetime: 'datetime', int: 'int', owner: 'owner', state: 'state', status: 'status' };

function typeSpecific(table: TableDef, a: SystemAttribute): XmlElement[] {
  switch (a.kind) {
    case 'lookup':
      return [leaf('LookupStyle', 'single'), el('LookupTypes')];
    case 'owner':
      // 8 = systemuser, 9 = team: a row is owned by a user or a team.
      return [
        leaf('LookupStyle', 'single'),
        el(
          'LookupTypes',
          null,
          el('LookupType', { id: '00000000-0000-0000-0000-000000000000' }, '8'),
          el('LookupType', { id: '00000000-0000-0000-0000-000000000000' }, '9'),
        ),
      ];
    case 'datetime':
      return [leaf('Format', a.physical === 'OverriddenCreatedOn' ? 'date' : 'datetime'), flag('CanChangeDateTimeBehavior', false), leaf('Behavior', 1)];
    case 'int':
      return [leaf('Format', ''), leaf('MinValue', a.physical === 'ImportSequenceNumber' ? -2147483648 : -1), leaf('MaxValue', 2147483647)];
    case 'state':
      return [
        optionSetXml(
          `${table.logicalName}_statecode`,
          'state',
          a.display,
          a.description,
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
        optionSetXml(
          `${table.logicalName}_statuscode`,
          'status',
          a.display,
          a.description,
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
      attributeSettings({
        requiredLevel: a.required ?? 'none',
        displayMask: a.kind === 'owner' ? 'ValidForAdvancedFind|ValidForForm|ValidForGrid|RequiredForForm' : 'ValidForAdvancedFind|ValidForForm|ValidForGrid',
        validForUpdateApi: a.update ? true : undefined,
        validForCreateApi: a.create ? true : undefined,
        customField: false,
        audited: a.kind === 'owner' || a.kind === 'state' || a.kind === 'status',
        canModifyRequirementLevel: a.required === undefined,
        searchable: false,
        filterable: a.kind === 'owner' || a.kind === 'state',
        retrievable: false,
      }),
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
  const rel = (name: string, referenced: string, attribute: string, description: string, cascade: Cascades = {}) =>
    oneToManyXml({ name, referencing: table.schemaName, referenced, attribute, description, customizable: true, cascade });
  return [
    rel(`business_unit_${t}`, 'BusinessUnit', 'OwningBusinessUnit', 'Unique identifier for the business unit that owns the record'),
    rel(`lk_${t}_createdby`, 'SystemUser', 'CreatedBy', 'Unique identifier of the user who created the record.'),
    rel(`lk_${t}_modifiedby`, 'SystemUser', 'ModifiedBy', 'Unique identifier of the user who modified the record.'),
    rel(`owner_${t}`, 'Owner', 'OwnerId', 'Owner Id'),
    rel(`team_${t}`, 'Team', 'OwningTeam', 'Unique identifier for the team that owns the record.'),
    rel(`user_${t}`, 'SystemUser', 'OwningUser', 'Unique identifier for the user that owns the record.'),
  ];
}
