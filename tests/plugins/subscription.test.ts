import { seededOrg, subscriptionBody, ledgerOf } from './seed';
import { validateSubscription } from '../../plugins/src';
import { CspbSubscriptionChangeChangeType as ChangeType, CspbSubscriptionStatus } from '../../dataverse/generated';

describe('subscription handlers on the local org pipeline', () => {
  test('create appends the "new" ledger row with the offer product and term', async () => {
    const s = await seededOrg({ today: '2026-10-01' });
    const id = await s.org.create('cspb_subscriptions', subscriptionBody(s, 10, { cspb_changereason: 'First order' }));
    const ledger = await ledgerOf(s.org, id);
    expect(ledger).toHaveLength(1);
    const version = (await s.org.retrieve<Record<string, unknown>>('cspb_subscriptions', id))['versionnumber'];
    expect(ledger[0]).toMatchObject({
      cspb_sequence: 1,
      cspb_changetype: ChangeType.New,
      cspb_quantitybefore: 0,
      cspb_quantityafter: 10,
      cspb_effectivedate: '2026-10-01',
      cspb_productid: 'CFQ7TTC0LH18',
      cspb_reason: 'First order',
      cspb_unitcost: 12.5,
      cspb_changekey: `v${version}.1`,
    });
    // The ledger step never writes the row it was triggered by: the row stays as the user saved it.
    const row = await s.org.retrieve<Record<string, unknown>>('cspb_subscriptions', id);
    expect([row['cspb_changereason'], row['cspb_quantity'], row['versionnumber']]).toEqual(['First order', 10, version]);
  });

  test('an increase appends "add" with the effective date and reason the save carried', async () => {
    const s = await seededOrg({ today: '2026-10-01' });
    const id = await s.org.create('cspb_subscriptions', subscriptionBody(s, 10));
    s.setToday('2026-11-20');
    await s.org.update('cspb_subscriptions', id, { cspb_quantity: 13, cspb_changeeffectivedate: '2026-11-15', cspb_changereason: 'Three hires' });
    const ledger = await ledgerOf(s.org, id);
    expect(
      ledger.map((r) => [
        r['cspb_sequence'],
        r['cspb_changetype'],
        r['cspb_quantitybefore'],
        r['cspb_quantitydelta'],
        r['cspb_quantityafter'],
        r['cspb_effectivedate'],
        r['cspb_reason'],
      ]),
    ).toEqual([
      [1, ChangeType.New, 0, 10, 10, '2026-10-01', null],
      [2, ChangeType.Add, 10, 3, 13, '2026-11-15', 'Three hires'],
    ]);
    const row = await s.org.retrieve<Record<string, unknown>>('cspb_subscriptions', id);
    expect([row['cspb_quantity'], row['cspb_changeeffectivedate'], row['cspb_changereason']]).toEqual([13, '2026-11-15', 'Three hires']);
  });

  test('a decrease inside the 7-day window is recorded; outside it is refused naming the date the window closed', async () => {
    const s = await seededOrg({ today: '2026-10-01' });
    const id = await s.org.create('cspb_subscriptions', subscriptionBody(s, 10));
    await s.org.update('cspb_subscriptions', id, { cspb_quantity: 8, cspb_changeeffectivedate: '2026-10-05' });
    expect((await ledgerOf(s.org, id)).map((r) => r['cspb_quantityafter'])).toEqual([10, 8]);

    await expect(s.org.update('cspb_subscriptions', id, { cspb_quantity: 6, cspb_changeeffectivedate: '2026-10-20' })).rejects.toThrow(/closed on 2026-10-08/);
    const row = await s.org.retrieve<Record<string, unknown>>('cspb_subscriptions', id);
    expect(row['cspb_quantity']).toBe(8);
    expect(await ledgerOf(s.org, id)).toHaveLength(2);
  });

  test('cancellation outside the window is refused; inside it appends "cancel" (the ledger says 0 seats; the row keeps what was saved)', async () => {
    const s = await seededOrg({ today: '2026-10-01' });
    const late = await s.org.create('cspb_subscriptions', subscriptionBody(s, 5));
    await expect(
      s.org.update('cspb_subscriptions', late, { cspb_status: CspbSubscriptionStatus.Cancelled, cspb_changeeffectivedate: '2026-10-09' }),
    ).rejects.toThrow(/cancellation window .* closed on 2026-10-08/);
    expect(await ledgerOf(s.org, late)).toHaveLength(1);

    await s.org.update('cspb_subscriptions', late, { cspb_status: CspbSubscriptionStatus.Cancelled, cspb_changeeffectivedate: '2026-10-03' });
    const ledger = await ledgerOf(s.org, late);
    expect(ledger.map((r) => [r['cspb_changetype'], r['cspb_quantityafter']])).toEqual([
      [ChangeType.New, 5],
      [ChangeType.Cancel, 0],
    ]);
    expect(ledger.at(-1)!['cspb_quantitybefore']).toBe(5);
  });

  test('a negative quantity is refused before anything is written', async () => {
    const s = await seededOrg();
    const id = await s.org.create('cspb_subscriptions', subscriptionBody(s, 4));
    await expect(s.org.update('cspb_subscriptions', id, { cspb_quantity: -1 })).rejects.toThrow(/outside the valid range/);
    // The handler refuses it on its own too (through the webhook, before Dataverse's range check).
    const context = {
      messageName: 'Update',
      primaryEntityName: 'cspb_subscription',
      primaryEntityId: id,
      stage: 'PreValidation' as const,
      mode: 'sync' as const,
      depth: 1,
      correlationId: 'c',
      target: { cspb_quantity: -1 },
      preImage: { cspb_quantity: 4 },
      postImage: undefined,
      payloadTrimmed: false,
      client: s.org,
    };
    await expect(validateSubscription(context, {})).rejects.toThrow('Quantity cannot be negative (got -1).');
    expect((await ledgerOf(s.org, id)).map((r) => r['cspb_quantityafter'])).toEqual([4]);
  });

  test('a change dated before the last ledger entry is refused with the ledger rule', async () => {
    const s = await seededOrg({ today: '2026-10-10' });
    const id = await s.org.create('cspb_subscriptions', subscriptionBody(s, 4));
    await expect(s.org.update('cspb_subscriptions', id, { cspb_quantity: 6, cspb_changeeffectivedate: '2026-10-01' })).rejects.toThrow(
      /before the previous entry/,
    );
    expect(await ledgerOf(s.org, id)).toHaveLength(1);
  });

  test('a price change appends a "price" entry; an update of unrelated columns appends nothing', async () => {
    const s = await seededOrg({ today: '2026-10-01' });
    const id = await s.org.create('cspb_subscriptions', subscriptionBody(s, 4));
    await s.org.update('cspb_subscriptions', id, { cspb_customerunitprice: 16 });
    await s.org.update('cspb_subscriptions', id, { cspb_name: 'renamed' });
    const ledger = await ledgerOf(s.org, id);
    expect(ledger.map((r) => [r['cspb_changetype'], r['cspb_unitprice']])).toEqual([
      [ChangeType.New, 15],
      [ChangeType.Price, 16],
    ]);
  });

  test('a quantity save on a ledger that never recorded a price writes no "Price change" (issue 19); setting a price does', async () => {
    const s = await seededOrg({ today: '2026-10-01' });
    const id = await s.org.create('cspb_subscriptions', subscriptionBody(s, 4));
    // A ledger imported without prices (the sample's, an older export): its one row has none.
    const [first] = await ledgerOf(s.org, id);
    await s.org.update('cspb_subscriptionchanges', String(first!['cspb_subscriptionchangeid']), { cspb_unitcost: null, cspb_unitprice: null });
    await s.org.update('cspb_subscriptions', id, { cspb_quantity: 6 });
    expect((await ledgerOf(s.org, id)).map((r) => r['cspb_changetype'])).toEqual([ChangeType.New, ChangeType.Add]);
    await s.org.update('cspb_subscriptions', id, { cspb_customerunitprice: 16 });
    const ledger = await ledgerOf(s.org, id);
    expect(ledger.map((r) => [r['cspb_changetype'], r['cspb_unitprice']])).toEqual([
      [ChangeType.New, null],
      [ChangeType.Add, null],
      [ChangeType.Price, 16],
    ]);
  });
});
