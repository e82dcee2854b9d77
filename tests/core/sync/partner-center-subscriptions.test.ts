/**
 * Reading Partner Center's subscriptions collection: the real legacy recording and the documented
 * new-commerce example give the values the files print; hostile text is refused with every problem
 * named (item index, property, value), never a crash and never a default.
 */
import fc from 'fast-check';
import { formatIso } from '../../../core/src/calendar';
import { parsePartnerCenterSubscriptions, PartnerCenterParseError, type PcProblem } from '../../../core/src/sync';
import { collection, DOCS_NCE_COLLECTION, item, readSharedSample, RECORDING } from './fixtures';

const iso = (d: number | null) => (d === null ? null : formatIso(d as never));

describe('the shared recording (legacy CSP, Partner-Center-PowerShell GetCustomerSubscription.json)', () => {
  const page = parsePartnerCenterSubscriptions(readSharedSample(RECORDING));

  it('reads both items with the values the file prints', () => {
    expect(page.next).toBeNull();
    expect(page.subscriptions.map((s) => ({ ...s, commitmentEndDate: iso(s.commitmentEndDate), termEnd: iso(s.termEnd) }))).toEqual([
      {
        id: '4F26A5CA-C468-4715-8FC5-A14F28BCC29B',
        offerId: 'MS-AZR-0145P',
        offerName: 'Microsoft Azure',
        friendlyName: 'Microsoft Azure',
        quantity: 1,
        status: 'active',
        autoRenewEnabled: false,
        commitmentEndDate: '9999-12-14',
        // "For subscriptions which are not auto-renewable, this represents a date far, far away": no term end.
        termEnd: null,
        termDuration: null,
        billingCycle: 'monthly',
        billingType: 'usage',
        commerce: 'legacy',
        customerId: '46a62ece-10ad-42e5-b3f1-b2ed53e6fc08',
      },
      {
        id: 'B34024C7-9258-4841-BD0B-1E2A5D5C9D8D',
        offerId: 'BD938F12-058F-4927-BBA3-AE36B1D2501C',
        offerName: 'Office 365 Business Essentials',
        friendlyName: 'Office 365 Business Essentials',
        quantity: 1,
        status: 'suspended',
        autoRenewEnabled: true,
        commitmentEndDate: '2019-03-26',
        // Legacy end dates are exclusive: the term that started 2018-03-26 ends on 2019-03-25.
        termEnd: '2019-03-25',
        termDuration: null,
        billingCycle: 'monthly',
        billingType: 'license',
        commerce: 'legacy',
        customerId: '46a62ece-10ad-42e5-b3f1-b2ed53e6fc08',
      },
    ]);
  });
});

describe('the documented new-commerce collection', () => {
  it('reads termDuration, the inclusive end date, one_time and the customer from links.self', () => {
    const [s] = parsePartnerCenterSubscriptions(DOCS_NCE_COLLECTION).subscriptions;
    expect(s).toMatchObject({
      id: 'a67afaf0-2f79-4c12-8fd1-6005ed24bb28',
      offerId: 'DZH318Z09V6F:0001:DZH318Z0BLD3',
      offerName: 'Compute savings plan, 1 Year',
      friendlyName: 'Compute_Savings_Plan_123',
      quantity: 1,
      status: 'active',
      autoRenewEnabled: true,
      termDuration: 'P1Y',
      billingCycle: 'one_time',
      billingType: 'benefit',
      commerce: 'new',
      customerId: '6f4ce4d8-f42e-45e0-8661-92ad6ac9d003',
    });
    expect(iso(s!.commitmentEndDate)).toBe('2024-05-17');
    expect(iso(s!.termEnd)).toBe('2024-05-17');
  });

  it("reads links.next and its continuation header (the paged APIs' documented shape)", () => {
    const page = parsePartnerCenterSubscriptions(collection([item({ id: 'a' })], { uri: '/customers/x/subscriptions?seek=2', token: 'AQAAAA==' }));
    expect(page.next).toEqual({ uri: '/customers/x/subscriptions?seek=2', headers: { 'MS-ContinuationToken': 'AQAAAA==' } });
  });

  it('takes enum spellings in any case: "Active", "Annual", "OneTime"', () => {
    const page = parsePartnerCenterSubscriptions(
      collection([item({ id: 'a', status: 'Active', billingCycle: 'Annual' }), item({ id: 'b', billingCycle: 'OneTime', termDuration: 'p3y' })]),
    );
    expect(page.subscriptions.map((s) => [s.status, s.billingCycle, s.termDuration])).toEqual([
      ['active', 'annual', 'P1Y'],
      ['active', 'one_time', 'P3Y'],
    ]);
  });

  it('an offset date-time is read as its UTC date, the way Partner Center dates are meant', () => {
    const raw = item({ id: 'a' });
    raw['commitmentEndDate'] = '2028-02-29T23:30:00-01:00';
    expect(iso(parsePartnerCenterSubscriptions(collection([raw])).subscriptions[0]!.termEnd)).toBe('2028-03-01');
  });
});

/** The problems a text is refused with, or a failure when it is accepted or fails another way. */
function problemsOf(text: string): PcProblem[] {
  try {
    parsePartnerCenterSubscriptions(text);
  } catch (e) {
    if (e instanceof PartnerCenterParseError) return [...e.problems];
    throw e;
  }
  throw new Error('accepted');
}

function withItem(change: (item: Record<string, unknown>) => void, index = 1): string {
  const json = JSON.parse(readSharedSample(RECORDING)) as { items: Record<string, unknown>[] };
  change(json.items[index]!);
  return JSON.stringify(json);
}

