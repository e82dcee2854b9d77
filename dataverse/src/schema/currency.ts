import type { ColumnDef, DecimalColumn, LookupColumn, MoneyColumn, TableDef } from './types';

/**
 * What Dataverse adds to a table that has money columns
 * (learn.microsoft.com/power-apps/maker/data-platform/types-of-fields#using-currency-columns;
 * learn.microsoft.com/power-apps/developer/data-platform/transaction-currency-currency-entity):
 * a Currency lookup to transactioncurrency, the Exchange Rate of that currency against the base
 * currency, and for every amount a `_base` twin (amount / exchange rate). Laid out as the
 * federal-asset-tracker export lays out nouv_Asset (TransactionCurrencyId, ExchangeRate,
 * nouv_acquisitioncost_Base with CalculationOf, relationship TransactionCurrency_nouv_Asset).
 */
export const TRANSACTION_CURRENCY = {
  logicalName: 'transactioncurrency',
  schemaName: 'TransactionCurrency',
  entitySetName: 'transactioncurrencies',
  primaryId: 'transactioncurrencyid',
} as const;

/** The lookup column every money table gets; its navigation property is the platform's lowercase name. */
export const CURRENCY_LOOKUP = 'transactioncurrencyid';
export const EXCHANGE_RATE = 'exchangerate';

export const hasMoney = (table: { columns: readonly ColumnDef[] }): boolean => table.columns.some((c) => c.type === 'money' && !c.calculationOf);

function currencyLookup(table: TableDef): LookupColumn {
  return {
    type: 'lookup',
    logicalName: CURRENCY_LOOKUP,
    schemaName: 'TransactionCurrencyId',
    displayName: 'Currency',
    description: 'Unique identifier of the currency associated with the entity.',
    required: 'none',
    platform: true,
    target: TRANSACTION_CURRENCY.logicalName,
    targetEntitySet: TRANSACTION_CURRENCY.entitySetName,
    relationshipName: `TransactionCurrency_${table.schemaName}`,
    onDelete: 'Restrict',
    navigationProperty: CURRENCY_LOOKUP,
  };
}

const exchangeRate: DecimalColumn = {
  type: 'decimal',
  logicalName: EXCHANGE_RATE,
  schemaName: 'ExchangeRate',
  displayName: 'Exchange Rate',
  description: 'Exchange rate for the currency associated with the entity with respect to the base currency.',
  required: 'none',
  platform: true,
  readOnly: true,
  precision: 12,
  min: 0.0000000001,
  max: 100_000_000_000,
};

/** `cspb_totalbilled` -> `cspb_totalbilled_base` (PhysicalName `cspb_totalbilled_Base`, as exports name it). */
export function baseColumnOf(money: MoneyColumn): MoneyColumn {
  return {
    type: 'money',
    logicalName: `${money.logicalName}_base`,
    schemaName: `${money.logicalName}_Base`,
    displayName: `${money.displayName} (Base)`,
    description: `Value of the ${money.displayName} in base currency.`,
    required: 'none',
    readOnly: true,
    calculationOf: money.schemaName,
  };
}

/** The table with the columns Dataverse adds for its amounts (unchanged when it has none). */
export function withCurrency(table: TableDef): TableDef {
  if (!hasMoney(table) || table.columns.some((c) => c.logicalName === CURRENCY_LOOKUP)) return table;
  const amounts = table.columns.filter((c): c is MoneyColumn => c.type === 'money');
  return { ...table, columns: [...table.columns, currencyLookup(table), exchangeRate, ...amounts.map(baseColumnOf)] };
}
