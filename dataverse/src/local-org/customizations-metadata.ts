import { XMLParser } from 'fast-xml-parser';
import { entityInfoXml, extensionInfoXml, lookupsOf, relationshipXml } from '../codegen/entity-xml';
import { renderXml } from '../codegen/xml';
import type { ChoiceOption, ColumnDef, LookupColumn, RequiredLevel, TableDef, TableExtension, TextColumn } from '../schema/types';

/**
 * The local org's metadata read from a solution's customizations.xml: entity sets, columns with
 * their types, lengths, ranges and options, alternate keys, and each lookup's target, delete
 * behaviour and navigation property from its <EntityRelationship>. What the org enforces is then
 * what the solution we ship declares, so code that binds a navigation property the XML names
 * differently (case included) fails here as it would in Dataverse.
 *
 * Tables the solution only extends (account, `unmodified="1"`) carry just our columns; what
 * Dataverse itself defines for them is below.
 */
const SYSTEM_TABLES: Readonly<Record<string, { entitySetName: string; primaryId: string; primaryName: string; displayName: string }>> = {
  account: { entitySetName: 'accounts', primaryId: 'accountid', primaryName: 'name', displayName: 'Account' },
  transactioncurrency: { entitySetName: 'transactioncurrencies', primaryId: 'transactioncurrencyid', primaryName: 'currencyname', displayName: 'Currency' },
};

export class CustomizationsError extends Error {
  constructor(message: string) {
    super(`customizations.xml: ${message}`);
    this.name = 'CustomizationsError';
  }
}

type Node = Record<string, unknown>;

const ARRAYS = new Set([
  'Entity',
  'attribute',
  'option',
  'EntityKey',
  'AttributeName',
  'EntityRelationship',
  'EntityRelationshipRole',
  'displayname',
  'Description',
  'label',
]);

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  isArray: (name) => ARRAYS.has(name),
});

const list = (value: unknown): Node[] => (Array.isArray(value) ? (value as Node[]) : value === undefined || value === '' ? [] : [value as Node]);
const child = (node: Node | undefined, name: string): Node | undefined => {
  const v = node?.[name];
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Node) : undefined;
};
const text = (node: Node | undefined, name: string): string | undefined => {
  const v = node?.[name];
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'object') return typeof (v as Node)['#text'] === 'string' ? ((v as Node)['#text'] as string) : undefined;
  return String(v);
};
const attr = (node: Node | undefined, name: string): string | undefined => {
  const v = node?.[`@${name}`];
  return v === undefined ? undefined : String(v);
};
const num = (node: Node, name: string, where: string): number => {
  const t = text(node, name);
  const n = Number(t);
  if (t === undefined || !Number.isFinite(n)) throw new CustomizationsError(`${where}: <${name}> is ${JSON.stringify(t)}, not a number`);
  return n;
};
const labelOf = (node: Node | undefined, wrapper: string, item: string): string => attr(list(child(node, wrapper)?.[item])[0], 'description') ?? '';

function required(level: string | undefined): RequiredLevel {
  return level === 'required' || level === 'systemrequired' ? 'required' : level === 'recommended' ? 'recommended' : 'none';
}

interface Relationship {
  readonly referencing: string;
  readonly referenced: string;
  readonly attribute: string;
  readonly name: string;
  readonly cascadeDelete: string;
  readonly navigation: string | undefined;
}

function relationshipsOf(root: Node): Relationship[] {
  return list(child(root, 'EntityRelationships')?.['EntityRelationship']).map((r) => {
    const roles = list(child(r, 'EntityRelationshipRoles')?.['EntityRelationshipRole']);
    const single = roles.find((role) => text(role, 'RelationshipRoleType') === '1');
    return {
      referencing: (text(r, 'ReferencingEntityName') ?? '').toLowerCase(),
      referenced: (text(r, 'ReferencedEntityName') ?? '').toLowerCase(),
      attribute: (text(r, 'ReferencingAttributeName') ?? '').toLowerCase(),
      name: attr(r, 'Name') ?? '',
      cascadeDelete: text(r, 'CascadeDelete') ?? 'NoCascade',
      navigation: text(single, 'NavigationPropertyName'),
    };
  });
}

interface Parsed {
  readonly logicalName: string;
  readonly schemaName: string;
  readonly displayName: string;
  readonly pluralName: string;
  readonly description: string;
  readonly entitySetName: string | undefined;
  readonly extension: boolean;
  readonly primaryId: string | undefined;
  readonly primaryName: string | undefined;
  readonly attributes: readonly Node[];
  readonly keys: readonly { schemaName: string; displayName: string; columns: string[] }[];
  readonly notes: boolean;
}

