import type { ColumnDef, LookupColumn, TableDef } from '../schema/types';
import { primaryIdOf } from '../schema/types';
import { el, leaf, type XmlElement } from './xml';

/**
 * The `<Entity>` and `<EntityRelationship>` parts of customizations.xml for one table, laid out
 * the way Dataverse's own exports lay them out (compare
 * ../shared/samples/solutions/tactec-dev-powerapps-packed/customizations.xml).
 */

const LANG = '1033';
export const INTRODUCED_VERSION = '1.0.0.0';

const labelled = (wrapper: string, item: string, text: string): XmlElement =>
  el(wrapper, null, el(item, { description: text, languagecode: LANG }));

const flag = (name: string, on: boolean): XmlElement => leaf(name, on ? 1 : 0);

const REQUIRED_LEVEL: Record<ColumnDef['required'], string> = {
  none: 'none',
  recommended: 'recommended',
  required: 'required',
};

/** Settings every custom column carries in an export; values are the defaults of the maker portal. */
function commonColumnSettings(column: ColumnDef, isPrimaryName: boolean): XmlElement[] {
  const mask = isPrimaryName
    ? 'PrimaryName|ValidForAdvancedFind|ValidForForm|ValidForGrid|RequiredForForm'
    : 'ValidForAdvancedFind|ValidForForm|ValidForGrid';
  return [
    leaf('RequiredLevel', REQUIRED_LEVEL[column.required]),
    leaf('DisplayMask', mask),
    leaf('ImeMode', 'auto'),
    flag('ValidForUpdateApi', true),
    flag('ValidForReadApi', true),
    flag('ValidForCreateApi', true),
    flag('IsCustomField', true),
    flag('IsAuditEnabled', true),
    flag('IsSecured', false),
    leaf('IntroducedVersion', INTRODUCED_VERSION),
    flag('IsCustomizable', true),
    flag('IsRenameable', true),
    flag('CanModifySearchSettings', true),
    flag('CanModifyRequirementLevelSettings', true),
    flag('CanModifyAdditionalSettings', true),
    leaf('SourceType', 0),
    flag('IsGlobalFilterEnabled', false),
    flag('IsSortableEnabled', false),
    flag('CanModifyGlobalFilterSettings', true),
    flag('CanModifyIsSortableSettings', true),
    flag('IsDataSourceSecret', false),
    el('AutoNumberFormat', null, ''),
    flag('IsSearchable', isPrimaryName),
    flag('IsFilterable', true),
    flag('IsRetrievable', true),
    flag('IsLocalizable', false),
  ];
}

function typeSpecific(column: ColumnDef): XmlElement[] {
  switch (column.type) {
    case 'text':
      return [leaf('Format', 'text'), leaf('MaxLength', column.maxLength), leaf('Length', column.maxLength * 2)];
    case 'wholeNumber':
      return [leaf('Format', 'none'), leaf('MinValue', column.min), leaf('MaxValue', column.max)];
    case 'dateOnly':
      // Behavior 2 = DateOnly: stored and returned as a calendar date, never shifted by time zone.
      return [leaf('Format', 'date'), flag('CanChangeDateTimeBehavior', false), leaf('Behavior', 2)];
    case 'lookup':
      return [leaf('LookupStyle', 'single'), el('LookupTypes')];
    case 'choice':
      return [
        ...(column.defaultValue === undefined ? [] : [leaf('AppDefaultValue', column.defaultValue)]),
        el(
          'optionset',
          { Name: column.optionSetName },
          leaf('OptionSetType', 'picklist'),
          leaf('IntroducedVersion', INTRODUCED_VERSION),
          flag('IsCustomizable', true),
          labelled('displaynames', 'displayname', column.displayName),
          labelled('Descriptions', 'Description', column.description),
          el(
            'options',
            null,
            column.options.map((o) =>
              el('option', { value: o.value }, labelled('labels', 'label', o.label)),
            ),
          ),
        ),
      ];
  }
}

const XML_TYPE: Record<ColumnDef['type'], string> = {
  text: 'nvarchar',
  wholeNumber: 'int',
  dateOnly: 'datetime',
  lookup: 'lookup',
  choice: 'picklist',
};

function columnXml(table: TableDef, column: ColumnDef): XmlElement {
  return el(
    'attribute',
    { PhysicalName: column.schemaName },
    leaf('Type', XML_TYPE[column.type]),
    leaf('Name', column.logicalName),
    leaf('LogicalName', column.logicalName),
    commonColumnSettings(column, column.logicalName === table.primaryName.logicalName),
    typeSpecific(column),
    labelled('displaynames', 'displayname', column.displayName),
    labelled('Descriptions', 'Description', column.description),
  );
}

function primaryKeyXml(table: TableDef): XmlElement {
  const id = primaryIdOf(table);
  return el(
    'attribute',
    { PhysicalName: `${table.schemaName}Id` },
    leaf('Type', 'primarykey'),
    leaf('Name', id),
    leaf('LogicalName', id),
    leaf('RequiredLevel', 'systemrequired'),
    leaf('DisplayMask', 'ValidForAdvancedFind|RequiredForGrid'),
    leaf('ImeMode', 'auto'),
    flag('ValidForReadApi', true),
    flag('ValidForCreateApi', true),
    flag('IsCustomField', false),
    flag('IsAuditEnabled', false),
    flag('IsSecured', false),
    leaf('IntroducedVersion', INTRODUCED_VERSION),
    flag('IsCustomizable', true),
    flag('IsRenameable', true),
    flag('CanModifySearchSettings', true),
    flag('CanModifyRequirementLevelSettings', false),
    flag('CanModifyAdditionalSettings', true),
    leaf('SourceType', 0),
    labelled('displaynames', 'displayname', table.displayName),
    labelled('Descriptions', 'Description', 'Unique identifier for entity instances'),
  );
}

