/**
 * Seats bought but not assigned (core/src/sync/unassigned-seats.ts): Microsoft's documented
 * "List subscribedSkus" example read to its values (restated here from the page), hostile text refused
 * with the item index, property and value (never a crash), and a handwritten customer whose monthly
 * savings are computed here by hand, to the cent.
 */
import { Decimal, type CrmSubscriptionStatus } from '../../../core/src';
import {
  parseSubscribedSkus,
  SubscribedSkusParseError,
  unassignedSeats,
  type SkuCrmSubscription,
  type SkuProblem,
  type SubscribedSku,
} from '../../../core/src/sync/unassigned-seats';

const TENANT = '48a80680-7326-48cd-9935-b556b81d3a4e';

/**
 * The example response of "List subscribedSkus", verbatim (microsoftgraph/microsoft-graph-docs-contrib,
 * api-reference/v1.0/api/subscribedsku-list.md; learn.microsoft.com/graph/api/subscribedsku-list).
 */
const DOCS_SUBSCRIBED_SKUS = `{
    "@odata.context": "https://graph.microsoft.com/v1.0/$metadata#subscribedSkus",
    "value": [
        {
            "accountName": "Sample account One",
            "accountId": "f97aeefc-af85-414d-8ae4-b457f90efc40",
            "appliesTo": "User",
            "capabilityStatus": "Enabled",
            "consumedUnits": 14,
            "id": "48a80680-7326-48cd-9935-b556b81d3a4e_c7df2760-2c81-4ef7-b578-5b5392b571df",
            "prepaidUnits": {
                "enabled": 25,
                "lockedOut": 0,
                "suspended": 0,
                "warning": 0
            },
            "servicePlans": [
                {
                    "servicePlanId": "8c098270-9dd4-4350-9b30-ba4703f3b36b",
                    "servicePlanName": "ADALLOM_S_O365",
                    "provisioningStatus": "Success",
                    "appliesTo": "Company"
                }
            ],
            "skuId": "c7df2760-2c81-4ef7-b578-5b5392b571df",
            "skuPartNumber": "ENTERPRISEPREMIUM",
            "subscriptionIds": ["43d26afe-cb98-48b9-acc4-ae3ef2ac6c51"]
        },
        {
            "accountName": "Sample account Two",
            "accountId": "ee045480-0260-4c1e-b946-55842502229c",
            "appliesTo": "User",
            "capabilityStatus": "Suspended",
            "consumedUnits": 14,
            "id": "48a80680-7326-48cd-9935-b556b81d3a4e_d17b27af-3f49-4822-99f9-56a661538792",
            "prepaidUnits": {
                "enabled": 0,
                "lockedOut": 0,
                "suspended": 25,
                "warning": 0
            },
            "servicePlans": [
                {
                    "servicePlanId": "f9646fb2-e3b2-4309-95de-dc4833737456",
                    "servicePlanName": "CRMSTANDARD",
                    "provisioningStatus": "Disabled",
                    "appliesTo": "User"
                }
            ],
            "skuId": "d17b27af-3f49-4822-99f9-56a661538792",
            "skuPartNumber": "CRMSTANDARD",
            "subscriptionIds": ["15c301e0-c769-4f12-bab1-1e8519a7a6f1"]
        }
    ]
}`;

function crm(
  id: string,
  quantity: number,
  price: string | null,
  over: Partial<Omit<SkuCrmSubscription, 'customerUnitPrice'>> & { status?: CrmSubscriptionStatus } = {},
): SkuCrmSubscription {
  return {
    id: `crm-${id}`,
    vendorSubscriptionId: over.vendorSubscriptionId === undefined ? `${id.repeat(8).slice(0, 8)}-0000-4000-8000-000000000000` : over.vendorSubscriptionId,
    name: `Subscription ${id}`,
    customer: 'Contoso',
    quantity,
    status: over.status ?? 'active',
    autoRenew: true,
    termEnd: null,
    currency: over.currency ?? 'USD',
    ...(price === null ? {} : { customerUnitPrice: new Decimal(price) }),
    ...over,
  };
}
const vsid = (id: string) => `${id.repeat(8).slice(0, 8)}-0000-4000-8000-000000000000`;
const guid = (n: number) => `${String(n).padStart(8, '0')}-1111-4111-8111-111111111111`;