function parseEntity(entity: Node): Parsed {
  const info = child(child(entity, 'EntityInfo'), 'entity');
  if (!info) throw new CustomizationsError(`entity ${text(entity, 'Name')} has no <EntityInfo><entity>`);
  const schemaName = attr(info, 'Name') ?? text(entity, 'Name') ?? '';
  const attributes = list(child(info, 'attributes')?.['attribute']);
  const primaryKey = attributes.find((a) => text(a, 'Type') === 'primarykey');
  const primaryName = attributes.find((a) => (text(a, 'DisplayMask') ?? '').split('|').includes('PrimaryName'));
  return {
    logicalName: schemaName.toLowerCase(),
    schemaName,
    displayName: labelOf(info, 'LocalizedNames', 'LocalizedName'),
    pluralName: labelOf(info, 'LocalizedCollectionNames', 'LocalizedCollectionName'),
    description: labelOf(info, 'Descriptions', 'Description'),
    entitySetName: text(info, 'EntitySetName'),
    extension: attr(info, 'unmodified') === '1',
    primaryId: primaryKey ? text(primaryKey, 'LogicalName') : undefined,
    primaryName: primaryName ? text(primaryName, 'LogicalName') : undefined,
    attributes,
    keys: list(child(info, 'EntityKeys')?.['EntityKey']).map((k) => ({
      schemaName: text(k, 'Name') ?? '',
      displayName: labelOf(k, 'displaynames', 'displayname'),
      columns: list(child(k, 'EntityKeyAttributes')?.['AttributeName']).map((a) => String(typeof a === 'object' ? (a as Node)['#text'] : a)),
    })),
    notes: text(info, 'HasRelatedNotes') === 'True',
  };
}

function optionsOf(attribute: Node): { options: ChoiceOption[]; name: string } {
  const set = child(attribute, 'optionset');
  const options = list(child(set, 'options')?.['option']).map((o) => {
    const label = labelOf(o, 'labels', 'label');
    return { value: Number(attr(o, 'value')), label, key: label };
  });
  return { options, name: attr(set, 'Name') ?? '' };
}

/** One custom column from its <attribute>; undefined for the columns Dataverse manages itself. */
function columnOf(
  table: Parsed,
  attribute: Node,
  relationships: readonly Relationship[],
  setOf: (logical: string) => string | undefined,
): ColumnDef | undefined {
  const logicalName = text(attribute, 'LogicalName') ?? '';
  const where = `${table.logicalName}.${logicalName}`;
  const base = {
    logicalName,
    schemaName: attr(attribute, 'PhysicalName') ?? logicalName,
    displayName: labelOf(attribute, 'displaynames', 'displayname'),
    description: labelOf(attribute, 'Descriptions', 'Description'),
    required: required(text(attribute, 'RequiredLevel')),
    ...(text(attribute, 'ValidForCreateApi') === '0' && text(attribute, 'ValidForUpdateApi') === '0' ? { readOnly: true as const } : {}),
    ...(text(attribute, 'IsCustomField') === '0' ? { platform: true as const } : {}),
  };
  const defaultValue = text(attribute, 'AppDefaultValue');
  // The platform's own columns (createdby, ownerid, statecode, importsequencenumber...) are the
  // org's business; of them, only the currency lookup and the exchange rate are written or read here.
  if (text(attribute, 'IsCustomField') === '0' && !(logicalName === 'transactioncurrencyid' || logicalName === 'exchangerate')) return undefined;
  switch (text(attribute, 'Type')) {
    case 'nvarchar':
      return { ...base, type: 'text', maxLength: num(attribute, 'MaxLength', where) };
    case 'ntext':
      return { ...base, type: 'memo', maxLength: num(attribute, 'MaxLength', where) };
    case 'int':
      return { ...base, type: 'wholeNumber', min: num(attribute, 'MinValue', where), max: num(attribute, 'MaxValue', where) };
    case 'decimal':
      // The platform's exchangerate (IsCustomField 0) is one; our decimals are the others.
      return {
        ...base,
        type: 'decimal',
        precision: num(attribute, 'Accuracy', where),
        min: num(attribute, 'MinValue', where),
        max: num(attribute, 'MaxValue', where),
      };
    case 'money':
      // A `_base` twin is the platform's (amount / exchange rate): read-only, computed by the org.
      return text(attribute, 'CalculationOf')
        ? { ...base, type: 'money', readOnly: true, calculationOf: text(attribute, 'CalculationOf')! }
        : { ...base, type: 'money' };
    case 'datetime':
      // Only date-only columns (Behavior 2) are ours; createdon and modifiedon are the org's.
      return text(attribute, 'Behavior') === '2' ? { ...base, type: 'dateOnly' } : undefined;
    case 'bit': {
      const { options } = optionsOf(attribute);
      return {
        ...base,
        type: 'boolean',
        trueLabel: options.find((o) => o.value === 1)?.label ?? 'Yes',
        falseLabel: options.find((o) => o.value === 0)?.label ?? 'No',
        defaultValue: defaultValue === '1',
      };
    }
    case 'picklist': {
      const { options, name } = optionsOf(attribute);
      return { ...base, type: 'choice', optionSetName: name, options, ...(defaultValue !== undefined ? { defaultValue: Number(defaultValue) } : {}) };
    }
    case 'lookup': {
      const relationship = relationships.find((r) => r.referencing === table.logicalName && r.attribute === logicalName);
      // createdby, owninguser...: the org's. The currency lookup is the platform's too, but callers
      // bind it, through the lowercase navigation property of a platform relationship (no roles).
      const platformCurrency = text(attribute, 'IsCustomField') === '0' && relationship?.referenced === 'transactioncurrency';
      if (text(attribute, 'IsCustomField') !== '1' && !platformCurrency) return undefined;
      if (!relationship) throw new CustomizationsError(`${where}: a lookup with no <EntityRelationship> whose ReferencingAttributeName is ${base.schemaName}`);
      if (platformCurrency) {
        if (relationship.cascadeDelete !== 'Restrict')
          throw new CustomizationsError(`${where}: ${relationship.name} must restrict deletes, as Dataverse's currency relationships do`);
        return {
          ...base,
          type: 'lookup',
          target: relationship.referenced,
          targetEntitySet: setOf(relationship.referenced)!,
          relationshipName: relationship.name,
          onDelete: 'Restrict',
          navigationProperty: logicalName,
        };
      }
      if (!relationship.navigation) throw new CustomizationsError(`${where}: relationship ${relationship.name} names no navigation property (role 1)`);
      const targetEntitySet = setOf(relationship.referenced);
      if (!targetEntitySet) throw new CustomizationsError(`${where}: target table ${relationship.referenced} is unknown`);
      const onDelete = relationship.cascadeDelete;
      if (onDelete !== 'Restrict' && onDelete !== 'Cascade' && onDelete !== 'RemoveLink')
        throw new CustomizationsError(`${where}: CascadeDelete ${onDelete} is not supported`);
      const lookup: LookupColumn = {
        ...base,
        type: 'lookup',
        target: relationship.referenced,
        targetEntitySet,
        relationshipName: relationship.name,
        onDelete,
        navigationProperty: relationship.navigation,
      };
      return lookup;
    }
    default:
      return undefined; // primarykey, owner, state, status...: managed by the org
  }
}

