import Decimal from 'decimal.js';
import { stableGuid } from '../codegen/stable-guid';
import { CURRENCY_LOOKUP, EXCHANGE_RATE, TRANSACTION_CURRENCY, type ColumnDef, type TableExtension } from '../schema';
import { lookupProperty, type OrgMetadata, type TableMeta } from './metadata';
import type { Journal, Store } from './store';

/**
 * Currencies as Dataverse keeps them (learn.microsoft.com/power-apps/developer/data-platform/transaction-currency-currency-entity):
 * a transactioncurrency row per currency the admin enabled, the base currency at rate 1, each
 * other at its units per base unit. Every row of a table with amounts has one currency (a row
 * created without one gets the base currency here; Dataverse takes the user's default currency,
 * which is the base unless the user chose another), the exchange rate of that currency at the
 * write, and each amount's `_base` twin: "creditlimit_base = creditlimit / exchangerate".
 */
export interface OrgCurrency {
  /** ISO 4217 code (isocurrencycode). */
  readonly code: string;
  readonly name: string;
  readonly symbol: string;
  /** Units of this currency per unit of the base currency, as a decimal string (base: '1'). */
  readonly rate: string;
  readonly precision: number;
}

/**
 * The local org's currencies unless told otherwise: US dollar as base, plus euro and pound at
 * illustrative rates (an admin sets real ones in Settings > Currencies).
 */
export const DEFAULT_CURRENCIES: readonly OrgCurrency[] = [
  { code: 'USD', name: 'US Dollar', symbol: '$', rate: '1', precision: 2 },
  { code: 'EUR', name: 'Euro', symbol: '€', rate: '0.92', precision: 2 },
  { code: 'GBP', name: 'Pound Sterling', symbol: '£', rate: '0.79', precision: 2 },
];

export const currencyIdOf = (code: string): string => stableGuid(`transactioncurrency/${code.toUpperCase()}`);

/** The platform table itself, as the org's metadata holds it. */
export const TRANSACTION_CURRENCY_TABLE: TableExtension = {
  logicalName: TRANSACTION_CURRENCY.logicalName,
  schemaName: TRANSACTION_CURRENCY.schemaName,
  displayName: 'Currency',
  entitySetName: TRANSACTION_CURRENCY.entitySetName,
  primaryId: TRANSACTION_CURRENCY.primaryId,
  primaryName: 'currencyname',
  columns: [
    {
      type: 'text',
      logicalName: 'currencyname',
      schemaName: 'CurrencyName',
      displayName: 'Currency Name',
      description: 'Name of the transaction currency.',
      required: 'required',
      maxLength: 100,
    },
    {
      type: 'text',
      logicalName: 'isocurrencycode',
      schemaName: 'ISOCurrencyCode',
      displayName: 'Currency Code',
      description: 'ISO currency code for the transaction currency.',
      required: 'required',
      maxLength: 5,
    },
    {
      type: 'text',
      logicalName: 'currencysymbol',
      schemaName: 'CurrencySymbol',
      displayName: 'Currency Symbol',
      description: 'Symbol for the transaction currency.',
      required: 'required',
      maxLength: 13,
    },
    {
      type: 'decimal',
      logicalName: EXCHANGE_RATE,
      schemaName: 'ExchangeRate',
      displayName: 'Exchange Rate',
      description: 'Exchange rate between the transaction currency and the base currency.',
      required: 'required',
      precision: 12,
      min: 0.0000000001,
      max: 100_000_000_000,
    },
    {
      type: 'wholeNumber',
      logicalName: 'currencyprecision',
      schemaName: 'CurrencyPrecision',
      displayName: 'Currency Precision',
      description: 'Number of decimal places that can be used for currency.',
      required: 'required',
      min: 0,
      max: 4,
    },
  ] satisfies ColumnDef[],
};

export function currencyRow(c: OrgCurrency): Record<string, unknown> {
  return {
    transactioncurrencyid: currencyIdOf(c.code),
    currencyname: c.name,
    isocurrencycode: c.code,
    currencysymbol: c.symbol,
    exchangerate: Number(c.rate),
    currencyprecision: c.precision,
  };
}

/** Inserts the configured currencies the store does not hold yet. */
export function seedCurrencies(store: Store, metadata: OrgMetadata, currencies: readonly OrgCurrency[], journal: Journal, now: string): void {
  const meta = metadata.tryByLogical(TRANSACTION_CURRENCY.logicalName)!;
  for (const c of currencies) {
    const id = currencyIdOf(c.code);
    if (store.get(meta, id)) continue;
    store.insert(meta, { id, data: { ...currencyRow(c), createdon: now, modifiedon: now, versionnumber: store.nextVersion() } }, journal);
  }
}

const CURRENCY_VALUE = lookupProperty(CURRENCY_LOOKUP);

export const hasCurrency = (meta: TableMeta): boolean => meta.columns.has(CURRENCY_LOOKUP);

/**
 * Sets what the platform keeps on a row with amounts: its currency (the base one when none was
 * given, or for imported rows the one their ISO code names), the exchange rate, and each `_base`.
 */
export function applyCurrency(meta: TableMeta, data: Record<string, unknown>, store: Store, metadata: OrgMetadata, baseCode: string, fromCode?: string): void {
  if (!hasCurrency(meta)) return;
  const currencies = metadata.tryByLogical(TRANSACTION_CURRENCY.logicalName)!;
  if (typeof data[CURRENCY_VALUE] !== 'string') {
    const byCode = fromCode && store.get(currencies, currencyIdOf(fromCode)) ? currencyIdOf(fromCode) : currencyIdOf(baseCode);
    data[CURRENCY_VALUE] = byCode;
  }
  const currency = store.mustGet(currencies, data[CURRENCY_VALUE] as string);
  const rate = new Decimal(String(currency.data[EXCHANGE_RATE]));
  data[EXCHANGE_RATE] = rate.toNumber();
  for (const column of meta.columns.values()) {
    if (column.type !== 'money' || !column.calculationOf) continue;
    const source = [...meta.columns.values()].find((c) => c.schemaName === column.calculationOf);
    const value = source ? data[source.logicalName] : null;
    data[column.logicalName] = typeof value === 'number' ? new Decimal(String(value)).div(rate).toDecimalPlaces(4, Decimal.ROUND_HALF_UP).toNumber() : null;
  }
}

/** Rows imported without currency columns get them, from their ISO code where the org has it. */
export function fillCurrencies(store: Store, metadata: OrgMetadata, baseCode: string, journal: Journal): void {
  for (const meta of metadata.all) {
    if (!hasCurrency(meta)) continue;
    for (const row of [...store.all(meta)]) {
      const data = { ...row.data };
      const code = typeof data['cspb_currencycode'] === 'string' ? (data['cspb_currencycode'] as string) : undefined;
      applyCurrency(meta, data, store, metadata, baseCode, code);
      if (
        EXCHANGE_COLUMNS.some((c) => data[c] !== row.data[c]) ||
        [...meta.columns.values()].some((c) => c.readOnly && data[c.logicalName] !== row.data[c.logicalName])
      )
        store.replace(meta, { id: row.id, data }, journal);
    }
  }
}
const EXCHANGE_COLUMNS = [CURRENCY_VALUE, EXCHANGE_RATE];
