/**
 * Each format rendered every way a partner's file arrives: UTF-8 with/without BOM, UTF-16 LE/BE,
 * CRLF/LF, every field quoted or only where needed, trailing blank lines, columns reversed, and
 * saved from Excel as .xlsx. Every variant must give the same bill.
 */
import { dateOf, formatIso } from '../../core/src/calendar';
import { importBytes, ImportResult } from '../../core/src/import';
import {
  CSV_FIXTURES,
  Fixture,
  LEGACY_LICENSE_FIXTURE,
  NCE_DAILY_FIXTURE,
  NCE_LICENSE_FIXTURE,
  PAX8_FIXTURE,
  STREAMONE_FIXTURE,
  TRICKY_NAME,
} from './fixtures';
import { loadShippedProfiles } from './load-profiles';
import { csvText, encode, Encoding, expectBalanced, nodeSha256, xlsxBytes } from './support';

const profiles = loadShippedProfiles();

function reorder(f: Fixture): { header: string[]; rows: string[][] } {
  return { header: [...f.header].reverse(), rows: f.rows.map((r) => [...r].reverse()) };
}

/** What must not change between variants. */
function essence(r: ImportResult): unknown {
  const s = r.summary;
  return {
    format: s.format,
    rows: [s.rowsRead, s.rowsAccepted, s.rowsRejected],
    total: s.total.toString(),
    byType: Object.fromEntries(Object.entries(s.totalsByChargeType).map(([k, v]) => [k, [v.rows, v.amount.toString(), v.quantity.toString()]])),
    lines: r.lines.map((l) => [
      l.row > 0,
      l.subscriptionId,
      l.customerName,
      l.chargeTypeKey,
      formatIso(l.chargeStart),
      formatIso(l.chargeEndInclusive),
      l.quantity.toString(),
      l.amount.toString(),
      l.currency,
    ]),
    usage: r.usage.map((u) => [
      u.subscriptionId,
      u.meterId,
      u.chargeTypeKey,
      u.rowCount,
      u.quantity.toString(),
      u.amount.toString(),
      formatIso(u.firstUsageDate),
      formatIso(u.lastUsageDate),
      u.customerName,
    ]),
    errors: r.errors.map((e) => e.code),
  };
}

const ENCODINGS: Encoding[] = ['utf-8', 'utf-8-bom', 'utf-16le', 'utf-16be'];

describe.each(CSV_FIXTURES.map((f) => [f.name, f] as const))('%s', (_name, fixture) => {
  const baseline = importBytes(encode(csvText(fixture.header, fixture.rows), 'utf-8'), { profiles, fileName: `${fixture.name}.csv` });

  it('is detected and read with the hand-computed total', () => {
    expectBalanced(baseline);
    expect(baseline.errors).toEqual([]);
    expect(baseline.summary.format).toBe(fixture.format);
    expect(baseline.summary.rowsRead).toBe(fixture.expectedRows);
    expect(baseline.summary.lineCount).toBe(fixture.expectedLines);
    expect(baseline.summary.total.toString()).toBe(fixture.expectedTotal);
    const names = [...baseline.lines.map((l) => l.customerName), ...baseline.usage.map((u) => u.customerName)];
    expect(names).toContain(TRICKY_NAME);
  });

  const variants: [string, Encoding, string, boolean, number, boolean][] = [];
  for (const enc of ENCODINGS)
    for (const eol of ['\r\n', '\n'])
      for (const quoteAll of [false, true])
        variants.push([
          `${enc} ${eol === '\n' ? 'LF' : 'CRLF'} ${quoteAll ? 'all quoted' : 'minimal quotes'}`,
          enc,
          eol,
          quoteAll,
          quoteAll ? 3 : 0,
          eol === '\n',
        ]);

  it.each(variants)('%s (trailing blank lines, reordered columns) gives the same bill', (_label, enc, eol, quoteAll, blank, reversed) => {
    const table = reversed ? reorder(fixture) : { header: [...fixture.header], rows: fixture.rows.map((r) => [...r]) };
    const bytes = encode(csvText(table.header, table.rows, { eol, quoteAll, trailingBlankLines: blank }), enc);
    const r = importBytes(bytes, { profiles }, 7); // 7-byte chunks: every boundary case of the scanner and decoder
    expectBalanced(r);
    expect(r.summary.encoding).toBe(enc);
    expect(essence(r)).toEqual(essence(baseline));
    expect(r.summary.contentHash).toBe(nodeSha256(bytes));
  });

  it('reads the same bill from Excel-style tab-separated UTF-16 ("Unicode text")', () => {
    const bytes = encode(csvText(fixture.header, fixture.rows, { delimiter: '\t' }), 'utf-16le');
    const r = importBytes(bytes, { profiles });
    expect(r.summary.delimiter).toBe('\t');
    expect(essence(r)).toEqual(essence(baseline));
  });

  it('reads the same bill from an .xlsx saved by Excel (numbers as numeric cells)', () => {
    const numeric = new Set(fixture.numeric.map((n) => fixture.header.indexOf(n)));
    const r = importBytes(xlsxBytes(fixture.header, fixture.rows, numeric), { profiles });
    expect(r.summary.source).toBe('xlsx');
    expect(essence(r)).toEqual(essence(baseline));
  });
});

