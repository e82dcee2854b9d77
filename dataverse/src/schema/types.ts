/**
 * Schema-as-code: the one definition of every Dataverse table the suite owns. The generator
 * (dataverse/src/codegen) turns these into TypeScript row types and customizations.xml parts,
 * so a column is named, typed and sized in exactly one place.
 */

export type RequiredLevel = 'none' | 'recommended' | 'required';

export interface ChoiceOption {
  /** Stable value: never renumber, data and solutions in the field depend on it. */
  readonly value: number;
  readonly label: string;
  /** Identifier used for the generated TypeScript constant. */
  readonly key: string;
  /** The core's name for the option (`'recurring'`, `'exactMatch'`): generated maps translate by it. */
  readonly core?: string;
}

interface ColumnBase {
  /** Logical name, lower case, publisher prefix included (e.g. `cspb_quantity`). */
  readonly logicalName: string;
  /** Schema name as Dataverse shows it (e.g. `cspb_Quantity`). */
  readonly schemaName: string;
  readonly displayName: string;
  readonly description: string;
  readonly required: RequiredLevel;
  /**
   * Set by Dataverse itself, never by a caller: a money column's base-currency twin and the
   * table's exchange rate. The local org refuses writes to it, as the stricter reading of
   * ValidForCreateApi/ValidForUpdateApi 0 in real exports.
   */
  readonly readOnly?: true;
  /** A column Dataverse adds to the table (not a custom column of ours): IsCustomField 0. */
  readonly platform?: true;
  /** For a `_base` money column: the schema name of the amount it converts (real exports' CalculationOf). */
  readonly calculationOf?: string;
}

export interface TextColumn extends ColumnBase {
  readonly type: 'text';
  readonly maxLength: number;
}

export interface WholeNumberColumn extends ColumnBase {
  readonly type: 'wholeNumber';
  readonly min: number;
  readonly max: number;
}

export interface ChoiceColumn extends ColumnBase {
  readonly type: 'choice';
  /** Local option set name; options keep their values forever. */
  readonly optionSetName: string;
  readonly options: readonly ChoiceOption[];
  readonly defaultValue?: number;
}

/** A calendar date with no time part (Dataverse "Date only" behaviour: no time-zone shift). */
export interface DateOnlyColumn extends ColumnBase {
  readonly type: 'dateOnly';
}

export type CascadeType = 'NoCascade' | 'Cascade' | 'Active' | 'UserOwned' | 'RemoveLink' | 'Restrict';

export interface LookupColumn extends ColumnBase {
  readonly type: 'lookup';
  readonly target: string;
  /** Relationship schema name, e.g. `cspb_account_cspb_subscription_customerid`. */
  readonly relationshipName: string;
  /** What deleting the referenced row does to this one. */
  readonly onDelete: 'RemoveLink' | 'Restrict' | 'Cascade';
  /** Entity set of the target, for @odata.bind (e.g. `accounts`). */
  readonly targetEntitySet: string;
  /**
   * The single-valued navigation property writes bind through (`<nav>@odata.bind`) and `$expand`
   * names. Dataverse names a custom lookup's by the lookup's schema name, case and all
   * (`cspb_ContractId`; real exports: relationship role 1's NavigationPropertyName), and the Web
   * API's names are case-sensitive.
   */
  readonly navigationProperty: string;
}

/**
 * An amount: Dataverse Money with 4 decimal places, the precision Microsoft's prices carry.
 * The currency is never implied: each table that holds amounts has an ISO 4217 currency column.
 */
export interface MoneyColumn extends ColumnBase {
  readonly type: 'money';
}

/** An exact decimal that is not money: usage quantities, rates, percentages. */
export interface DecimalColumn extends ColumnBase {
  readonly type: 'decimal';
  readonly precision: number;
  readonly min: number;
  readonly max: number;
}

export interface BooleanColumn extends ColumnBase {
  readonly type: 'boolean';
  readonly trueLabel: string;
  readonly falseLabel: string;
  readonly defaultValue: boolean;
}

/** Multi-line text (JSON documents such as price tiers, error lists). */
export interface MemoColumn extends ColumnBase {
  readonly type: 'memo';
  readonly maxLength: number;
}

export type ColumnDef =
  | TextColumn
  | WholeNumberColumn
  | ChoiceColumn
  | DateOnlyColumn
  | LookupColumn
  | MoneyColumn
  | DecimalColumn
  | BooleanColumn
  | MemoColumn;

/** An alternate key: the columns that identify a row for idempotent upserts. */
export interface AlternateKey {
  readonly schemaName: string;
  readonly displayName: string;
  readonly columns: readonly string[];
}

export interface TableDef {
  readonly logicalName: string;
  readonly schemaName: string;
  readonly displayName: string;
  readonly pluralName: string;
  readonly description: string;
  /** Web API entity set name (collection URL segment). */
  readonly entitySetName: string;
  readonly ownership: 'UserOwned';
  /** The primary name column; always a text column, listed first in `columns`. */
  readonly primaryName: TextColumn;
  readonly columns: readonly ColumnDef[];
  readonly keys?: readonly AlternateKey[];
  /**
   * Notes (annotations) with attachments enabled. The raw vendor bill is kept as a note
   * attachment of its import: the file column type is newer than the SDK schema the solution
   * is validated against and no real export in ../shared/samples shows one.
   */
  readonly notes?: boolean;
}

/**
 * A table Dataverse already has (account): the solution adds only these columns to it and
 * never redefines the table itself.
 */
export interface TableExtension {
  readonly logicalName: string;
  readonly schemaName: string;
  readonly displayName: string;
  readonly entitySetName: string;
  readonly primaryId: string;
  readonly primaryName: string;
  readonly columns: readonly ColumnDef[];
}

/** The id column Dataverse creates for every table: `<logicalname>id`. */
export function primaryIdOf(table: TableDef): string {
  return `${table.logicalName}id`;
}
