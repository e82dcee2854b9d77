import { XrmMockGenerator } from 'xrm-mock';
import {
  CspbBillingContractAnchor as Anchor,
  CspbBillingContractFrequency as Frequency,
  CspbBillingContractProrationPolicy as Proration,
  CspbBillingContractTiming as Timing,
  CspbSubscriptionStatus,
} from '../../dataverse/generated';
import { LocalOrg } from '../../dataverse/src/local-org';
import { NEXT_INVOICE_ID, onLoad, onSettingsChange } from '../../webresources/src/billingcontract.form';
import { localWebApi } from './support/local-webapi';
import { useLanguage } from './support/resx';

type Note = { message: string; level: string; uniqueId: string };
/** Intl's spaces (no-break, narrow no-break, thin) as plain spaces, so expectations read as text. */
const plain = (text: string): string => text.replace(/[\u00a0\u202f\u2009]/g, ' ');
type Fields = {
  cspb_frequency: number | null;
  cspb_anchor: number | null;
  cspb_anchorday: number | null;
  cspb_timing: number | null;
  cspb_paymenttermdays: number | null;
  cspb_prorationpolicy: number | null;
  cspb_discountpercent: number | null;
};

const FINDING_ID = 'cspb-contract-check';
/** Monthly, calendar month, in advance, net 30, daily proration, 10 % discount: valid. */
const VALID: Fields = {
  cspb_frequency: Frequency.Monthly,
  cspb_anchor: Anchor.CalendarMonth,
  cspb_anchorday: null,
  cspb_timing: Timing.InAdvance,
  cspb_paymenttermdays: 30,
  cspb_prorationpolicy: Proration.DailyByDaysInPeriod,
  cspb_discountpercent: 10,
};

/**
 * A saved contract in a local org with two active subscriptions (25 x 15.00 from 2026-04-01 and
 * 3 x 12.345 from 2026-02-20), one cancelled subscription on it and one active on another contract.
 * The form is opened on 2026-10-15; the contract row was created on 2026-03-10.
 */
async function seed(): Promise<{ org: LocalOrg; contractId: string }> {
  const org = new LocalOrg();
  const customer = await org.create('accounts', { name: 'Contoso' });
  const offer = await org.create('cspb_offers', {
    cspb_name: 'Microsoft 365 E3',
    cspb_vendor: 100000000,
    cspb_term: 100000001,
    cspb_billingplan: 100000000,
    cspb_currencycode: 'USD',
  });
  const contract = (name: string) =>
    org.create('cspb_billingcontracts', {
      cspb_name: name,
      'cspb_CustomerId@odata.bind': `/accounts(${customer})`,
      cspb_currencycode: 'USD',
      cspb_frequency: Frequency.Monthly,
      cspb_anchor: Anchor.CalendarMonth,
      cspb_timing: Timing.InAdvance,
      cspb_paymenttermdays: 30,
      cspb_prorationpolicy: Proration.DailyByDaysInPeriod,
      cspb_roundingpolicy: 100000000,
    });
  const contractId = await contract('Contoso licences');
  const otherId = await contract('Contoso other');
  let n = 0;
  const sub = (contractOf: string, quantity: number, price: number, status: number, start: string) =>
    org.create('cspb_subscriptions', {
      'cspb_OfferId@odata.bind': `/cspb_offers(${offer})`,
      'cspb_CustomerId@odata.bind': `/accounts(${customer})`,
      'cspb_ContractId@odata.bind': `/cspb_billingcontracts(${contractOf})`,
      cspb_name: `sub ${++n}`,
      cspb_quantity: quantity,
      cspb_status: status,
      cspb_vendorsubscriptionid: `a1b2c3d4-0000-0000-0000-00000000000${n}`,
      cspb_currencycode: 'USD',
      cspb_customerunitprice: price,
      cspb_vendorunitcost: 1,
      cspb_termstartdate: start,
    });
  await sub(contractId, 25, 15, CspbSubscriptionStatus.Active, '2026-04-01');
  await sub(contractId, 3, 12.345, CspbSubscriptionStatus.Active, '2026-02-20');
  await sub(contractId, 100, 99, CspbSubscriptionStatus.Cancelled, '2025-01-01');
  await sub(otherId, 100, 99, CspbSubscriptionStatus.Active, '2025-01-01');
  return { org, contractId };
}

