import { XrmMockGenerator } from 'xrm-mock';
import { onLoad, onPeriodStartChange, PERIOD_NOTE } from '../../webresources/src/invoicerun.form';
import { useLanguage } from './support/resx';

type Note = { message: string; level: string; uniqueId: string };
type MockAttribute<T> = { getValue(): T; setValue(value: T): void; fireOnChange(): void; eventHandlers: unknown[] };
/** Intl's spaces (no-break, narrow no-break, thin) as plain spaces, so expectations read as text. */
const plain = (text: string): string => text.replace(/[\u00a0\u202f\u2009]/g, ' ');

/**
 * The invoice run form with its fields, loaded through onLoad: a new run (form type 1, what
 * xrm-mock defaults to) or a saved one (2). `values` prefill it as the "Invoice a period" command's
 * openForm formParameters do.
 */
function loadForm(options: { formType?: 1 | 2; lcid?: number; values?: { name?: string; start?: Date; end?: Date } } = {}) {
  XrmMockGenerator.initialise({
    entity: { id: options.formType === 2 ? '{7A1C4C7E-0000-0000-0000-000000000001}' : '', entityName: 'cspb_invoicerun' },
  } as never);
  useLanguage(options.lcid ?? 1033);
  const v = options.values ?? {};
  const name = XrmMockGenerator.Attribute.createString({ name: 'cspb_name', value: v.name ?? null } as never, {
    name: 'cspb_name',
  }) as unknown as MockAttribute<string | null>;
  const start = XrmMockGenerator.Attribute.createDate({ name: 'cspb_periodstart', value: v.start ?? null } as never, {
    name: 'cspb_periodstart',
  }) as unknown as MockAttribute<Date | null>;
  const end = XrmMockGenerator.Attribute.createDate({ name: 'cspb_periodend', value: v.end ?? null } as never, {
    name: 'cspb_periodend',
  }) as unknown as MockAttribute<Date | null>;
  XrmMockGenerator.Attribute.createLookup({ name: 'cspb_contractid', value: null } as never, { name: 'cspb_contractid' } as never);
  const context = XrmMockGenerator.getEventContext();
  const form = context.getFormContext();
  form.ui.getFormType = () => options.formType ?? 1;
  onLoad(context);
  const notes = () =>
    ((form.ui as unknown as { formNotifications?: Note[] }).formNotifications ?? [])
      .filter((n) => n.uniqueId === PERIOD_NOTE)
      .map((n) => ({ ...n, message: plain(n.message) }));
  /** Picks a period start as the user does: the value, then the OnChange onLoad registered. */
  const pick = (date: Date | null) => {
    start.setValue(date);
    start.fireOnChange();
  };
  const ymd = (d: Date | null) => (d ? [d.getFullYear(), d.getMonth() + 1, d.getDate()] : null);
  return { name, start, end, notes, pick, ymd: () => ({ start: ymd(start.getValue()), end: ymd(end.getValue()) }) };
}

describe('Invoice run form: a new run', () => {
  it('registers the period start handler on load; nothing picked yet, no notification', () => {
    const { start, notes } = loadForm();
    expect(start.eventHandlers).toContain(onPeriodStartChange);
    expect(notes()).toEqual([]);
  });

  it('picking 1 October 2026: the end becomes 31 October, the name "Invoices Oct 2026", and the notification says an empty contract invoices every contract', () => {
    const { pick, name, notes, ymd } = loadForm();
    pick(new Date(2026, 9, 1));
    expect(ymd()).toEqual({ start: [2026, 10, 1], end: [2026, 10, 31] });
    expect(name.getValue()).toBe('Invoices Oct 2026');
    expect(notes()).toEqual([{ message: 'Leave Billing contract empty to invoice every contract due in Oct 2026.', level: 'INFO', uniqueId: PERIOD_NOTE }]);
  });

  it('month ends: December ends on the 31st of that year, February 2028 (leap year) on the 29th', () => {
    const { pick, name, ymd } = loadForm();
    pick(new Date(2026, 11, 1));
    expect(ymd().end).toEqual([2026, 12, 31]);
    expect(name.getValue()).toBe('Invoices Dec 2026');
    pick(new Date(2028, 1, 1));
    expect(ymd().end).toEqual([2028, 2, 29]);
    expect(name.getValue()).toBe('Invoices Feb 2028');
  });

  it('a start within the month: to the end of that month, named by its first and last day', () => {
    const { pick, name, notes, ymd } = loadForm();
    pick(new Date(2026, 9, 15));
    expect(ymd().end).toEqual([2026, 10, 31]);
    expect(name.getValue()).toBe('Invoices Oct 15 – 31, 2026');
    expect(notes().map((n) => n.message)).toEqual(['Leave Billing contract empty to invoice every contract due in Oct 15 – 31, 2026.']);
  });

  it('a name the user typed stays; the name the script gave follows the start', () => {
    const { pick, name } = loadForm();
    pick(new Date(2026, 9, 1));
    pick(new Date(2026, 10, 1));
    expect(name.getValue()).toBe('Invoices Nov 2026');
    name.setValue('November catch-up');
    pick(new Date(2026, 8, 1));
    expect(name.getValue()).toBe('November catch-up');
  });

  it('clearing the start clears the notification', () => {
    const { pick, notes } = loadForm();
    pick(new Date(2026, 9, 1));
    pick(null);
    expect(notes()).toEqual([]);
  });

  it('opened prefilled by "Invoice a period" (September): the notification on load, and the prefilled name follows a new start', () => {
    const { pick, name, notes, ymd } = loadForm({ values: { name: 'Invoices Sep 2026', start: new Date(2026, 8, 1), end: new Date(2026, 8, 30) } });
    expect(notes().map((n) => n.message)).toEqual(['Leave Billing contract empty to invoice every contract due in Sep 2026.']);
    pick(new Date(2026, 7, 1));
    expect(ymd()).toEqual({ start: [2026, 8, 1], end: [2026, 8, 31] });
    expect(name.getValue()).toBe('Invoices Aug 2026');
  });

  it('opened with only a start: the end and the name are filled on load', () => {
    const { name, ymd } = loadForm({ values: { start: new Date(2026, 8, 1) } });
    expect(ymd().end).toEqual([2026, 9, 30]);
    expect(name.getValue()).toBe('Invoices Sep 2026');
  });

  it('in French', () => {
    const { pick, name, notes } = loadForm({ lcid: 1036 });
    pick(new Date(2026, 9, 1));
    expect(name.getValue()).toBe('Factures oct. 2026');
    expect(notes().map((n) => n.message)).toEqual(['Laissez Contrat de facturation vide pour facturer tous les contrats dus sur la période oct. 2026.']);
  });
});

describe('Invoice run form: a saved run', () => {
  it('is left alone: no notification, and a changed start moves neither the end nor the name (the plugin already acted on it)', () => {
    const { pick, name, notes, ymd } = loadForm({ formType: 2, values: { name: 'October', start: new Date(2026, 9, 1), end: new Date(2026, 9, 31) } });
    expect(notes()).toEqual([]);
    pick(new Date(2026, 10, 1));
    expect(ymd().end).toEqual([2026, 10, 31]);
    expect(name.getValue()).toBe('October');
    expect(notes()).toEqual([]);
  });
});
