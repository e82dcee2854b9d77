import { XrmMockGenerator } from 'xrm-mock';
import * as InvoicePreview from '../../webresources/src/invoice-preview';
import { NOTE, onLoad, onQuantityChange, onSave } from '../../webresources/src/subscription.form';
import { localWebApi } from './support/local-webapi';
import { useLanguage } from './support/resx';
import { contractTheSubscription, seededOrg } from './support/seed';

type Note = { message: string; level: string; uniqueId: string };
/** Intl's spaces (no-break, narrow no-break, thin) as plain spaces, so expectations read as text. */
const plain = (text: string | undefined): string | undefined => text?.replace(/[\u00a0\u202f\u2009]/g, ' ');

/** The subscription form over the seeded local org (25 seats), loaded through onLoad on `today`. */
async function loadForm(options: { quantity?: number; lcid?: number; today?: Date; contract?: boolean; currency?: string } = {}) {
  jest.useFakeTimers({
    now: options.today ?? new Date(2022, 2, 20, 12),
    doNotFake: ['setTimeout', 'setImmediate', 'nextTick', 'queueMicrotask', 'setInterval'],
  });
  const { org, subscriptionId, customerId } = await seededOrg();
  if (options.contract) {
    // Calendar-month periods, daily proration, half-up: what the invoice (and so the preview) uses.
    await contractTheSubscription(org, customerId, subscriptionId, 'Contoso');
  }
  // The form loads the invoice-preview library before its script: Cspb.InvoicePreview.
  (globalThis as { Cspb?: unknown }).Cspb = { InvoicePreview };
  XrmMockGenerator.initialise({ entity: { id: `{${subscriptionId.toUpperCase()}}`, entityName: 'cspb_subscription' } } as never);
  (Xrm as unknown as { WebApi: unknown }).WebApi = localWebApi(org);
  useLanguage(options.lcid ?? 1033);
  const quantity = XrmMockGenerator.Attribute.createNumber({ name: 'cspb_quantity', value: options.quantity ?? 25 }, { name: 'cspb_quantity' });
  const effectiveDate = XrmMockGenerator.Attribute.createDate(
    { name: 'cspb_changeeffectivedate', requiredLevel: 'none' },
    { name: 'cspb_changeeffectivedate' },
  );
  const reason = XrmMockGenerator.Attribute.createString({ name: 'cspb_changereason', requiredLevel: 'none' }, { name: 'cspb_changereason' });
  XrmMockGenerator.Attribute.createString({ name: 'cspb_currencycode', value: options.currency ?? 'USD' }, { name: 'cspb_currencycode' });
  XrmMockGenerator.Attribute.createNumber({ name: 'cspb_customerunitprice', value: 15 }, { name: 'cspb_customerunitprice' });
  XrmMockGenerator.Attribute.createNumber({ name: 'cspb_vendorunitcost', value: 12 }, { name: 'cspb_vendorunitcost' });
  XrmMockGenerator.Attribute.createOptionSet({ name: 'cspb_status', value: 100000000 } as never, { name: 'cspb_status' } as never);
  const context = XrmMockGenerator.getEventContext();
  // An existing subscription opened for update (form type 2); xrm-mock defaults to Create.
  context.getFormContext().ui.getFormType = () => 2;
  await onLoad(context);
  const ui = context.getFormContext().ui as unknown as { formNotifications?: Note[] };
  const found = (id: string) => (ui.formNotifications ?? []).find((n) => n.uniqueId === id);
  const note = (id: string) => {
    const n = found(id);
    return n && { ...n, message: plain(n.message) as string };
  };
  const change = async (value: number, date?: Date) => {
    if (date) effectiveDate.setValue(date);
    quantity.setValue(value);
    await onQuantityChange(context);
  };
  return { context, quantity, effectiveDate, reason, note, change };
}

afterEach(() => jest.useRealTimers());