/** The tables a customizations.xml defines or extends, as the schema types the org is built from. */
export function tablesFromCustomizations(xml: string): { tables: TableDef[]; extensions: TableExtension[] } {
  let doc: Node;
  try {
    doc = parser.parse(xml) as Node;
  } catch (error) {
    throw new CustomizationsError(`not XML (${(error as Error).message})`);
  }
  const root = child(doc, 'ImportExportXml');
  if (!root) throw new CustomizationsError('no <ImportExportXml> root');
  const parsed = list(child(root, 'Entities')?.['Entity']).map(parseEntity);
  const relationships = relationshipsOf(root);
  const setOf = (logical: string) => parsed.find((p) => p.logicalName === logical)?.entitySetName ?? SYSTEM_TABLES[logical]?.entitySetName;
  const tables: TableDef[] = [];
  const extensions: TableExtension[] = [];
  for (const p of parsed) {
    const columns = p.attributes.map((a) => columnOf(p, a, relationships, setOf)).filter((c): c is ColumnDef => c !== undefined);
    if (p.extension) {
      const system = SYSTEM_TABLES[p.logicalName];
      if (!system) throw new CustomizationsError(`${p.logicalName} is extended (unmodified="1") but is not a system table the org knows`);
      extensions.push({
        logicalName: p.logicalName,
        schemaName: p.schemaName,
        displayName: system.displayName,
        entitySetName: system.entitySetName,
        primaryId: system.primaryId,
        primaryName: system.primaryName,
        columns,
      });
      continue;
    }
    if (!p.entitySetName) throw new CustomizationsError(`${p.logicalName} has no <EntitySetName>`);
    if (p.primaryId !== `${p.logicalName}id`) throw new CustomizationsError(`${p.logicalName}: primary key ${p.primaryId} is not ${p.logicalName}id`);
    const primaryName = columns.find((c) => c.logicalName === p.primaryName);
    if (!primaryName || primaryName.type !== 'text') throw new CustomizationsError(`${p.logicalName} has no text primary name column`);
    tables.push({
      logicalName: p.logicalName,
      schemaName: p.schemaName,
      displayName: p.displayName,
      pluralName: p.pluralName,
      description: p.description,
      entitySetName: p.entitySetName,
      ownership: 'UserOwned',
      primaryName: primaryName as TextColumn,
      columns,
      keys: p.keys,
      ...(p.notes ? { notes: true } : {}),
    });
  }
  return { tables, extensions };
}

/**
 * The entity and relationship parts of customizations.xml for the schema, from the same generator
 * the solution's parts come from (solution/generated/): what a local org built without a
 * solution file reads.
 */
export function customizationsOfSchema(tables: readonly TableDef[], extensions: readonly TableExtension[]): string {
  const entity = (info: string) => `<Entity>${info}</Entity>`;
  const relationships = [...tables, ...extensions].flatMap((t) => lookupsOf(t).map((l) => renderXml(relationshipXml(t, l))));
  return [
    '<ImportExportXml>',
    '<Entities>',
    ...extensions.map((t) => entity(renderXml(extensionInfoXml(t)))),
    ...tables.map((t) => entity(renderXml(entityInfoXml(t)))),
    '</Entities>',
    `<EntityRelationships>${relationships.join('')}</EntityRelationships>`,
    '</ImportExportXml>',
  ].join('\n');
}