async function loadForm(fields: Partial<Fields> = {}, options: { lcid?: 1033 | 1036; saved?: boolean; currency?: string } = {}) {
  jest.useFakeTimers({ now: new Date(2026, 9, 15, 12), doNotFake: ['setTimeout', 'setImmediate', 'nextTick', 'queueMicrotask', 'setInterval'] });
  const { org, contractId } = await seed();
  const saved = options.saved ?? true;
  XrmMockGenerator.initialise({ entity: { id: saved ? `{${contractId.toUpperCase()}}` : '', entityName: 'cspb_billingcontract' } } as never);
  (Xrm as unknown as { WebApi: unknown }).WebApi = localWebApi(org);
  useLanguage(options.lcid ?? 1033);
  const values = { ...VALID, ...fields };
  type MockAttribute = { setValue(value: number | null): void; fireOnChange(): void; eventHandlers: unknown[] };
  const attributes = new Map<keyof Fields, MockAttribute>();
  for (const name of ['cspb_frequency', 'cspb_anchor', 'cspb_timing', 'cspb_prorationpolicy'] as const) {
    attributes.set(name, XrmMockGenerator.Attribute.createOptionSet({ name, value: values[name] } as never, { name } as never) as unknown as MockAttribute);
  }
  for (const name of ['cspb_anchorday', 'cspb_paymenttermdays', 'cspb_discountpercent'] as const) {
    attributes.set(name, XrmMockGenerator.Attribute.createNumber({ name, value: values[name] } as never, { name }) as unknown as MockAttribute);
  }
  XrmMockGenerator.Attribute.createString({ name: 'cspb_currencycode', value: options.currency ?? 'USD' }, { name: 'cspb_currencycode' });
  if (saved) XrmMockGenerator.Attribute.createDate({ name: 'createdon', value: new Date(2026, 2, 10, 9) }, { name: 'createdon' });
  const context = XrmMockGenerator.getEventContext();
  // xrm-mock stands in a made-up id for an empty one: an unsaved record has none.
  if (!saved) context.getFormContext().data.entity.getId = () => '';
  await onLoad(context);
  const form = context.getFormContext();
  const ui = form.ui as unknown as { formNotifications?: Note[] };
  const note = (id: string) => (ui.formNotifications ?? []).filter((x) => x.uniqueId === id).map((x) => ({ ...x, message: plain(x.message) }));
  /** Every control notification, as control name -> messages. */
  const controlNotes = () => {
    const out: Record<string, string[]> = {};
    for (const name of ['cspb_anchorday', 'cspb_anchor', 'cspb_paymenttermdays', 'cspb_prorationpolicy', 'cspb_frequency', 'cspb_timing']) {
      const control = form.getControl(name) as unknown as { getNotifications(): Array<{ messages: string[] }> };
      const messages = control.getNotifications().flatMap((x) => x.messages);
      if (messages.length > 0) out[name] = messages;
    }
    return out;
  };
  /** Sets a field as the user does: the value, then the change handler onLoad registered. */
  const set = async (name: keyof Fields, value: number | null) => {
    const attribute = attributes.get(name) as MockAttribute;
    attribute.setValue(value);
    expect(attribute.eventHandlers).toEqual([onSettingsChange]);
    attribute.fireOnChange();
    // fireOnChange does not await the async handler: let its Web API call and notification settle.
    for (let i = 0; i < 20; i++) await new Promise((resolve) => setImmediate(resolve));
  };
  return { form, note, controlNotes, set };
}

afterEach(() => jest.useRealTimers());

const en = {
  dayRequired: 'A billing-day anchor needs the day of month (1-28).',
  dayUnused: 'The anchor day is used only with the billing-day anchor; clear it.',
  oneTime: 'A one-time contract is not anchored to a calendar month or a billing day; choose co-term.',
  terms: 'Payment terms must be between 0 and 365 days.',
  arrears: 'Invoicing in arrears with the full-period proration bills whole periods after use; check this is intended.',
};