describe('format details', () => {
  it('new-commerce licence lines keep both dates, BillableQuantity and case-folded charge types', () => {
    const r = importBytes(encode(csvText(NCE_LICENSE_FIXTURE.header, NCE_LICENSE_FIXTURE.rows), 'utf-8'));
    const [a, b, c] = r.lines;
    expect(a?.chargeType).toBe('new');
    expect(b?.chargeType).toBe('addQuantity');
    expect(b?.chargeTypeKey).toBe('addquantity');
    expect(b?.quantity.toString()).toBe('5'); // BillableQuantity, not Quantity (15)
    expect(b?.orderedQuantity?.toString()).toBe('15');
    expect(a?.chargeEndInclusive).toBe(dateOf(2022, 4, 4));
    expect(a?.period).toEqual({ start: dateOf(2022, 3, 5), end: dateOf(2022, 4, 5) });
    expect(a?.tax?.toString()).toBe('22.8');
    expect(a?.total?.toString()).toBe('142.8');
    expect(a?.resellerMpnId).toBe('7654321'); // from Tier2MpnId
    expect(c?.productQualifiers).toBe('AddOn');
    expect(r.summary.currencies).toEqual(['EUR']);
    expect(r.summary.invoiceNumbers).toEqual(['G000000001']);
    expect(r.summary.period).toEqual({ start: dateOf(2022, 3, 1), end: dateOf(2022, 4, 5) });
  });

  it('accepts ResellerMpnId instead of Tier2MpnId and a file without ProductCategory', () => {
    const header = NCE_LICENSE_FIXTURE.header.map((h) => (h === 'Tier2MpnId' ? 'ResellerMpnId' : h));
    const r = importBytes(encode(csvText(header, NCE_LICENSE_FIXTURE.rows), 'utf-8'));
    expect(r.lines[0]?.resellerMpnId).toBe('7654321');
    expect(r.lines[0]?.productCategory).toBeUndefined();
    const withCategory = importBytes(
      encode(
        csvText(
          [...header, 'ProductCategory'],
          NCE_LICENSE_FIXTURE.rows.map((row) => [...row, 'Azure']),
        ),
        'utf-8',
      ),
    );
    expect(withCategory.lines[0]?.productCategory).toBe('Azure');
  });

  it('daily usage is aggregated per subscription x meter x period x charge type with exact sums', () => {
    const r = importBytes(encode(csvText(NCE_DAILY_FIXTURE.header, NCE_DAILY_FIXTURE.rows), 'utf-8'));
    expect(r.usage.map((u) => [u.subscriptionId, u.meterId, u.chargeType, u.rowCount, u.quantity.toString(), u.amount.toString()])).toEqual([
      // 1.5 + 0.00003 + 2.25; 0.123456789012345 + 0.00000063 + 0.2 ("new" and "New" are one charge type)
      ['S1', 'M1', 'new', 3, '3.75003', '0.323457419012345'],
      ['S1', 'M2', 'new', 1, '10', '5'],
      ['S2', 'M1', 'refund', 1, '1', '0.1'],
    ]);
    const first = r.usage[0]!;
    expect([formatIso(first.firstUsageDate), formatIso(first.lastUsageDate)]).toEqual(['2025-11-01', '2025-11-03']);
    expect(first.period).toEqual({ start: dateOf(2025, 11, 1), end: dateOf(2025, 12, 1) });
    expect(first.pricingAmount?.toString()).toBe('0.323457419012345');
    expect(first.firstRow).toBe(2);
    expect(r.summary.totalsByChargeType.new?.rows).toBe(4);
    expect(r.summary.totalsByChargeType.refund?.amount.toString()).toBe('0.1');
  });

  it('legacy licence files use SyndicationPartnerSubscriptionNumber as the subscription id', () => {
    const r = importBytes(encode(csvText(LEGACY_LICENSE_FIXTURE.header, LEGACY_LICENSE_FIXTURE.rows), 'utf-8'));
    expect(r.lines.map((l) => l.subscriptionId)).toEqual(['aaaa0a0a-bb1b', 'cccc0a0a-dd1d']);
    expect(Object.keys(r.summary.totalsByChargeType)).toEqual(['cycle fee']);
  });

  it('distributor profiles map their own headers', () => {
    const pax = importBytes(encode(csvText(PAX8_FIXTURE.header, PAX8_FIXTURE.rows), 'utf-8'), { profiles });
    expect(pax.lines[0]).toMatchObject({ subscriptionId: 'px-sub-1', skuId: 'MST-365-BP', billingFrequency: 'Monthly', unit: 'User' });
    expect(pax.lines[0]?.unitPrice?.toString()).toBe('5');
    const so = importBytes(encode(csvText(STREAMONE_FIXTURE.header, STREAMONE_FIXTURE.rows), 'utf-8'), { profiles });
    expect(so.summary.formatLabel).toContain('StreamOne');
    expect(so.lines[1]?.chargeType).toBe('customerCredit');
    expect(so.lines[0]?.amount.toString()).toBe('100.1'); // Seller Cost, not Customer Cost
  });

  it('reads Excel serial dates in an .xlsx', () => {
    const f = LEGACY_LICENSE_FIXTURE;
    const idx = (n: string) => f.header.indexOf(n);
    // 42867 = 2017-05-12 and 42895 = 2017-06-09 in Excel's 1900 date system.
    const rows = f.rows.map((r) => r.map((v, i) => (i === idx('ChargeStartDate') ? '42867' : i === idx('ChargeEndDate') ? '42895' : v)));
    const r = importBytes(xlsxBytes(f.header, rows, new Set([idx('ChargeStartDate'), idx('ChargeEndDate')])));
    expect(r.errors).toEqual([]);
    expect(formatIso(r.lines[0]!.chargeStart)).toBe('2017-05-12');
    expect(formatIso(r.lines[0]!.chargeEndInclusive)).toBe('2017-06-09');
  });

  it('reads an .xlsx amount Excel stored as a double at 15 significant digits', () => {
    const f = LEGACY_LICENSE_FIXTURE;
    const col = f.header.indexOf('Subtotal');
    // 0.1 + 0.2 as Excel writes the double: 0.30000000000000004
    const rows = [f.rows[0]!.map((v, i) => (i === col ? '0.30000000000000004' : v))];
    const r = importBytes(xlsxBytes(f.header, rows, new Set([col])));
    expect(r.lines[0]?.amount.toString()).toBe('0.3');
  });
});