describe('Subscription form over the local org ledger', () => {
  it('shows the ledger of the current cycle: begin quantity, changes and end quantity', async () => {
    const { note } = await loadForm();
    // The cycle 2022-03-05..2022-04-04 and its dates in the user's (en-US) words.
    expect(note(NOTE.ledger)?.message).toBe('Ledger, cycle Mar 5 – Apr 4, 2022: began with 0, changes: +10 (Mar 5, 2022), +15 (Mar 7, 2022); ends with 25.');
  });

  it('locks the fields the ledger owns', async () => {
    const { context } = await loadForm();
    expect(context.getFormContext().getControl<Xrm.Controls.StandardControl>('cspb_status')?.getDisabled()).toBe(true);
    expect(context.getFormContext().getControl<Xrm.Controls.StandardControl>('cspb_quantity')?.getDisabled()).toBe(false);
  });

  it('asks for the effective date (defaulting to today) and the reason', async () => {
    const { change, effectiveDate, reason, note } = await loadForm();
    await change(30);
    const date = effectiveDate.getValue();
    expect([date?.getFullYear(), date?.getMonth(), date?.getDate()]).toEqual([2022, 2, 20]);
    expect(effectiveDate.getRequiredLevel()).toBe('required');
    expect(reason.getRequiredLevel()).toBe('required');
    expect(note(NOTE.ask)?.message).toContain('Quantity 25 -> 30');
  });

  it('previews an addition as Partner Center bills it (ROUNDDOWN of 12 x 15 x 29/31 = 168.38), and says a subscription without a contract is invoiced to nobody', async () => {
    const { change, note } = await loadForm({ today: new Date(2022, 2, 7, 9) });
    await change(40, new Date(2022, 2, 7));
    expect(note(NOTE.preview)?.message).toBe(
      'Change of +15 seat(s) from Mar 7, 2022: 29 of 31 days left in the cycle Mar 5 – Apr 4, 2022. Microsoft charges USD 168.38.',
    );
    expect(note(NOTE.invoice)?.message).toBe('No billing contract: the change is invoiced to nobody.');
    expect(note(NOTE.policy)).toBeUndefined();
  });

  it("previews the customer's invoice with the invoicing engine and the contract's terms: +15 seats from 7 March on a calendar-month contract = 15 x 15.00 x 25/31 = 181.45", async () => {
    // Not Microsoft's cycle (29 of 31 days from 5 March): the contract bills calendar months, so 25 of March's 31 days.
    const { change, note } = await loadForm({ today: new Date(2022, 2, 7, 9), contract: true });
    await change(40, new Date(2022, 2, 7));
    // The day already holds the seed's +15 (10 -> 25 on 7 March): the engine nets the day into one line
    // ((40 - 10) x 15.00 x 25/31 = 362.90, was 15 x 15.00 x 25/31 = 181.45), so the change adds 181.45.
    expect(note(NOTE.invoice)?.message).toBe(
      "On the customer's invoice for Mar 2022: USD 181.45 ((40 - 10) at 15 USD/month x 25/31 days = 362.9032258064… -> 362.90 (halfUp, USD)).",
    );
  });

  it('previews a decrease on the invoice as a credit: -5 seats from 10 March = -(5 x 15.00 x 22/31) = -53.23', async () => {
    const { change, note } = await loadForm({ contract: true });
    await change(20, new Date(2022, 2, 10));
    expect(note(NOTE.invoice)?.message).toMatch(/^On the customer's invoice for Mar 2022: -USD 53\.23 \(/);
  });

  it('previews a decrease as a credit (-5 seats from 2022-03-10: 12 x 5 x 26/31 = -50.32)', async () => {
    const { change, note } = await loadForm();
    await change(20, new Date(2022, 2, 10));
    expect(note(NOTE.preview)?.message).toContain('Microsoft charges -USD 50.32.');
    expect(note(NOTE.policy)).toEqual(expect.objectContaining({ level: 'WARNING', message: expect.stringContaining('until Mar 14, 2022') }));
  });

  it('blocks a decrease after the 7-day window, naming the day it closed, and refuses to save', async () => {
    const { change, note, context } = await loadForm();
    await change(5, new Date(2022, 2, 20));
    expect(note(NOTE.policy)).toEqual(expect.objectContaining({ level: 'ERROR', message: expect.stringContaining('the 7-day window closed on Mar 14, 2022') }));
    expect(note(NOTE.policy)?.message).toContain('At most 0 seat(s)');
    const save = XrmMockGenerator.getEventContext() as unknown as Xrm.Events.SaveEventContext;
    const prevent = jest.fn();
    (save as unknown as { getEventArgs: () => unknown }).getEventArgs = () => ({ preventDefault: prevent });
    onSave(save);
    expect(prevent).toHaveBeenCalledTimes(1);
    expect(note(NOTE.save)?.level).toBe('ERROR');
    void context;
  });

  it('allows only the seats added within the window: 15 of 25 on 2022-03-13', async () => {
    const { change, note } = await loadForm();
    await change(10, new Date(2022, 2, 13));
    expect(note(NOTE.policy)?.level).toBe('WARNING');
    await change(5, new Date(2022, 2, 13));
    expect(note(NOTE.policy)).toEqual(
      expect.objectContaining({ level: 'ERROR', message: expect.stringContaining('At most 15 seat(s) can be removed on Mar 13, 2022') }),
    );
  });

  it('blocks a cancellation (quantity 0) after the purchase window, which closed on 2022-03-12', async () => {
    const { change, note } = await loadForm();
    await change(0, new Date(2022, 2, 20));
    expect(note(NOTE.policy)?.message).toBe('Microsoft will refuse this cancellation: the 7-day window closed on Mar 12, 2022.');
  });

  it('clears the preview and the block when the quantity goes back to its loaded value', async () => {
    const { change, note, effectiveDate } = await loadForm();
    await change(5, new Date(2022, 2, 20));
    await change(25);
    expect(note(NOTE.policy)).toBeUndefined();
    expect(note(NOTE.preview)).toBeUndefined();
    expect(effectiveDate.getRequiredLevel()).toBe('none');
  });

  it('speaks French from the French RESX, with French dates and amounts', async () => {
    const { change, note } = await loadForm({ lcid: 1036 });
    await change(5, new Date(2022, 2, 20));
    expect(note(NOTE.policy)?.message).toContain('la fenêtre de 7 jours s’est fermée le 14 mars 2022');
    // -20 seats from 20 March: 16 of the cycle's 31 days (20 March to 4 April); 12 x -20 x 16/31 = -123.870... -> ROUNDDOWN -123.87.
    expect(note(NOTE.preview)?.message).toBe(
      'Changement de -20 licence(s) au 20 mars 2022 : 16 jours sur 31 restants dans le cycle 5 mars – 4 avr. 2022. Microsoft facture -123,87 USD.',
    );
  });

  it("a French customer's invoice: the period and the amount in French", async () => {
    const { change, note } = await loadForm({ lcid: 1036, contract: true });
    await change(20, new Date(2022, 2, 10));
    expect(note(NOTE.invoice)?.message).toMatch(/^Sur la facture du client pour la période mars 2022 : -53,23 USD \(/);
  });

  it('a user whose language has no RESX (German, 1031): the English text, German dates and amounts', async () => {
    const { change, note } = await loadForm({ today: new Date(2022, 2, 7, 9), lcid: 1031 });
    await change(40, new Date(2022, 2, 7));
    expect(note(NOTE.preview)?.message).toBe(
      'Change of +15 seat(s) from 07.03.2022: 29 of 31 days left in the cycle 05.03. – 04.04.2022. Microsoft charges 168,38 USD.',
    );
  });

  it('a yen subscription: Microsoft truncates to whole yen and the amount shows no decimals (12 x 15 x 29/31 = 168.387... -> JPY 168)', async () => {
    const { change, note } = await loadForm({ today: new Date(2022, 2, 7, 9), currency: 'JPY' });
    await change(40, new Date(2022, 2, 7));
    expect(note(NOTE.preview)?.message).toMatch(/Microsoft charges JPY 168\.$/);
  });

  it('groups thousands: +1,000 seats at 12.00 for 29/31 days = 11,225.806... -> USD 11,225.80', async () => {
    const { change, note } = await loadForm({ today: new Date(2022, 2, 7, 9) });
    await change(1025, new Date(2022, 2, 7));
    expect(note(NOTE.preview)?.message).toMatch(/^Change of \+1000 seat\(s\) from Mar 7, 2022: .* Microsoft charges USD 11,225\.80\.$/);
  });
});

describe('Subscription form: negative quantity', () => {
  it('refuses it with a notification on the quantity control naming the value, in both languages', async () => {
    for (const [lcid, text] of [
      [1033, 'cannot be negative (-3)'],
      [1036, 'ne peut pas être négative (-3)'],
    ] as const) {
      const { context, change } = await loadForm({ lcid });
      await change(-3);
      const control = context.getFormContext().getControl('cspb_quantity') as unknown as { getNotifications(): Array<{ messages: string[] }> };
      expect(control.getNotifications().flatMap((n) => n.messages)).toEqual([expect.stringContaining(text)]);
    }
  });
});