describe('Billing contract form: invalid settings', () => {
  const cases: ReadonlyArray<[string, Partial<Fields>, Record<string, string[]>]> = [
    ['billing-day anchor without a day', { cspb_anchor: Anchor.BillingDay, cspb_anchorday: null }, { cspb_anchorday: [en.dayRequired] }],
    ['billing-day anchor on day 0', { cspb_anchor: Anchor.BillingDay, cspb_anchorday: 0 }, { cspb_anchorday: [en.dayRequired] }],
    [
      'billing-day anchor on day 29 (periods must exist in February)',
      { cspb_anchor: Anchor.BillingDay, cspb_anchorday: 29 },
      { cspb_anchorday: [en.dayRequired] },
    ],
    ['an anchor day with the calendar-month anchor', { cspb_anchor: Anchor.CalendarMonth, cspb_anchorday: 5 }, { cspb_anchorday: [en.dayUnused] }],
    ['an anchor day with the co-term anchor', { cspb_anchor: Anchor.CoTerm, cspb_anchorday: 1 }, { cspb_anchorday: [en.dayUnused] }],
    ['one-time on the calendar month', { cspb_frequency: Frequency.OneTime, cspb_anchor: Anchor.CalendarMonth }, { cspb_anchor: [en.oneTime] }],
    ['one-time on a billing day', { cspb_frequency: Frequency.OneTime, cspb_anchor: Anchor.BillingDay, cspb_anchorday: 5 }, { cspb_anchor: [en.oneTime] }],
    ['payment terms of -1 day', { cspb_paymenttermdays: -1 }, { cspb_paymenttermdays: [en.terms] }],
    ['payment terms of 366 days', { cspb_paymenttermdays: 366 }, { cspb_paymenttermdays: [en.terms] }],
    [
      'two errors at once: billing day 31 and 400 days',
      { cspb_anchor: Anchor.BillingDay, cspb_anchorday: 31, cspb_paymenttermdays: 400 },
      { cspb_anchorday: [en.dayRequired], cspb_paymenttermdays: [en.terms] },
    ],
  ];
  it.each(cases)('%s: the notification on its control, no next-invoice preview', async (_name, fields, expected) => {
    const { controlNotes, note } = await loadForm(fields);
    expect(controlNotes()).toEqual(expected);
    expect(note(FINDING_ID)).toEqual([]);
    expect(note(NEXT_INVOICE_ID)).toEqual([]);
  });

  it('warns (form notification, not a control error) on in arrears with full-period proration, and still previews', async () => {
    const { controlNotes, note } = await loadForm({ cspb_timing: Timing.InArrears, cspb_prorationpolicy: Proration.FullPeriod });
    expect(controlNotes()).toEqual({});
    expect(note(FINDING_ID)).toEqual([{ message: en.arrears, level: 'WARNING', uniqueId: FINDING_ID }]);
    expect(note(NEXT_INVOICE_ID)).toHaveLength(1);
  });

  it('speaks French from the French RESX', async () => {
    const { controlNotes } = await loadForm({ cspb_anchor: Anchor.BillingDay, cspb_anchorday: null, cspb_paymenttermdays: 400 }, { lcid: 1036 });
    expect(controlNotes()).toEqual({
      cspb_anchorday: ['Un ancrage au jour de facturation exige le jour du mois (1-28).'],
      cspb_paymenttermdays: ['Le délai de paiement doit être compris entre 0 et 365 jours.'],
    });
  });
});

describe('Billing contract form: change handlers', () => {
  it('registers the handler on every billing setting and clears each notification once the value is corrected', async () => {
    const { controlNotes, note, set } = await loadForm();
    expect(controlNotes()).toEqual({});
    await set('cspb_anchor', Anchor.BillingDay);
    expect(controlNotes()).toEqual({ cspb_anchorday: [en.dayRequired] });
    expect(note(NEXT_INVOICE_ID)).toEqual([]);
    await set('cspb_anchorday', 10);
    expect(controlNotes()).toEqual({});
    await set('cspb_paymenttermdays', 366);
    expect(controlNotes()).toEqual({ cspb_paymenttermdays: [en.terms] });
    await set('cspb_paymenttermdays', 365);
    await set('cspb_frequency', Frequency.OneTime);
    expect(controlNotes()).toEqual({ cspb_anchor: [en.oneTime] });
    await set('cspb_frequency', Frequency.Quarterly);
    await set('cspb_timing', Timing.InArrears);
    await set('cspb_prorationpolicy', Proration.FullPeriod);
    expect(note(FINDING_ID).map((x) => x.message)).toEqual([en.arrears]);
    await set('cspb_prorationpolicy', Proration.None);
    expect(note(FINDING_ID)).toEqual([]);
    expect(controlNotes()).toEqual({});
    // Quarterly on day 10, phased from the earliest active term start 2026-02-20 (before the creation date
    // 2026-03-10): Feb 10, May 10, Aug 10, Nov 10. In arrears, 2026-10-15 is in Aug 10..Nov 9, invoiced at
    // its end 2026-11-10; net 365 -> 2027-11-10 (2027 is not a leap year).
    expect(note(NEXT_INVOICE_ID).map((x) => x.message)).toEqual([
      expect.stringMatching(/^Next invoice on Nov 10, 2026 for Aug 10 – Nov 9, 2026, due Nov 10, 2027\. /),
    ]);
    await set('cspb_discountpercent', 0);
    // 25 x 15.00 + 3 x 12.345 (37.035 -> 37.04 half up) = 412.04, no discount.
    expect(note(NEXT_INVOICE_ID).map((x) => x.message)).toEqual([expect.stringContaining('Estimated recurring licences: USD 412.04 (2 subscription(s)')]);
  });
});