describe('hostile input', () => {
  const cases: ReadonlyArray<readonly [string, unknown]> = [
    ['quantity', -1],
    ['quantity', 2.5],
    ['quantity', '3'],
    ['quantity', null],
    ['status', 'Cancelled'],
    ['status', 7],
    ['autoRenewEnabled', 'true'],
    // The docs' own example writes times with spaces in them.
    ['commitmentEndDate', '2016-12-12T08: 00: 00Z'],
    ['commitmentEndDate', '2019-02-30T00:00:00Z'],
    ['commitmentEndDate', '3/26/2019'],
    ['commitmentEndDate', 20190326],
    ['billingCycle', 'fortnightly'],
    ['termDuration', '1 year'],
    ['id', ''],
    ['offerId', 5],
    ['friendlyName', { text: 'x' }],
  ];

  it.each(cases)('%s = %p is refused naming item 1, the property and the value', (property, value) => {
    const problems = problemsOf(withItem((i) => (i[property] = value)));
    expect(problems).toEqual([expect.objectContaining({ index: 1, property, value })]);
  });

  it('a missing required property is named as missing', () => {
    const text = withItem((i) => delete i['billingCycle'], 0);
    expect(problemsOf(text)).toEqual([expect.objectContaining({ index: 0, property: 'billingCycle', value: undefined })]);
    expect(() => parsePartnerCenterSubscriptions(text)).toThrow('items[0].billingCycle (missing): is not a billing cycle');
  });

  it('every problem of every item is listed, in one error whose message names them', () => {
    const json = JSON.parse(readSharedSample(RECORDING)) as { items: Record<string, unknown>[] };
    json.items[0]!['quantity'] = -4;
    json.items[1]!['status'] = 'gone';
    json.items[1]!['autoRenewEnabled'] = 1;
    let error: unknown;
    try {
      parsePartnerCenterSubscriptions(JSON.stringify(json));
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(PartnerCenterParseError);
    const e = error as PartnerCenterParseError;
    expect(e.problems.map((p) => [p.index, p.property, p.value])).toEqual([
      [0, 'quantity', -4],
      [1, 'status', 'gone'],
      [1, 'autoRenewEnabled', 1],
    ]);
    expect(e.message).toContain('items[0].quantity -4: is not a whole number of units');
    expect(e.message).toContain('items[1].status "gone"');
  });

  it('a quantity too large for a number (1e400) is refused, not read as Infinity', () => {
    const text = readSharedSample(RECORDING).replace('"quantity": 1,', '"quantity": 1e400,');
    expect(problemsOf(text)).toEqual([expect.objectContaining({ index: 0, property: 'quantity', value: Infinity })]);
  });

  it('an id under __proto__ is not an id', () => {
    const text = collection([item({ id: 'a' })]).replace('"id":"a",', '"__proto__":{"id":"a"},');
    expect(problemsOf(text)).toEqual([expect.objectContaining({ index: 0, property: 'id', value: undefined })]);
  });

  it('the same subscription twice (a page read twice) is refused', () => {
    expect(problemsOf(collection([item({ id: 'ABC' }), item({ id: 'abc' })]))).toEqual([
      expect.objectContaining({ index: 1, property: 'id', value: 'abc', reason: 'repeats items[0] (a page read twice?)' }),
    ]);
  });

  it.each([
    ['not JSON', '(body)', '{"items": ['],
    ['null', '(body)', 'null'],
    ['a list', '(body)', '[]'],
    ['no items', 'items', '{"totalCount": 0}'],
    ['items not a list', 'items', '{"items": {"0": {}}}'],
    ['an item that is not an object', '(item)', '{"items": [null]}'],
    ['links.next without uri', 'links.next', '{"items": [], "links": {"next": {"method": "GET"}}}'],
    ['a continuation header that is not key/value', 'links.next.headers', '{"items": [], "links": {"next": {"uri": "/x", "headers": ["t"]}}}'],
    ['totalCount not a number', 'totalCount', '{"items": [], "totalCount": "2"}'],
  ])('%s is refused naming %s', (_what, property, text) => {
    expect(problemsOf(text).map((p) => p.property)).toEqual([property]);
  });

  it("JSON nested 200,000 deep is refused with the parser's own error, not a stack overflow", () => {
    const deep = '['.repeat(200_000) + ']'.repeat(200_000);
    for (const text of [deep, `{"items":${deep}}`, `{"items":[{"id":${deep},"offerId":"o"}]}`]) {
      expect(() => parsePartnerCenterSubscriptions(text)).toThrow(PartnerCenterParseError);
    }
  });

  it('a megabyte of text in a property is cut short in the message', () => {
    let message = '';
    try {
      parsePartnerCenterSubscriptions(withItem((i) => (i['status'] = 'x'.repeat(1_000_000))));
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message.length).toBeLessThan(400);
    expect(message).toContain('items[1].status "xxxx');
  });

  it('whatever JSON arrives, the parser answers with subscriptions or its own error', () => {
    const base = JSON.parse(readSharedSample(RECORDING)) as { items: Record<string, unknown>[] };
    const keys = Object.keys(base.items[0]!);
    fc.assert(
      fc.property(fc.constantFrom(...keys), fc.jsonValue(), fc.nat(1), (key, value, index) => {
        const json = structuredClone(base);
        json.items[index]![key] = value;
        try {
          parsePartnerCenterSubscriptions(JSON.stringify(json));
        } catch (e) {
          if (!(e instanceof PartnerCenterParseError)) throw e;
          expect(e.problems.every((p) => p.index === index && p.property === key)).toBe(true);
        }
      }),
      { numRuns: 300 },
    );
  });
});
