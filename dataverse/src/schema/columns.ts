import type {
  BooleanColumn,
  ChoiceColumn,
  ChoiceOption,
  DateOnlyColumn,
  DecimalColumn,
  LookupColumn,
  MemoColumn,
  MoneyColumn,
  RequiredLevel,
  TextColumn,
  WholeNumberColumn,
} from './types';

/**
 * Short constructors for column definitions. A column is named once by its schema name
 * (`cspb_VendorSubscriptionId`); the logical name is its lower-case form, as Dataverse derives it.
 */
interface Common {
  readonly display: string;
  readonly description: string;
  readonly required?: RequiredLevel;
}

const base = (schemaName: string, c: Common) => ({
  schemaName,
  logicalName: schemaName.toLowerCase(),
  displayName: c.display,
  description: c.description,
  required: c.required ?? 'none',
});

export const text = (schemaName: string, c: Common & { maxLength: number }): TextColumn => ({
  ...base(schemaName, c),
  type: 'text',
  maxLength: c.maxLength,
});

export const memo = (schemaName: string, c: Common & { maxLength?: number }): MemoColumn => ({
  ...base(schemaName, c),
  type: 'memo',
  maxLength: c.maxLength ?? 1_048_576,
});

export const whole = (schemaName: string, c: Common & { min?: number; max?: number }): WholeNumberColumn => ({
  ...base(schemaName, c),
  type: 'wholeNumber',
  min: c.min ?? 0,
  max: c.max ?? 2_147_483_647,
});

export const money = (schemaName: string, c: Common): MoneyColumn => ({ ...base(schemaName, c), type: 'money' });

export const decimal = (schemaName: string, c: Common & { precision: number; min?: number; max?: number }): DecimalColumn => ({
  ...base(schemaName, c),
  type: 'decimal',
  precision: c.precision,
  min: c.min ?? -100_000_000_000,
  max: c.max ?? 100_000_000_000,
});

export const dateOnly = (schemaName: string, c: Common): DateOnlyColumn => ({ ...base(schemaName, c), type: 'dateOnly' });

export const yesNo = (schemaName: string, c: Common & { defaultValue: boolean }): BooleanColumn => ({
  ...base(schemaName, c),
  type: 'boolean',
  trueLabel: 'Yes',
  falseLabel: 'No',
  defaultValue: c.defaultValue,
});

/**
 * A choice whose options are numbered from 100000000 in the order given (the publisher's option
 * prefix 10000). Append new options at the end: values already shipped must never change.
 */
export const choice = (
  schemaName: string,
  c: Common & { optionSetName: string; options: ReadonlyArray<readonly [key: string, label: string, core?: string]>; defaultKey?: string },
): ChoiceColumn => {
  const options: ChoiceOption[] = c.options.map(([key, label, core], i) => ({ key, label, value: 100_000_000 + i, ...(core !== undefined ? { core } : {}) }));
  const cores = options.filter((o) => o.core !== undefined).length;
  if (cores !== 0 && cores !== options.length) throw new Error(`${schemaName}: give every option its core key, or none`);
  const defaultValue = c.defaultKey === undefined ? undefined : options.find((o) => o.key === c.defaultKey)?.value;
  if (c.defaultKey !== undefined && defaultValue === undefined) throw new Error(`${schemaName}: default ${c.defaultKey} is not an option`);
  return { ...base(schemaName, c), type: 'choice', optionSetName: c.optionSetName, options, ...(defaultValue === undefined ? {} : { defaultValue }) };
};

export const lookup = (
  schemaName: string,
  c: Common & { target: string; targetEntitySet: string; relationshipName: string; onDelete: LookupColumn['onDelete'] },
): LookupColumn => ({
  ...base(schemaName, c),
  type: 'lookup',
  target: c.target,
  targetEntitySet: c.targetEntitySet,
  relationshipName: c.relationshipName,
  onDelete: c.onDelete,
  navigationProperty: schemaName,
});

/** ISO 4217 code of the amounts on a row: amounts never travel without their currency. */
export const currencyCode = (schemaName = 'cspb_CurrencyCode'): TextColumn =>
  text(schemaName, {
    display: 'Currency code',
    description: 'ISO 4217 code of every amount on this row (USD, EUR, JPY, KWD...).',
    required: 'required',
    maxLength: 3,
  });

/**
 * The columns a queued job keeps on its row: the next chunk to do (the queue worker's resume
 * point; a message for an earlier chunk is stale) and a readable progress line.
 */
export const jobColumns = (): [WholeNumberColumn, TextColumn] => [
  whole('cspb_JobChunk', {
    display: 'Next chunk',
    description: 'The next chunk of work the queue worker will do (0 before it starts); a redelivered message for an earlier chunk is ignored.',
    min: 0,
  }),
  text('cspb_JobProgress', { display: 'Progress', description: 'How far the queued work is, in words.', maxLength: 200 }),
];

/**
 * A queued run's status (Pending -> Running -> Completed | Failed), the same options on every run
 * table; `withErrors` adds "Completed with errors" after Completed (some items refused, the run done).
 */
export const runStatus = (optionSetName: string, description: string, withErrors = false): ChoiceColumn =>
  choice('cspb_RunStatus', {
    display: 'Run status',
    description,
    required: 'required',
    optionSetName,
    options: [
      ['Pending', 'Pending'],
      ['Running', 'Running'],
      ['Completed', 'Completed'],
      ...(withErrors ? ([['CompletedWithErrors', 'Completed with errors']] as const) : []),
      ['Failed', 'Failed'],
    ],
    defaultKey: 'Pending',
  });
