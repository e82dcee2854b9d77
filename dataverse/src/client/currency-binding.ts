import { retrieveAll } from './retrieve-all';
import { CURRENCY_LOOKUP, hasMoney, tables, TRANSACTION_CURRENCY } from '../schema';
import {
  DataverseError,
  type BatchOperation,
  type BatchOptions,
  type BatchResult,
  type DataverseClient,
  type EntityRecord,
  type Page,
  type QueryOptions,
  type RecordKey,
  type RetrieveOptions,
  type RetryPolicyLike,
  type UpdateOptions,
  type UpsertResult,
} from './types';

/** The ISO code column every table with amounts carries (schema/columns.ts currencyCode()). */
const CODE = 'cspb_currencycode';
const BIND = `${CURRENCY_LOOKUP}@odata.bind`;

/** Entity sets whose rows hold amounts, hence a Currency lookup Dataverse fills with the user's currency when none is bound. */
const MONEY_SETS = new Set(tables.filter(hasMoney).map((t) => t.entitySetName));

/** A row's ISO code names a currency the org has not enabled. */
export class CurrencyNotEnabledError extends DataverseError {
  constructor(code: string, entitySet: string) {
    super(
      `${entitySet}: the currency ${code} is not enabled in this org; an admin adds it (Settings > Administration > Currencies) before rows in ${code} can be saved.`,
      400,
    );
    this.name = 'CurrencyNotEnabledError';
  }
}

/**
 * Every write the suite makes to a table with amounts binds the row's Currency to the currency its
 * ISO code names. Without it Dataverse gives the row the writing user's currency (the base one for
 * an application user), and a EUR bill in a USD org would show "$" and be summed with dollars
 * (learn.microsoft.com/power-apps/developer/data-platform/transaction-currency-currency-entity).
 * A wrapper, so the handlers, jobs and CLI write through one rule; a row that binds its own currency
 * is left alone.
 */
export class CurrencyBindingClient implements DataverseClient {
  private ids: Promise<Map<string, string>> | undefined;

  constructor(private readonly inner: DataverseClient) {}

  get parallelismHint(): number | undefined {
    return this.inner.parallelismHint;
  }

  /** The wrapped client's retry layer, still binding currencies. */
  get withRetryPolicy(): ((policy: RetryPolicyLike) => DataverseClient) | undefined {
    const inner = this.inner;
    if (!inner.withRetryPolicy) return undefined;
    return (policy) => new CurrencyBindingClient((inner.withRetryPolicy as (p: RetryPolicyLike) => DataverseClient)(policy));
  }

  /** The org's enabled currencies by ISO code, read once. */
  private currencies(): Promise<Map<string, string>> {
    this.ids ??= (async () => {
      const rows = await retrieveAll<Record<string, unknown>>(this.inner, TRANSACTION_CURRENCY.entitySetName, {
        select: ['transactioncurrencyid', 'isocurrencycode'],
      });
      return new Map(rows.map((row) => [String(row['isocurrencycode']).toUpperCase(), String(row['transactioncurrencyid'])]));
    })().catch((error: unknown) => {
      this.ids = undefined;
      throw error;
    });
    return this.ids;
  }

  private async bound(entitySet: string, record: EntityRecord): Promise<EntityRecord> {
    const code = record[CODE];
    if (!MONEY_SETS.has(entitySet) || typeof code !== 'string' || BIND in record) return record;
    const id = (await this.currencies()).get(code.toUpperCase());
    if (!id) throw new CurrencyNotEnabledError(code, entitySet);
    return { ...record, [BIND]: `/${TRANSACTION_CURRENCY.entitySetName}(${id})` };
  }

  retrieve<T extends object = EntityRecord>(entitySet: string, key: RecordKey, options?: RetrieveOptions): Promise<T> {
    return this.inner.retrieve<T>(entitySet, key, options);
  }
  retrieveMultiple<T extends object = EntityRecord>(entitySet: string, options?: QueryOptions): Promise<Page<T>> {
    return this.inner.retrieveMultiple<T>(entitySet, options);
  }
  retrieveNextPage<T extends object = EntityRecord>(nextLink: string): Promise<Page<T>> {
    return this.inner.retrieveNextPage<T>(nextLink);
  }
  async create(entitySet: string, record: EntityRecord): Promise<string> {
    return this.inner.create(entitySet, await this.bound(entitySet, record));
  }
  async update(entitySet: string, key: RecordKey, record: EntityRecord, options?: UpdateOptions): Promise<void> {
    return this.inner.update(entitySet, key, await this.bound(entitySet, record), options);
  }
  async upsert(entitySet: string, key: RecordKey, record: EntityRecord): Promise<UpsertResult> {
    return this.inner.upsert(entitySet, key, await this.bound(entitySet, record));
  }
  delete(entitySet: string, key: RecordKey): Promise<void> {
    return this.inner.delete(entitySet, key);
  }
  async createMultiple(entitySet: string, records: readonly EntityRecord[]): Promise<string[]> {
    return this.inner.createMultiple(entitySet, await Promise.all(records.map((r) => this.bound(entitySet, r))));
  }
  async upsertMultiple(entitySet: string, keyColumns: readonly string[], records: readonly EntityRecord[]): Promise<void> {
    return this.inner.upsertMultiple(entitySet, keyColumns, await Promise.all(records.map((r) => this.bound(entitySet, r))));
  }
  async executeBatch(operations: readonly BatchOperation[], options?: BatchOptions): Promise<BatchResult[]> {
    const bound = await Promise.all(operations.map(async (op) => (op.kind === 'delete' ? op : { ...op, record: await this.bound(op.entitySet, op.record) })));
    return this.inner.executeBatch(bound, options);
  }
  execute<T = unknown>(action: string, parameters: EntityRecord, bound?: { entitySet: string; key?: RecordKey }): Promise<T> {
    return this.inner.execute<T>(action, parameters, bound);
  }
}

/** The client with currency binding (once: wrapping a wrapped client changes nothing). */
export function bindingCurrencies(client: DataverseClient): DataverseClient {
  return client instanceof CurrencyBindingClient ? client : new CurrencyBindingClient(client);
}