describe('Billing contract form: next invoice', () => {
  it('monthly on the calendar month, in advance, net 30, 10 % off', async () => {
    const { note } = await loadForm();
    // Today 2026-10-15 is in Oct 1..Oct 31; in advance the next period Nov 1..Nov 30 is invoiced on
    // its first day 2026-11-01; due 2026-11-01 + 30 days = 2026-12-01.
    // Active subscriptions of this contract only: 25 x 15.00 = 375.00 and 3 x 12.345 = 37.035 -> 37.04,
    // 412.04 less 10 % = 370.836 -> 370.84.
    expect(note(NEXT_INVOICE_ID)).toEqual([
      {
        message:
          'Next invoice on Nov 1, 2026 for Nov 2026, due Dec 1, 2026. Estimated recurring licences: USD 370.84 (2 subscription(s), before tax and mid-period changes).',
        level: 'INFO',
        uniqueId: NEXT_INVOICE_ID,
      },
    ]);
  });

  it('quarterly on billing day 10, in advance, net 14', async () => {
    const { note } = await loadForm({ cspb_frequency: Frequency.Quarterly, cspb_anchor: Anchor.BillingDay, cspb_anchorday: 10, cspb_paymenttermdays: 14 });
    // Phase from the earliest active term start 2026-02-20 (earlier than the creation date 2026-03-10):
    // quarters start Feb 10, May 10, Aug 10, Nov 10. Today is in Aug 10..Nov 9, so the next period is
    // 2026-11-10..2027-02-09, invoiced 2026-11-10; due Nov 10 + 14 = 2026-11-24.
    expect(note(NEXT_INVOICE_ID).map((x) => x.message)).toEqual([
      expect.stringMatching(/^Next invoice on Nov 10, 2026 for Nov 10, 2026 – Feb 9, 2027, due Nov 24, 2026\. /),
    ]);
  });

  it('monthly in arrears: the current month, invoiced when it ends', async () => {
    const { note } = await loadForm({ cspb_timing: Timing.InArrears, cspb_paymenttermdays: 0 });
    // Oct 1..Oct 31 is the current period, invoiced on 2026-11-01; net 0 -> due the same day.
    expect(note(NEXT_INVOICE_ID).map((x) => x.message)).toEqual([expect.stringMatching(/^Next invoice on Nov 1, 2026 for Oct 2026, due Nov 1, 2026\. /)]);
  });

  it('annual co-term: anchored on the earliest term start of its active subscriptions', async () => {
    const { note } = await loadForm({ cspb_frequency: Frequency.Annual, cspb_anchor: Anchor.CoTerm, cspb_paymenttermdays: 45 });
    // Earliest active term start 2026-02-20 (the cancelled one from 2025 does not count): the year
    // 2026-02-20..2027-02-19 holds today; next 2027-02-20..2028-02-19, invoiced 2027-02-20;
    // due Feb 20 + 45 days = 2027-04-06 (8 days left in February, 31 in March, 6 in April).
    expect(note(NEXT_INVOICE_ID).map((x) => x.message)).toEqual([
      expect.stringMatching(/^Next invoice on Feb 20, 2027 for Feb 20, 2027 – Feb 19, 2028, due Apr 6, 2027\. /),
    ]);
  });

  it('an unsaved contract: no subscriptions, phase from today', async () => {
    const { note } = await loadForm({ cspb_frequency: Frequency.Quarterly, cspb_anchor: Anchor.CalendarMonth }, { saved: false });
    // Quarters from 2026-10-01 (today's month): the next is 2027-01-01..2027-03-31; due Jan 1 + 30 = 2027-01-31.
    expect(note(NEXT_INVOICE_ID).map((x) => x.message)).toEqual([
      'Next invoice on Jan 1, 2027 for Jan 1 – Mar 31, 2027, due Jan 31, 2027. Estimated recurring licences: USD 0.00 (0 subscription(s), before tax and mid-period changes).',
    ]);
  });

  it('in French', async () => {
    const { note } = await loadForm({}, { lcid: 1036 });
    expect(note(NEXT_INVOICE_ID).map((x) => x.message)).toEqual([
      'Prochaine facture le 1 nov. 2026 pour la période nov. 2026, échéance le 1 déc. 2026. Licences récurrentes estimées : 370,84 USD (2 abonnement(s), hors taxes et changements en cours de période).',
    ]);
  });

  it('in yen: each line to whole yen, then the discount, shown without decimals', async () => {
    const { note } = await loadForm({}, { currency: 'JPY' });
    // 25 x 15 = 375 and 3 x 12.345 = 37.035 -> 37 yen (half up); 412 less 10 % = 370.8 -> 371.
    expect(note(NEXT_INVOICE_ID).map((x) => x.message)).toEqual([expect.stringContaining('Estimated recurring licences: JPY 371 (2 subscription(s)')]);
  });
});
