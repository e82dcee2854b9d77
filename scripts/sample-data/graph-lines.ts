/**
 * A Partner Center reconciliation CSV rewritten the way Microsoft Graph's billing exports deliver
 * the same data: one JSON object per line (JSON Lines), the CSV's column names as keys, money and
 * quantities as JSON numbers, dates as ISO instants, and empty values left out (the exports are
 * written by Spark, whose JSON writer drops null fields). The attribute names follow Graph's
 * attributeSet page (learn.microsoft.com/graph/api/resources/partners-billing-attributeset) for
 * usage and the reconciliation file's columns for licences; the key casing of the live exports is
 * not documented, so the importer compares keys case-insensitively and tests both spellings.
 */

import { parseCsv } from './csv-records';

export { parseCsv };

const NUMERIC = new Set([
  'UnitPrice',
  'Quantity',
  'Subtotal',
  'TaxTotal',
  'Total',
  'EffectiveUnitPrice',
  'BillableQuantity',
  'PCToBCExchangeRate',
  'BillingPreTaxTotal',
  'PricingPreTaxTotal',
  'PartnerEarnedCreditPercentage',
  'CreditPercentage',
]);

/** M/D/YYYY -> YYYY-MM-DDT00:00:00Z (the exports write instants). */
function isoInstant(mdy: string): string {
  const m = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(mdy);
  if (!m) return mdy;
  return `${m[3]}-${m[1]!.padStart(2, '0')}-${m[2]!.padStart(2, '0')}T00:00:00Z`;
}

export interface GraphLineOptions {
  /** 'camel': partnerId, pcToBCExchangeRate (the v1 API's style) instead of the CSV's PartnerId. */
  readonly keyCase?: 'pascal' | 'camel';
}

/** The CSV's data rows as JSON Lines (one string per line, no newline). */
export function csvToGraphLines(csv: string, options: GraphLineOptions = {}): string[] {
  const [header, ...rows] = parseCsv(csv);
  if (!header) return [];
  const keyOf = (name: string): string => (options.keyCase === 'camel' ? name.replace(/^[A-Z]+(?=[A-Z][a-z]|$)|^[A-Z]/, (s) => s.toLowerCase()) : name);
  return rows.map((values) => {
    const parts: string[] = [];
    header.forEach((name, i) => {
      const value = values[i] ?? '';
      if (value === '') return;
      const json = NUMERIC.has(name) && /^-?\d+(\.\d+)?$/.test(value) ? value : JSON.stringify(/Date$/.test(name) ? isoInstant(value) : value);
      parts.push(`${JSON.stringify(keyOf(name))}:${json}`);
    });
    return `{${parts.join(',')}}`;
  });
}
