import type { ColumnDef, LookupColumn, TableDef, TableExtension } from '../schema/types';
import { primaryIdOf } from '../schema/types';
import { el, leaf, type XmlElement } from './xml';
import { attributeSettings, flag, INTRODUCED_VERSION, labelled, oneToManyXml, optionSetXml } from './export-parts';
import { systemAttributesXml } from './system-attributes';

/**
 * The `<Entity>` and `<EntityRelationship>` parts of customizations.xml for one table, laid out
 * the way Dataverse's own exports lay them out (compare
 * ../shared/samples/solutions/tactec-dev-powerapps-packed/customizations.xml).
 */

export { INTRODUCED_VERSION } from './export-parts';

const REQUIRED_LEVEL: Record<ColumnDef['required'], string> = {
  none: 'none',
  recommended: 'recommended',
  required: 'required',
};

/** Settings every custom column carries in an export; values are the defaults of the maker portal. */
function commonColumnSettings(column: ColumnDef, isPrimaryName: boolean): XmlElement[] {
  const mask = isPrimaryName ? 'PrimaryName|ValidForAdvancedFind|ValidForForm|ValidForGrid|RequiredForForm' : 'ValidForAdvancedFind|ValidForForm|ValidForGrid';
  return attributeSettings({
    requiredLevel: REQUIRED_LEVEL[column.required],
    displayMask: mask,
    validForUpdateApi: !column.readOnly,
    validForCreateApi: !column.readOnly,
    customField: !column.platform,
    audited: true,
    canModifyRequirementLevel: true,
    searchable: isPrimaryName,
    filterable: true,
    retrievable: true,
  });
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
    case 'money':
      // Accuracy 4 with AccuracySource 0: four decimals whatever the currency's own precision,
      // because Microsoft's unit prices and exchange rates carry four.
      return [leaf('MinValue', '-922337203685477.0000'), leaf('MaxValue', '922337203685477.0000'), leaf('Accuracy', 4), leaf('AccuracySource', 0)];
    case 'decimal':
      return [leaf('MinValue', column.min), leaf('MaxValue', column.max), leaf('Accuracy', column.precision)];
    case 'memo':
      return [leaf('Format', 'text'), leaf('MaxLength', column.maxLength), leaf('Length', column.maxLength * 2)];
    case 'boolean':
      return [
        leaf('AppDefaultValue', column.defaultValue ? 1 : 0),
        el(
          'optionset',
          { Name: `${column.logicalName}_options` },
          leaf('OptionSetType', 'bit'),
          leaf('IntroducedVersion', INTRODUCED_VERSION),
          flag('IsCustomizable', true),
          labelled('displaynames', 'displayname', column.displayName),
          labelled('Descriptions', 'Description', column.description),
          el(
            'options',
            null,
            el('option', { value: 1 }, labelled('labels', 'label', column.trueLabel)),
            el('option', { value: 0 }, labelled('labels', 'label', column.falseLabel)),
          ),
        ),
      ];
    case 'choice':
      return [
        ...(column.defaultValue === undefined ? [] : [leaf('AppDefaultValue', column.defaultValue)]),
        optionSetXml(
          column.optionSetName,
          'picklist',
          column.displayName,
          column.description,
          el(
            'options',
            null,
            column.options.map((o) => el('option', { value: o.value }, labelled('labels', 'label', o.label))),
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
  money: 'money',
  decimal: 'decimal',
  boolean: 'bit',
  memo: 'ntext',
};

function columnXml(table: { primaryName: { logicalName: string } | string }, column: ColumnDef): XmlElement {
  const primaryName = typeof table.primaryName === 'string' ? table.primaryName : table.primaryName.logicalName;
  return el(
    'attribute',
    { PhysicalName: column.schemaName },
    leaf('Type', XML_TYPE[column.type]),
    leaf('Name', column.logicalName),
    leaf('LogicalName', column.logicalName),
    commonColumnSettings(column, column.logicalName === primaryName),
    typeSpecific(column),
    column.calculationOf !== undefined && leaf('CalculationOf', column.calculationOf),
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
    leaf('HasRelatedNotes', table.notes ? 'True' : 'False'),
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
      el(
        'attributes',
        null,
        primaryKeyXml(table),
        table.columns.map((c) => columnXml(table, c)),
        systemAttributesXml(table),
      ),
      entitySettings(table),
      (table.keys ?? []).length > 0 &&
        el(
          'EntityKeys',
          null,
          (table.keys ?? []).map((key) =>
            el(
              'EntityKey',
              null,
              leaf('Name', key.schemaName),
              leaf('LogicalName', key.schemaName.toLowerCase()),
              leaf('IntroducedVersion', INTRODUCED_VERSION),
              flag('IsCustomizable', true),
              labelled('displaynames', 'displayname', key.displayName),
              el(
                'EntityKeyAttributes',
                null,
                key.columns.map((c) => leaf('AttributeName', c)),
              ),
            ),
          ),
        ),
    ),
  );
}

/**
 * `<EntityInfo>` for a table Dataverse already has: only our columns. On import, Dataverse adds
 * them to the existing table and leaves the table's own definition alone.
 */
export function extensionInfoXml(table: TableExtension): XmlElement {
  return el(
    'EntityInfo',
    null,
    el(
      'entity',
      { Name: table.schemaName, unmodified: '1' },
      el(
        'attributes',
        null,
        table.columns.map((c) => columnXml(table, c)),
      ),
    ),
  );
}

/** One `<EntityRelationship>` per lookup column: the many-to-one side lives on the referencing table. */
export function relationshipXml(table: { schemaName: string }, lookup: LookupColumn): XmlElement {
  const common = {
    name: lookup.relationshipName,
    referencing: table.schemaName,
    referenced: schemaNameOfTarget(lookup.target),
    attribute: lookup.schemaName,
    description: lookup.description,
    cascade: { delete: lookup.onDelete },
  };
  // A relationship Dataverse creates with the table (TransactionCurrency_<Table>) is exported as
  // not customizable, with no roles, CascadeRollupView or IsValidForAdvancedFind; its navigation
  // property is the platform's lowercase attribute name.
  if (lookup.platform) return oneToManyXml({ ...common, customizable: false });
  const roles = el(
    'EntityRelationshipRoles',
    null,
    el(
      'EntityRelationshipRole',
      null,
      leaf('NavPaneDisplayOption', 'UseCollectionName'),
      leaf('NavPaneArea', 'Details'),
      leaf('NavPaneOrder', 10000),
      leaf('NavigationPropertyName', lookup.navigationProperty),
      leaf('RelationshipRoleType', 1),
    ),
    el('EntityRelationshipRole', null, leaf('NavigationPropertyName', lookup.relationshipName), leaf('RelationshipRoleType', 0)),
  );
  return oneToManyXml({ ...common, customizable: true, custom: { roles } });
}

/** Referenced table as customizations.xml names it: system tables by their schema name. */
function schemaNameOfTarget(target: string): string {
  const system: Record<string, string> = { account: 'Account', contact: 'Contact', transactioncurrency: 'TransactionCurrency' };
  return system[target] ?? target;
}

export function lookupsOf(table: { columns: readonly ColumnDef[] }): LookupColumn[] {
  return table.columns.filter((c): c is LookupColumn => c.type === 'lookup');
}