/** `<entity>` settings: a plain user-owned business table, audited, no activities or notes. */
function entitySettings(table: TableDef): XmlElement[] {
  return [
    leaf('EntitySetName', table.entitySetName),
    flag('IsDuplicateCheckSupported', true),
    flag('IsBusinessProcessEnabled', false),
    flag('IsRequiredOffline', false),
    flag('IsInteractionCentricEnabled', false),
    flag('IsCollaboration', false),
    flag('AutoRouteToOwnerQueue', false),
    flag('IsConnectionsEnabled', false),
    flag('IsDocumentManagementEnabled', false),
    flag('IsOneNoteIntegrationEnabled', false),
    flag('IsKnowledgeManagementEnabled', false),
    flag('IsSLAEnabled', false),
    flag('IsDocumentRecommendationsEnabled', false),
    flag('IsBPFEntity', false),
    leaf('OwnershipTypeMask', table.ownership),
    flag('IsAuditEnabled', true),
    flag('IsRetrieveAuditEnabled', false),
    flag('IsRetrieveMultipleAuditEnabled', false),
    flag('IsActivity', false),
    flag('IsActivityParty', false),
    flag('IsReplicated', false),
    flag('IsReplicationUserFiltered', false),
    flag('IsMailMergeEnabled', false),
    flag('IsVisibleInMobile', false),
    flag('IsVisibleInMobileClient', true),
    flag('IsReadOnlyInMobileClient', false),
    flag('IsOfflineInMobileClient', false),
    leaf('DaysSinceRecordLastModified', 0),
    flag('IsMapiGridEnabled', true),
    flag('IsReadingPaneEnabled', true),
    flag('IsQuickCreateEnabled', false),
    flag('SyncToExternalSearchIndex', false),
    leaf('IntroducedVersion', INTRODUCED_VERSION),
    flag('IsCustomizable', true),
    flag('IsRenameable', true),
    flag('IsMappable', true),
    flag('CanModifyAuditSettings', true),
    flag('CanModifyMobileVisibility', true),
    flag('CanModifyMobileClientVisibility', true),
    flag('CanModifyMobileClientReadOnly', true),
    flag('CanModifyMobileClientOffline', true),
    flag('CanModifyConnectionSettings', true),
    flag('CanModifyDuplicateDetectionSettings', true),
    flag('CanModifyMailMergeSettings', true),
    flag('CanModifyQueueSettings', true),
    flag('CanCreateAttributes', true),
    flag('CanCreateForms', true),
    flag('CanCreateCharts', true),
    flag('CanCreateViews', true),
    flag('CanModifyAdditionalSettings', true),
    flag('CanEnableSyncToExternalSearchIndex', true),
    flag('EnforceStateTransitions', false),
    flag('CanChangeHierarchicalRelationship', true),
    flag('EntityHelpUrlEnabled', false),
    flag('ChangeTrackingEnabled', true),
    flag('CanChangeTrackingBeEnabled', true),
    flag('IsEnabledForExternalChannels', false),
  ];
}

/**
 * `<EntityInfo>` for a table: names, columns and settings. Forms, views and ribbon are added
 * by the solution builder, which owns the hand-kept UI definitions.
 */
export function entityInfoXml(table: TableDef): XmlElement {
  return el(
    'EntityInfo',
    null,
    el(
      'entity',
      { Name: table.schemaName },
      labelled('LocalizedNames', 'LocalizedName', table.displayName),
      labelled('LocalizedCollectionNames', 'LocalizedCollectionName', table.pluralName),
      labelled('Descriptions', 'Description', table.description),
      el('attributes', null, primaryKeyXml(table), table.columns.map((c) => columnXml(table, c))),
      entitySettings(table),
    ),
  );
}

/** One `<EntityRelationship>` per lookup column: the many-to-one side lives on the referencing table. */
export function relationshipXml(table: TableDef, lookup: LookupColumn): XmlElement {
  return el(
    'EntityRelationship',
    { Name: lookup.relationshipName },
    leaf('EntityRelationshipType', 'OneToMany'),
    flag('IsCustomizable', true),
    leaf('IntroducedVersion', INTRODUCED_VERSION),
    flag('IsHierarchical', false),
    leaf('ReferencingEntityName', table.schemaName),
    leaf('ReferencedEntityName', lookup.target === 'account' ? 'Account' : lookup.target),
    leaf('CascadeAssign', 'NoCascade'),
    leaf('CascadeDelete', lookup.onDelete),
    leaf('CascadeReparent', 'NoCascade'),
    leaf('CascadeShare', 'NoCascade'),
    leaf('CascadeUnshare', 'NoCascade'),
    leaf('CascadeRollupView', 'NoCascade'),
    flag('IsValidForAdvancedFind', true),
    leaf('ReferencingAttributeName', lookup.schemaName),
    el('RelationshipDescription', null, labelled('Descriptions', 'Description', lookup.description)),
    el(
      'EntityRelationshipRoles',
      null,
      el(
        'EntityRelationshipRole',
        null,
        leaf('NavPaneDisplayOption', 'UseCollectionName'),
        leaf('NavPaneArea', 'Details'),
        leaf('NavPaneOrder', 10000),
        leaf('NavigationPropertyName', lookup.logicalName),
        leaf('RelationshipRoleType', 1),
      ),
      el(
        'EntityRelationshipRole',
        null,
        leaf('NavigationPropertyName', lookup.relationshipName),
        leaf('RelationshipRoleType', 0),
      ),
    ),
  );
}

export function lookupsOf(table: TableDef): LookupColumn[] {
  return table.columns.filter((c): c is LookupColumn => c.type === 'lookup');
}
