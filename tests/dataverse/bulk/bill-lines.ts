import type { EntityRecord } from '../../../dataverse/src/client';
import type { LocalOrg } from '../../../dataverse/src/local-org';

/** Deterministic bill lines: line i has key `L-<i>` and amounts derived from i (exact decimals as JSON numbers). */
export function lineKey(i: number): string {
  return `L-${String(i).padStart(6, '0')}`;
}

export function* billLines(importId: string, count: number, from = 0): Generator<EntityRecord> {
  for (let i = from; i < count; i++) {
    yield {
      cspb_name: `Microsoft 365 E3 line ${i}`,
      'cspb_ImportId@odata.bind': `cspb_billingimports(${importId})`,
      cspb_linekey: lineKey(i),
      cspb_sourcerow: i + 2,
      cspb_vendorsubscriptionid: `sub-${i % 977}`,
      cspb_chargetype: i % 3 === 0 ? 'cycleCharge' : 'new',
      cspb_chargestartdate: '2024-01-01',
      cspb_chargeenddate: '2024-01-31',
      cspb_quantity: (i % 50) + 1,
      // Two-decimal amounts written as JSON text by JSON.stringify: never summed here.
      cspb_unitprice: 36,
      cspb_subtotal: Number(`${(i % 50) + 1}${i % 2 ? '.5' : '.25'}`),
      cspb_currencycode: 'USD',
    };
  }
}

export async function seedImport(org: LocalOrg): Promise<string> {
  return org.create('cspb_billingimports', { cspb_name: 'January bill', cspb_contenthash: 'sha-january', cspb_currencycode: 'USD' });
}

/** Independent read of the org: line keys -> ids, from its snapshot (not through the client under test). */
export function linesInOrg(org: LocalOrg): Map<string, string[]> {
  const byKey = new Map<string, string[]>();
  for (const row of org.exportSnapshot({ exportedOn: '2024-01-01T00:00:00Z' }).tables['cspb_billingline'] ?? []) {
    const key = String(row['cspb_linekey']);
    byKey.set(key, [...(byKey.get(key) ?? []), String(row['cspb_billinglineid'])]);
  }
  return byKey;
}
