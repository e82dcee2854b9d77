import { Random } from '../../scripts/sample-data/random';

const HEADER = [
  'CustomerId',
  'CustomerName',
  'InvoiceNumber',
  'SubscriptionId',
  'ChargeStartDate',
  'ChargeEndDate',
  'UsageDate',
  'MeterId',
  'MeterName',
  'ChargeType',
  'Quantity',
  'BillingPreTaxTotal',
  'BillingCurrency',
  'PricingPreTaxTotal',
  'PricingCurrency',
  'Tags',
];

export interface Spice {
  /** Share of rows made faulty, each a different way. */
  readonly bad?: number;
  /** Quoted line breaks in customer names (a chunk may start inside one). */
  readonly quotedBreaks?: boolean;
  readonly crlf?: boolean;
  readonly bom?: boolean;
  /** A second currency's rows (refused as mixed currencies). */
  readonly otherCurrency?: boolean;
  /** Control characters in the names of some rows. */
  readonly controlCharacters?: boolean;
}

/**
 * A daily-usage CSV of `rows` rows, seeded, with every kind of row a chunk boundary could disturb
 * when asked (`Spice`): refused rows of each kind, blank lines, quoted line breaks, CRLF, a BOM, a
 * second currency, control characters. Read in chunks (threads, queue parts) it must give exactly
 * what one pass gives.
 */
export function usageCsv(rows: number, seed: number, spice: Spice = {}): Uint8Array {
  const r = new Random(seed);
  const subs = Array.from({ length: 12 }, () => r.guid());
  const meters = Array.from({ length: 4 }, () => r.guid());
  const eol = spice.crlf ? '\r\n' : '\n';
  const lines = [HEADER.join(',')];
  for (let i = 0; i < rows; i++) {
    const day = r.int(1, 30);
    const qty = (r.int(0, 2_400_000) / 100_000).toFixed(6);
    const amount = (r.int(-500, 90_000_000) / 1e9).toFixed(r.int(2, 17));
    let name = r.chance(0.5) ? 'Contoso' : '"Fabrikam, Inc."';
    if (spice.quotedBreaks && r.chance(0.3)) name = `"Line one${eol}line two"`;
    // Late in the file, a subscription whose every row has a control character in its name.
    const controlled = spice.controlCharacters === true && i > rows * 0.6 && r.chance(0.02);
    if (controlled) name = 'Bad\u0001Name';
    const currency = spice.otherCurrency && r.chance(0.02) ? 'EUR' : 'USD';
    const row = [
      'c-1',
      name,
      `G${r.int(1, 3)}`,
      controlled ? 'controlled-subscription' : subs[r.int(0, subs.length - 1)],
      '11/01/2025',
      '11/30/2025',
      `11/${String(day).padStart(2, '0')}/2025`,
      meters[r.int(0, meters.length - 1)],
      'Meter',
      r.chance(0.05) ? 'refund' : 'new',
      qty,
      amount,
      currency,
      r.chance(0.5) ? amount : '',
      'USD',
      '"{""env"":""prod"", ""cc"":""1""}"',
    ];
    if (spice.bad && r.chance(spice.bad)) {
      const how = r.int(0, 5);
      if (how === 0) row[11] = 'n/a';
      if (how === 1) row[6] = '13/45/2025';
      if (how === 2) row.pop();
      if (how === 3) row[3] = '';
      if (how === 4) {
        lines.push('');
        continue;
      }
      if (how === 5) row[10] = '1e999';
    }
    lines.push(row.join(','));
  }
  const text = (spice.bom ? '\uFEFF' : '') + lines.join(eol) + eol;
  return new TextEncoder().encode(text);
}