describe("Microsoft's documented example (List subscribedSkus)", () => {
  const { skus, nextLink } = parseSubscribedSkus(DOCS_SUBSCRIBED_SKUS);

  it('reads both SKUs with the values the page prints', () => {
    expect(nextLink).toBeNull();
    expect(skus).toEqual([
      {
        id: '48a80680-7326-48cd-9935-b556b81d3a4e_c7df2760-2c81-4ef7-b578-5b5392b571df',
        skuId: 'c7df2760-2c81-4ef7-b578-5b5392b571df',
        skuPartNumber: 'ENTERPRISEPREMIUM',
        appliesTo: 'User',
        capabilityStatus: 'Enabled',
        consumedUnits: 14,
        prepaidUnits: { enabled: 25, suspended: 0, warning: 0, lockedOut: 0 },
        subscriptionIds: ['43d26afe-cb98-48b9-acc4-ae3ef2ac6c51'],
        accountName: 'Sample account One',
      },
      {
        id: '48a80680-7326-48cd-9935-b556b81d3a4e_d17b27af-3f49-4822-99f9-56a661538792',
        skuId: 'd17b27af-3f49-4822-99f9-56a661538792',
        skuPartNumber: 'CRMSTANDARD',
        appliesTo: 'User',
        capabilityStatus: 'Suspended',
        consumedUnits: 14,
        prepaidUnits: { enabled: 0, suspended: 25, warning: 0, lockedOut: 0 },
        subscriptionIds: ['15c301e0-c769-4f12-bab1-1e8519a7a6f1'],
        accountName: 'Sample account Two',
      },
    ]);
  });

  it('ENTERPRISEPREMIUM: 25 enabled, 14 assigned, 11 unassigned at the CRM price; CRMSTANDARD: suspended, 14 assigned over 0 enabled', () => {
    const report = unassignedSeats(skus, [
      crm('e', 25, '35.00', { vendorSubscriptionId: '43D26AFE-CB98-48B9-ACC4-AE3EF2AC6C51' }), // the CRM in capitals: ids compare case-insensitively
      crm('c', 25, '65.00', { vendorSubscriptionId: '15c301e0-c769-4f12-bab1-1e8519a7a6f1' }),
    ]);
    const [crmStandard, e5] = report.skus; // by part number: CRMSTANDARD < ENTERPRISEPREMIUM
    expect([e5!.sku.skuPartNumber, e5!.enabled, e5!.consumed, e5!.unassigned, e5!.overAssigned]).toEqual(['ENTERPRISEPREMIUM', 25, 14, 11, 0]);
    expect(e5!.crm.map((m) => [m.subscription.id, m.matchedBy])).toEqual([['crm-e', 'subscriptionId']]);
    // 11 x 35.00 = 385.00
    expect([e5!.monthly!.currency, e5!.monthly!.seats, e5!.monthly!.amount.toFixed(2), e5!.notCounted]).toEqual(['USD', 11, '385.00', null]);
    expect([crmStandard!.sku.skuPartNumber, crmStandard!.unassigned, crmStandard!.overAssigned, crmStandard!.monthly]).toEqual(['CRMSTANDARD', 0, 14, null]);
    expect(report.totals.map((t) => [t.currency, t.seats, t.amount.toFixed(2), t.atLeast])).toEqual([['USD', 11, '385.00', false]]);
    expect([report.unassigned, report.overAssigned]).toEqual([11, 14]);
  });

  it('without a CRM subscription the seats are listed but no money is counted', () => {
    const [, e5] = unassignedSeats(skus, []).skus;
    expect([e5!.unassigned, e5!.monthly, e5!.notCounted]).toEqual([11, null, 'no CRM subscription for this SKU']);
  });
});

