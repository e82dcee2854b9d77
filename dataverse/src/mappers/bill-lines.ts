import { addDays, Decimal, formatIso, parseDate, period, sha256Hex, type BillLine, type FormatId, type UsageAggregate } from '../../../core/src';
import type { EntityRecord } from '../client/types';
import { CspbBillingLineTable, type CspbBillingLineRow } from '../../generated';
import { MappingError, roundedToWebApi, MONEY_PLACES } from './values';

/**
 * cspb_billingline <-> the importer's BillLine / UsageAggregate. A row keeps what reconciliation
 * needs: identity (subscription, tenant, product, SKU, meter, charge type, charge dates, reference
 * id), order date (the bill period), quantity, prices, amounts, currency, pricing currency and
 * exchange rate (Microsoft's conversion of the month), meter name. Not kept (no column): tax, term
 * and billing cycle, product qualifiers, ordered quantity.
 * Money columns hold 4 decimals: prices and amounts with more are rounded half-up to 4 for display;
 * the subtotal is also kept exact (10 places, cspb_exactsubtotal), and read back from there, so a
 * line read from Dataverse equals the line read from the file (the parity suite holds them equal).
 */

/** Decimal columns (quantities, rates) keep 10 places. */
const QUANTITY_PLACES = 10;

/** Pure SHA-256 (core's), so the same keys come out of the import plugin and the import control in the browser. */
function sha(text: string): string {
  return sha256Hex(new TextEncoder().encode(text));
}

/**
 * The natural key of a line within its file: the file's content hash (first 32 hex) with the row
 * of a one-to-one line, or the hash of a usage aggregate's key (subscription, meter, charge
 * period, charge type). The same file always gives the same keys, so a resumed import upserts.
 */
export function lineKeyOf(contentHash: string, line: BillLine | UsageAggregate): string {
  const file = contentHash.slice(0, 32);
  if (line.kind === 'line') return `${file}-L${line.row}`;
  const key = [line.subscriptionId, line.meterId, formatIso(line.chargeStart), formatIso(line.chargeEndInclusive), line.chargeTypeKey].join('|').toLowerCase();
  return `${file}-U${sha(key).slice(0, 32)}`;
}

const money = (value: Decimal | undefined, column: string): number | null => roundedToWebApi(value, column, MONEY_PLACES);
const quantity = (value: Decimal | undefined, column: string): number | null => roundedToWebApi(value, column, QUANTITY_PLACES);

const LENGTHS = CspbBillingLineTable.maxLengths;
type TextColumn = keyof typeof LENGTHS;

/** A name or description, cut to what its column takes (the whole text stays in the bill file). */
function clipped(value: string | undefined, column: TextColumn): string | null {
  return value === undefined || value === '' ? null : value.slice(0, LENGTHS[column]);
}

/** An identifier reconciliation matches by: never cut (a cut id matches the wrong thing or nothing), refused when too long. */
function identifier(value: string | undefined, column: TextColumn, row: number): string | null {
  if (value === undefined || value === '') return null;
  if (value.length > LENGTHS[column])
    throw new MappingError(`row ${row}: longer than the column's ${LENGTHS[column]} characters`, `cspb_billingline.${column}`, value);
  return value;
}

/** The write body of a line (`cspb_ImportId@odata.bind` to its import). */
export function billLineToRow(line: BillLine | UsageAggregate, importId: string, contentHash: string): EntityRecord {
  const isUsage = line.kind === 'usage';
  const row = isUsage ? line.firstRow : line.row;
  const name = `${line.productName ?? line.productId ?? line.subscriptionId} ${line.chargeType} ${formatIso(line.chargeStart)}`;
  return {
    cspb_name: clipped(name, 'cspb_name'),
    'cspb_ImportId@odata.bind': `/cspb_billingimports(${importId})`,
    cspb_linekey: lineKeyOf(contentHash, line),
    cspb_sourcerow: row,
    cspb_vendorsubscriptionid: identifier(line.subscriptionId, 'cspb_vendorsubscriptionid', row),
    cspb_customertenantid: identifier(line.customerId, 'cspb_customertenantid', row),
    cspb_customername: clipped(line.customerName, 'cspb_customername'),
    cspb_productid: identifier(line.productId, 'cspb_productid', row),
    cspb_skuid: identifier(line.skuId, 'cspb_skuid', row),
    cspb_productname: clipped(line.productName, 'cspb_productname'),
    cspb_meterid: identifier(line.meterId, 'cspb_meterid', row),
    cspb_metername: clipped(line.meterName, 'cspb_metername'),
    cspb_chargetype: identifier(line.chargeType, 'cspb_chargetype', row),
    cspb_chargestartdate: formatIso(line.chargeStart),
    cspb_chargeenddate: formatIso(line.chargeEndInclusive),
    cspb_quantity: quantity(line.quantity, 'cspb_quantity'),
    cspb_unitprice: isUsage ? null : money(line.unitPrice, 'cspb_unitprice'),
    cspb_effectiveunitprice: isUsage ? null : money(line.effectiveUnitPrice, 'cspb_effectiveunitprice'),
    cspb_subtotal: money(line.amount, 'cspb_subtotal'),
    cspb_exactsubtotal: quantity(line.amount, 'cspb_exactsubtotal'),
    cspb_total: money(isUsage ? line.amount : (line.total ?? line.amount), 'cspb_total'),
    cspb_currencycode: line.currency,
    cspb_exchangerate: isUsage ? null : quantity(line.exchangeRate, 'cspb_exchangerate'),
    cspb_pricingcurrency: identifier(line.pricingCurrency, 'cspb_pricingcurrency', row),
    cspb_orderdate: !isUsage && line.orderDate !== undefined ? formatIso(line.orderDate) : null,
    cspb_referenceid: isUsage ? null : identifier(line.referenceId, 'cspb_referenceid', row),
    cspb_usagerowcount: isUsage ? line.rowCount : 1,
    cspb_firstusagedate: isUsage ? formatIso(line.firstUsageDate) : null,
    cspb_lastusagedate: isUsage ? formatIso(line.lastUsageDate) : null,
  };
}

