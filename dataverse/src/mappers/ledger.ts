import { SubscriptionLedger, type LedgerEntry } from '../../../core/src';
import {
  type CspbSubscriptionChangeRow,
  type CspbSubscriptionChangeWrite,
  CspbSubscriptionChangeChangeTypeKeys,
  CspbSubscriptionChangeTermKeys,
  CspbSubscriptionChangeBillingPlanKeys,
  CspbSubscriptionChangeSourceKeys,
  CspbSubscriptionChangeAutoRenewKeys,
} from '../../generated';
import { choiceMap, dateFromWebApi, dateToWebApi, decimalFromWebApi, decimalToWebApi, MONEY_PLACES, required } from './values';

const kinds = choiceMap(CspbSubscriptionChangeChangeTypeKeys, 'cspb_changetype');
const terms = choiceMap(CspbSubscriptionChangeTermKeys, 'cspb_term');
const plans = choiceMap(CspbSubscriptionChangeBillingPlanKeys, 'cspb_billingplan');
const sources = choiceMap(CspbSubscriptionChangeSourceKeys, 'cspb_source');
const autoRenew = choiceMap(CspbSubscriptionChangeAutoRenewKeys, 'cspb_autorenew');

/** A short, human-readable name for the ledger row ("add +5 -> 15 on 2026-10-07"). */
function rowName(entry: LedgerEntry): string {
  const delta = entry.quantityDelta === 0 ? '' : ` ${entry.quantityDelta > 0 ? '+' : ''}${entry.quantityDelta} -> ${entry.quantityAfter}`;
  return `${entry.kind}${delta} on ${dateToWebApi(entry.effectiveDate)}`;
}

/**
 * A ledger entry as the body that creates its cspb_subscriptionchange row. `changeKey` is the
 * identity of the change that wrote it (unique per subscription): a save's rows use
 * `v<row version>.<n>`, other writers their own prefix (`seq.<sequence>` by default).
 */
export function ledgerEntryToRow(
  entry: LedgerEntry,
  subscriptionRowId: string,
  currencyCode: string,
  changeKey = `seq.${entry.sequence}`,
): CspbSubscriptionChangeWrite {
  return {
    cspb_changekey: changeKey,
    cspb_name: rowName(entry),
    'cspb_SubscriptionId@odata.bind': `/cspb_subscriptions(${subscriptionRowId})`,
    cspb_sequence: entry.sequence,
    cspb_changetype: kinds.toWebApi(entry.kind),
    cspb_quantitybefore: entry.quantityBefore,
    cspb_quantitydelta: entry.quantityDelta,
    cspb_quantityafter: entry.quantityAfter,
    cspb_effectivedate: dateToWebApi(entry.effectiveDate),
    cspb_unitcost: decimalToWebApi(entry.unitPrice, 'cspb_unitcost', MONEY_PLACES),
    cspb_unitprice: decimalToWebApi(entry.customerUnitPrice, 'cspb_unitprice', MONEY_PLACES),
    cspb_currencycode: currencyCode,
    cspb_productid: entry.productId ?? null,
    cspb_productname: entry.productName ?? null,
    cspb_term: terms.toWebApi(entry.term),
    cspb_billingplan: plans.toWebApi(entry.billingPlan),
    cspb_autorenew: autoRenew.toWebApi(entry.autoRenew === undefined ? undefined : entry.autoRenew ? 'on' : 'off'),
    cspb_openedbyconversion: entry.openedByConversion ?? false,
    cspb_targetproductid: entry.conversion?.targetProductId ?? null,
    cspb_targetproductname: entry.conversion?.targetProductName ?? null,
    cspb_targetunitprice: decimalToWebApi(entry.conversion?.targetUnitPrice, 'cspb_targetunitprice', MONEY_PLACES),
    cspb_convertedquantity: entry.conversion?.convertedQuantity ?? null,
    cspb_targetvendorsubscriptionid: entry.conversion?.targetSubscriptionId ?? null,
    cspb_source: sources.toWebApi(entry.source ?? 'api'),
    cspb_reason: entry.reason ?? null,
    cspb_referenceid: entry.referenceId,
  };
}

/** A stored ledger row as the core's entry (unset optional columns stay unset). */
export function rowToLedgerEntry(row: CspbSubscriptionChangeRow): LedgerEntry {
  const renew = autoRenew.fromWebApi(row.cspb_autorenew);
  const targetProductId = row.cspb_targetproductid ?? undefined;
  const entry: LedgerEntry = {
    sequence: row.cspb_sequence,
    kind: required(kinds.fromWebApi(row.cspb_changetype), 'cspb_changetype'),
    effectiveDate: required(dateFromWebApi(row.cspb_effectivedate, 'cspb_effectivedate'), 'cspb_effectivedate'),
    referenceId: row.cspb_referenceid ?? '',
    quantityBefore: row.cspb_quantitybefore,
    quantityDelta: row.cspb_quantitydelta,
    quantityAfter: row.cspb_quantityafter,
    unitPrice: decimalFromWebApi(row.cspb_unitcost, 'cspb_unitcost'),
    customerUnitPrice: decimalFromWebApi(row.cspb_unitprice, 'cspb_unitprice'),
    productId: row.cspb_productid ?? undefined,
    productName: row.cspb_productname ?? undefined,
    term: terms.fromWebApi(row.cspb_term),
    billingPlan: plans.fromWebApi(row.cspb_billingplan),
    autoRenew: renew === undefined ? undefined : renew === 'on',
    openedByConversion: row.cspb_openedbyconversion ? true : undefined,
    conversion:
      targetProductId === undefined
        ? undefined
        : {
            targetProductId,
            targetProductName: row.cspb_targetproductname ?? undefined,
            targetUnitPrice: required(decimalFromWebApi(row.cspb_targetunitprice, 'cspb_targetunitprice'), 'cspb_targetunitprice'),
            convertedQuantity: required(row.cspb_convertedquantity ?? undefined, 'cspb_convertedquantity'),
            targetSubscriptionId: row.cspb_targetvendorsubscriptionid ?? undefined,
          },
    source: sources.fromWebApi(row.cspb_source),
    reason: row.cspb_reason ?? undefined,
  };
  return dropUndefined(entry);
}

/** Rebuilds (and re-validates) a subscription's ledger from its rows, in sequence order. */
export function ledgerFromRows(subscriptionId: string, rows: readonly CspbSubscriptionChangeRow[]): SubscriptionLedger {
  const entries = [...rows].sort((a, b) => a.cspb_sequence - b.cspb_sequence).map(rowToLedgerEntry);
  return SubscriptionLedger.replay(subscriptionId, entries);
}

function dropUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
