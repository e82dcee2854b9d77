import { BillImporter } from '../../core/src/import';

const HEADER =
  'ChargeType,BillableQuantity,Quantity,UnitPrice,EffectiveUnitPrice,Subtotal,TaxTotal,Total,SubscriptionId,ChargeStartDate,ChargeEndDate,ReferenceId,Currency,ProductName';
const csv = (rows: string[]): Uint8Array => new TextEncoder().encode([HEADER, ...rows].join('\r\n'));
const parse = (rows: string[]) => {
  const importer = new BillImporter({ fileName: 'bill.csv' });
  importer.push(csv(rows));
  return importer.finish();
};

describe('decimals shared between lines', () => {
  it('gives lines with the same text the same (immutable) Decimal, and every value stays exact', () => {
    const r = parse([
      'new,10,10,12.50,12.50,125.00,0,125.00,sub-1,3/5/2022,4/4/2022,ref-1,USD,M365',
      'new,3,3,12.50,12.5,37.50,0,37.50,sub-2,3/5/2022,4/4/2022,ref-2,USD,M365',
    ]);
    const [a, b] = r.lines;
    expect(a!.unitPrice).toBe(b!.unitPrice); // one Decimal for "12.50" on both lines
    expect(a!.tax).toBe(b!.tax);
    expect(b!.effectiveUnitPrice).not.toBe(b!.unitPrice); // "12.5" is another text, the same value
    expect(b!.effectiveUnitPrice!.eq(b!.unitPrice!)).toBe(true);
    expect([a!.quantity.toString(), b!.quantity.toString(), a!.amount.toFixed(2), b!.amount.toFixed(2)]).toEqual(['10', '3', '125.00', '37.50']);
    expect(r.summary.total.toFixed(2)).toBe('162.50');
  });

  it('stays exact past the bound on shared texts (5,000 different amounts)', () => {
    const rows = Array.from({ length: 5000 }, (_, i) => `new,1,1,${i}.01,${i}.01,${i}.01,0,${i}.01,sub-${i},3/5/2022,4/4/2022,ref-${i},USD,M365`);
    const r = parse(rows);
    expect(r.lines).toHaveLength(5000);
    r.lines.forEach((l, i) => expect(l.amount.toFixed(2)).toBe(`${i}.01`));
    // sum of i + 0.01 for i < 5000 = 12,497,500 + 50
    expect(r.summary.total.toFixed(2)).toBe('12497550.00');
  });
});