describe('a handwritten customer: savings by hand', () => {
  // Each line: SKU, its CRM subscriptions, the monthly money computed by hand.
  const skus: SubscribedSku[] = [
    // 20 enabled - 17 assigned = 3 x 12.50 (monthly plan) = 37.50 USD
    sku(1, 'A_MONTHLY', 20, 17, { subscriptionIds: [vsid('a').toUpperCase()] }),
    // 10 - 4 = 6 x (264.00 a year / 12 = 22.00) = 132.00 USD
    sku(2, 'B_ANNUAL', 10, 4, { subscriptionIds: [vsid('b')] }),
    // 5 - 2 = 3 x (100.00 / 12 = 8.333...) = 24.999... -> 25.00 USD (one rounding, at the SKU's amount)
    sku(3, 'C_ANNUAL_THIRDS', 5, 2, { subscriptionIds: [vsid('c')] }),
    // 6 - 4 = 2 x 9.00 = 18.00 EUR
    sku(4, 'D_EURO', 6, 4, { subscriptionIds: [vsid('d')] }),
    // the CRM's subscription was cancelled: listed, not counted
    sku(5, 'E_ENDED', 3, 0, { subscriptionIds: [vsid('e')] }),
    // 10 - 4 = 6 unassigned, but the partner's subscriptions hold 2 + 3 = 5 seats: 5 x the lower price 6.00 = 30.00 USD (at least)
    sku(6, 'F_TWO_PRICES', 10, 4, { subscriptionIds: [vsid('f'), vsid('g'), 'not-ours-0000'] }),
    // matched by the offer's SKU id (Graph's GUID kept on the offer): 9 - 8 = 1 x 10.00 = 10.00 USD
    sku(7, 'H_BY_OFFER', 9, 8),
    // a free SKU nobody sells: 9,997 unassigned seats, no money
    sku(8, 'FLOW_FREE', 10000, 3),
    // Warning (expired, in grace): listed, not counted
    sku(9, 'I_WARNING', 5, 1, { status: 'Warning', subscriptionIds: [vsid('i')] }),
    // company-wide: its licences are not assigned to users
    sku(10, 'J_COMPANY', 1, 0, { appliesTo: 'Company', subscriptionIds: [vsid('j')] }),
    // more assigned than enabled: over-assignment, no unassigned seats
    sku(11, 'K_OVER', 5, 7, { subscriptionIds: [vsid('k')] }),
    // a price of 0 is no price
    sku(12, 'L_NO_PRICE', 4, 1, { subscriptionIds: [vsid('l')] }),
  ];
  const rows: SkuCrmSubscription[] = [
    crm('a', 20, '12.50'),
    crm('b', 10, '264.00', { priceMonths: 12 }),
    crm('c', 5, '100.00', { priceMonths: 12 }),
    crm('d', 6, '9.00', { currency: 'EUR' }),
    crm('e', 3, '5.00', { status: 'cancelled' }),
    crm('f', 2, '7.20'),
    crm('g', 3, '6.00'),
    crm('h', 8, '10.00', { offerSkuId: guid(7).toUpperCase(), offerProductId: 'CFQ7TTC0LDPB' }),
    crm('i', 5, '20.00'),
    crm('j', 1, '3.00'),
    crm('k', 5, '4.00'),
    crm('l', 3, '0'),
  ];
  const report = unassignedSeats(skus, rows);
  const line = (part: string) => report.skus.find((r) => r.sku.skuPartNumber === part)!;

  it('lists every SKU in part-number order', () => {
    expect(report.skus.map((r) => r.sku.skuPartNumber)).toEqual([
      'A_MONTHLY',
      'B_ANNUAL',
      'C_ANNUAL_THIRDS',
      'D_EURO',
      'E_ENDED',
      'FLOW_FREE',
      'F_TWO_PRICES',
      'H_BY_OFFER',
      'I_WARNING',
      'J_COMPANY',
      'K_OVER',
      'L_NO_PRICE',
    ]);
  });

  it.each([
    ['A_MONTHLY', 3, 'USD', 3, '12.5', '37.50'],
    ['B_ANNUAL', 6, 'USD', 6, '22', '132.00'],
    ['C_ANNUAL_THIRDS', 3, 'USD', 3, new Decimal('100').div(12).toString(), '25.00'],
    ['D_EURO', 2, 'EUR', 2, '9', '18.00'],
    ['F_TWO_PRICES', 6, 'USD', 5, '6', '30.00'],
    ['H_BY_OFFER', 1, 'USD', 1, '10', '10.00'],
  ])('%s: %i unassigned, counted in %s: %i seats x %s = %s', (part, unassigned, currency, seats, unit, amount) => {
    const r = line(part);
    expect([r.unassigned, r.monthly?.currency, r.monthly?.seats, r.monthly?.monthlyUnitPrice.toString(), r.monthly?.amount.toFixed(2), r.notCounted]).toEqual([
      unassigned,
      currency,
      seats,
      unit,
      amount,
      null,
    ]);
  });

  it('the lowest of two prices is counted, and said so; the match names how it was made', () => {
    expect(line('F_TWO_PRICES').monthly!.lowestOf).toBe(2);
    expect(line('F_TWO_PRICES').crm.map((m) => [m.subscription.id, m.matchedBy, m.monthlyUnitPrice?.toString()])).toEqual([
      ['crm-f', 'subscriptionId', '7.2'],
      ['crm-g', 'subscriptionId', '6'],
    ]);
    expect(line('H_BY_OFFER').crm.map((m) => [m.subscription.id, m.matchedBy])).toEqual([['crm-h', 'offerSkuId']]);
  });

  it.each([
    ['E_ENDED', 3, 'its CRM subscriptions have ended'],
    ['FLOW_FREE', 9997, 'no CRM subscription for this SKU'],
    ['I_WARNING', 4, "capability status Warning: only an Enabled SKU's seats can be given back"],
    ['J_COMPANY', 1, 'applies to the company: its licences are not assigned to users'],
    ['L_NO_PRICE', 3, 'the CRM has no customer unit price for it'],
  ])('%s: %i unassigned, not counted: %s', (part, unassigned, reason) => {
    expect([line(part).unassigned, line(part).monthly, line(part).notCounted]).toEqual([unassigned, null, reason]);
  });

  it('over-assignment is reported apart, with no unassigned seats and no money', () => {
    expect([line('K_OVER').unassigned, line('K_OVER').overAssigned, line('K_OVER').monthly, line('K_OVER').notCounted]).toEqual([0, 2, null, null]);
  });

  it('totals per currency, by hand: USD 37.50 + 132.00 + 25.00 + 30.00 + 10.00 = 234.50 for 18 seats (at least); EUR 18.00 for 2', () => {
    expect(report.totals.map((t) => [t.currency, t.seats, t.amount.toFixed(2), t.atLeast])).toEqual([
      ['EUR', 2, '18.00', false],
      ['USD', 18, '234.50', true],
    ]);
    expect(report.unassigned).toBe(3 + 6 + 3 + 2 + 3 + 6 + 1 + 9997 + 4 + 1 + 3);
    expect(report.overAssigned).toBe(2);
  });

  it('subscriptions of one SKU in two currencies are not added up', () => {
    const r = unassignedSeats(
      [sku(1, 'MIXED', 4, 0, { subscriptionIds: [vsid('a'), vsid('b')] })],
      [crm('a', 2, '5.00'), crm('b', 2, '5.00', { currency: 'EUR' })],
    );
    expect(r.skus[0]!.notCounted).toBe('its CRM subscriptions bill in EUR and USD');
    expect(r.totals).toEqual([]);
  });

  it('the same input in another order gives the same report', () => {
    const again = unassignedSeats([...skus].reverse(), [...rows].reverse());
    expect(again.skus.map((r) => [r.sku.skuId, r.crm.map((m) => m.subscription.id), r.monthly?.amount.toFixed(2)])).toEqual(
      report.skus.map((r) => [r.sku.skuId, r.crm.map((m) => m.subscription.id), r.monthly?.amount.toFixed(2)]),
    );
  });
});