const dec = (value: number | null | undefined) => (value === null || value === undefined ? undefined : new Decimal(String(value)));

/** A stored line back as the importer's shape (usage when it has a meter and usage dates). */
export function rowToBillLine(row: CspbBillingLineRow, format: FormatId, invoiceNumber?: string): BillLine | UsageAggregate {
  const chargeStart = parseDate(row.cspb_chargestartdate ?? '');
  const chargeEndInclusive = parseDate(row.cspb_chargeenddate ?? row.cspb_chargestartdate ?? '');
  const chargeType = row.cspb_chargetype ?? '';
  const identity = {
    format,
    ...(invoiceNumber ? { invoiceNumber } : {}),
    ...(row.cspb_customertenantid ? { customerId: row.cspb_customertenantid } : {}),
    ...(row.cspb_customername ? { customerName: row.cspb_customername } : {}),
    subscriptionId: row.cspb_vendorsubscriptionid ?? '',
    ...(row.cspb_productid ? { productId: row.cspb_productid } : {}),
    ...(row.cspb_skuid ? { skuId: row.cspb_skuid } : {}),
    ...(row.cspb_productname ? { productName: row.cspb_productname } : {}),
    chargeType,
    chargeTypeKey: chargeType.toLowerCase(),
    chargeStart,
    chargeEndInclusive,
    period: period(chargeStart, addDays(chargeEndInclusive, 1)),
    currency: row.cspb_currencycode,
  };
  const amount = dec(row.cspb_exactsubtotal) ?? dec(row.cspb_subtotal) ?? dec(row.cspb_total) ?? new Decimal(0);
  const qty = dec(row.cspb_quantity) ?? new Decimal(0);
  if (row.cspb_meterid && row.cspb_firstusagedate) {
    return {
      ...identity,
      kind: 'usage',
      firstRow: row.cspb_sourcerow ?? 0,
      meterId: row.cspb_meterid,
      ...(row.cspb_metername ? { meterName: row.cspb_metername } : {}),
      rowCount: row.cspb_usagerowcount ?? 1,
      firstUsageDate: parseDate(row.cspb_firstusagedate),
      lastUsageDate: parseDate(row.cspb_lastusagedate ?? row.cspb_firstusagedate),
      quantity: qty,
      amount,
      ...(row.cspb_pricingcurrency ? { pricingCurrency: row.cspb_pricingcurrency } : {}),
    } satisfies UsageAggregate;
  }
  const unitPrice = dec(row.cspb_unitprice);
  const effectiveUnitPrice = dec(row.cspb_effectiveunitprice);
  const subtotal = dec(row.cspb_exactsubtotal) ?? dec(row.cspb_subtotal);
  const total = dec(row.cspb_total);
  const exchangeRate = dec(row.cspb_exchangerate);
  const orderDate = row.cspb_orderdate ? parseDate(row.cspb_orderdate) : undefined;
  return {
    ...identity,
    kind: 'line',
    row: row.cspb_sourcerow ?? 0,
    ...(row.cspb_meterid ? { meterId: row.cspb_meterid } : {}),
    ...(row.cspb_metername ? { meterName: row.cspb_metername } : {}),
    ...(unitPrice ? { unitPrice } : {}),
    ...(effectiveUnitPrice ? { effectiveUnitPrice } : {}),
    quantity: qty,
    ...(subtotal ? { subtotal } : {}),
    ...(total ? { total } : {}),
    amount,
    ...(exchangeRate ? { exchangeRate } : {}),
    ...(row.cspb_pricingcurrency ? { pricingCurrency: row.cspb_pricingcurrency } : {}),
    ...(orderDate !== undefined ? { orderDate } : {}),
    ...(row.cspb_referenceid ? { referenceId: row.cspb_referenceid } : {}),
  } satisfies BillLine;
}
