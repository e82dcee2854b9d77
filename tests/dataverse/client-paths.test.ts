import { filter, literal, queryString, recordPath } from '../../dataverse/src/client';
import type { CspbDiscrepancyRow } from '../../dataverse/generated';

describe('recordPath: how the Web API addresses a row', () => {
  it('uses a bare id, quoted text keys with doubled quotes, bare numbers', () => {
    expect(recordPath('accounts', '00000000-0000-0000-0000-000000000001')).toBe('accounts(00000000-0000-0000-0000-000000000001)');
    expect(recordPath('cspb_subscriptions', { cspb_vendorsubscriptionid: "O'Brien-1" })).toBe("cspb_subscriptions(cspb_vendorsubscriptionid='O''Brien-1')");
    expect(recordPath('cspb_subscriptionchanges', { _cspb_subscriptionid_value: '8a1c5f1e-0000-4000-8000-000000000001', cspb_sequence: 3 })).toBe(
      'cspb_subscriptionchanges(_cspb_subscriptionid_value=8a1c5f1e-0000-4000-8000-000000000001,cspb_sequence=3)',
    );
  });
});

describe('typed $filter builder', () => {
  const f = filter<CspbDiscrepancyRow>();

  it('quotes and escapes text, leaves numbers and lookup GUIDs bare, groups clauses', () => {
    const expr = f.and(
      f.eq('cspb_resolutionstatus', 100000000),
      f.or(f.contains('cspb_name', "it's"), f.eq('_cspb_runid_value', 'a1b2c3d4-0000-4000-8000-000000000001')),
    );
    expect(expr).toBe(
      "(cspb_resolutionstatus eq 100000000) and ((contains(cspb_name,'it''s')) or (_cspb_runid_value eq a1b2c3d4-0000-4000-8000-000000000001))",
    );
  });

  it('refuses non-finite numbers and writes null', () => {
    expect(() => literal(Number.NaN)).toThrow();
    expect(literal(null)).toBe('null');
  });

  it('renders query options with the filter URL-encoded', () => {
    expect(queryString({ select: ['cspb_name', 'cspb_variance'], filter: "cspb_name eq 'a b'", orderBy: ['cspb_variance desc'], top: 5 })).toBe(
      "$select=cspb_name,cspb_variance&$filter=cspb_name%20eq%20'a%20b'&$orderby=cspb_variance%20desc&$top=5",
    );
  });
});