/** A SKU in the documented shape, through the parser. */
function sku(
  n: number,
  part: string,
  enabled: number,
  consumed: number,
  over: { status?: string; appliesTo?: string; subscriptionIds?: string[] } = {},
): SubscribedSku {
  const item = {
    appliesTo: over.appliesTo ?? 'User',
    capabilityStatus: over.status ?? 'Enabled',
    consumedUnits: consumed,
    id: `${TENANT}_${guid(n)}`,
    prepaidUnits: { enabled, lockedOut: 0, suspended: 0, warning: 0 },
    servicePlans: [],
    skuId: guid(n),
    skuPartNumber: part,
    subscriptionIds: over.subscriptionIds ?? [],
  };
  const [parsed] = parseSubscribedSkus(JSON.stringify({ value: [item] })).skus;
  return parsed!;
}

/** The problems a text is refused with, or a failure when it is accepted or fails another way. */
function problemsOf(text: string): SkuProblem[] {
  try {
    parseSubscribedSkus(text);
  } catch (e) {
    if (e instanceof SubscribedSkusParseError) return [...e.problems];
    throw e;
  }
  throw new Error('accepted');
}

function withItem(change: (item: Record<string, unknown>) => void, index = 1): string {
  const json = JSON.parse(DOCS_SUBSCRIBED_SKUS) as { value: Record<string, unknown>[] };
  change(json.value[index]!);
  return JSON.stringify(json);
}

describe('hostile input', () => {
  const cases: ReadonlyArray<readonly [string, unknown]> = [
    ['consumedUnits', -1],
    ['consumedUnits', 2.5],
    ['consumedUnits', '14'],
    ['consumedUnits', null],
    ['consumedUnits', 2 ** 31],
    ['capabilityStatus', 'Active'],
    ['capabilityStatus', 1],
    ['skuId', 'ENTERPRISEPREMIUM'],
    ['skuId', 42],
    ['skuPartNumber', ''],
    ['skuPartNumber', ['x']],
    ['id', null],
    ['appliesTo', 'Group'],
    ['prepaidUnits', 25],
    ['prepaidUnits', null],
    ['subscriptionIds', 'abc'],
    ['subscriptionIds', [1, 2]],
    ['accountName', { text: 'x' }],
  ];

  it.each(cases)('%s = %p is refused naming item 1, the property and the value', (property, value) => {
    expect(problemsOf(withItem((i) => (i[property] = value)))).toEqual([expect.objectContaining({ index: 1, property, value })]);
  });

  it.each([
    ['enabled', -3],
    ['enabled', undefined],
    ['suspended', '25'],
    ['warning', 0.5],
  ])('prepaidUnits.%s = %p is refused naming it', (unit, value) => {
    const text = withItem((i) => {
      const units = i['prepaidUnits'] as Record<string, unknown>;
      if (value === undefined) delete units[unit];
      else units[unit] = value;
    });
    expect(problemsOf(text)).toEqual([expect.objectContaining({ index: 1, property: `prepaidUnits.${unit}`, value })]);
  });

  it('a missing required property is named as missing, and every problem of every item is listed in one error', () => {
    const json = JSON.parse(DOCS_SUBSCRIBED_SKUS) as { value: Record<string, unknown>[] };
    delete json.value[0]!['consumedUnits'];
    json.value[1]!['capabilityStatus'] = 'gone';
    json.value[1]!['skuId'] = 'x';
    let error: unknown;
    try {
      parseSubscribedSkus(JSON.stringify(json));
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(SubscribedSkusParseError);
    const e = error as SubscribedSkusParseError;
    expect(e.problems.map((p) => [p.index, p.property, p.value])).toEqual([
      [0, 'consumedUnits', undefined],
      [1, 'skuId', 'x'],
      [1, 'capabilityStatus', 'gone'],
    ]);
    expect(e.message).toContain('value[0].consumedUnits (missing): is not a whole number of licences');
    expect(e.message).toContain('value[1].capabilityStatus "gone": is not one of Enabled, Warning, Suspended, Deleted, LockedOut');
  });

  it('a count too large for a number (1e400) is refused, not read as Infinity', () => {
    const text = DOCS_SUBSCRIBED_SKUS.replace('"consumedUnits": 14,', '"consumedUnits": 1e400,');
    expect(problemsOf(text)).toEqual([expect.objectContaining({ index: 0, property: 'consumedUnits', value: Infinity })]);
  });

  it('a skuId under __proto__ is not a skuId', () => {
    const text = DOCS_SUBSCRIBED_SKUS.replace(
      '"skuId": "c7df2760-2c81-4ef7-b578-5b5392b571df",',
      '"__proto__": {"skuId": "c7df2760-2c81-4ef7-b578-5b5392b571df"},',
    );
    expect(problemsOf(text)).toEqual([expect.objectContaining({ index: 0, property: 'skuId', value: undefined })]);
  });

  it('the same SKU twice (a page read twice) is refused', () => {
    const json = JSON.parse(DOCS_SUBSCRIBED_SKUS) as { value: Record<string, unknown>[] };
    json.value.push({ ...json.value[0]!, skuId: 'C7DF2760-2C81-4EF7-B578-5B5392B571DF' });
    expect(problemsOf(JSON.stringify(json))).toEqual([
      expect.objectContaining({ index: 2, property: 'skuId', value: 'c7df2760-2c81-4ef7-b578-5b5392b571df', reason: 'repeats value[0] (a page read twice?)' }),
    ]);
  });

  it.each([
    ['not JSON', '(body)', '{"value": ['],
    ['null', '(body)', 'null'],
    ['a list', '(body)', '[]'],
    ['a number', '(body)', '1e400'],
    ['no value', 'value', '{"@odata.context": "x"}'],
    ['value not a list', 'value', '{"value": {"0": {}}}'],
    ['an item that is not an object', '(item)', '{"value": [null]}'],
    ['a next link that is not text', '@odata.nextLink', '{"value": [], "@odata.nextLink": 7}'],
    ['deep nesting', '(item)', `{"value": [${'['.repeat(5000)}${']'.repeat(5000)}]}`],
  ])('%s is refused naming %s', (_what, property, text) => {
    expect(problemsOf(text).map((p) => p.property)).toEqual([property]);
  });

  it('text that is not a string, or megabytes of junk, is a typed error with a short message', () => {
    expect(problemsOf(undefined as unknown as string).map((p) => p.reason)).toEqual(['is not text']);
    const junk = `{"value": [${JSON.stringify({ skuId: 'x'.repeat(3_000_000) })}]}`;
    const problems = problemsOf(junk);
    expect(problems.map((p) => p.property)).toContain('skuId');
    let message = '';
    try {
      parseSubscribedSkus(junk);
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message.length).toBeLessThan(1000);
  });

  it('an empty tenant is an empty list, and a next link is returned for the client to follow', () => {
    expect(parseSubscribedSkus('{"value": []}')).toEqual({ skus: [], nextLink: null });
    expect(parseSubscribedSkus('\uFEFF{"value": [], "@odata.nextLink": "https://graph.microsoft.com/v1.0/subscribedSkus?$skiptoken=2"}').nextLink).toBe(
      'https://graph.microsoft.com/v1.0/subscribedSkus?$skiptoken=2',
    );
  });
});
