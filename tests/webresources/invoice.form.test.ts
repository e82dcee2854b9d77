import { XrmMockGenerator } from 'xrm-mock';
import { CspbInvoiceInvoiceStatus as Status } from '../../dataverse/generated';
import { ISSUED_ID, onLoad } from '../../webresources/src/invoice.form';
import { useLanguage } from './support/resx';

type Note = { message: string; level: string; uniqueId: string };

const TOTALS = ['cspb_subtotal', 'cspb_taxtotal', 'cspb_total', 'cspb_cost', 'cspb_margin'];
const EDITABLE = ['cspb_name', 'cspb_invoicestatus', 'cspb_periodstart', 'cspb_periodend', 'cspb_invoicedate', 'cspb_duedate', 'cspb_currencycode'];

/** The invoice form with every field the solution puts on it, loaded through onLoad. */
function loadForm(status: number, lcid = 1033, without: readonly string[] = []) {
  XrmMockGenerator.initialise({ entity: { id: '{2D1C4C7E-0000-0000-0000-000000000001}', entityName: 'cspb_invoice' } } as never);
  useLanguage(lcid, { without });
  XrmMockGenerator.Attribute.createString({ name: 'cspb_name', value: 'INV-0001' }, { name: 'cspb_name' });
  XrmMockGenerator.Attribute.createOptionSet({ name: 'cspb_invoicestatus', value: status } as never, { name: 'cspb_invoicestatus' } as never);
  XrmMockGenerator.Attribute.createDate({ name: 'cspb_periodstart', value: new Date(2026, 9, 1) }, { name: 'cspb_periodstart' });
  XrmMockGenerator.Attribute.createDate({ name: 'cspb_periodend', value: new Date(2026, 9, 31) }, { name: 'cspb_periodend' });
  XrmMockGenerator.Attribute.createDate({ name: 'cspb_invoicedate', value: null }, { name: 'cspb_invoicedate' });
  XrmMockGenerator.Attribute.createDate({ name: 'cspb_duedate', value: null }, { name: 'cspb_duedate' });
  XrmMockGenerator.Attribute.createString({ name: 'cspb_currencycode', value: 'USD' }, { name: 'cspb_currencycode' });
  for (const name of TOTALS) XrmMockGenerator.Attribute.createNumber({ name, value: 100 } as never, { name });
  const context = XrmMockGenerator.getEventContext();
  const form = context.getFormContext();
  // A notification left from a previous load must not survive a load that no longer warrants it.
  form.ui.setFormNotification('stale', 'INFO', ISSUED_ID);
  onLoad(context);
  const disabled = (name: string) => (form.getControl(name) as Xrm.Controls.StandardControl).getDisabled();
  const notes = () => ((form.ui as unknown as { formNotifications?: Note[] }).formNotifications ?? []).filter((n) => n.uniqueId === ISSUED_ID);
  return { form, disabled, notes };
}

const LOCKED_EN = 'This invoice is issued and can no longer change. Correct it with a credit note.';

describe('Invoice form', () => {
  it('a draft: only the totals are read-only, no notification', () => {
    const { disabled, notes } = loadForm(Status.Draft);
    for (const name of TOTALS) expect({ name, disabled: disabled(name) }).toEqual({ name, disabled: true });
    for (const name of EDITABLE) expect({ name, disabled: disabled(name) }).toEqual({ name, disabled: false });
    expect(notes()).toEqual([]);
  });

  it('an issued invoice: every field locked and the notification saying why', () => {
    const { form, disabled, notes } = loadForm(Status.Issued);
    const names: string[] = [];
    form.ui.controls.forEach((c) => void names.push(c.getName()));
    expect(names.sort()).toEqual([...TOTALS, ...EDITABLE].sort());
    for (const name of names) expect({ name, disabled: disabled(name) }).toEqual({ name, disabled: true });
    expect(notes()).toEqual([{ message: LOCKED_EN, level: 'INFO', uniqueId: ISSUED_ID }]);
  });

  it('an issued invoice in French', () => {
    const { notes } = loadForm(Status.Issued, 1036);
    expect(notes().map((n) => n.message)).toEqual(['Cette facture est émise et ne peut plus changer. Corrigez-la par un avoir.']);
  });

  it('a Japanese user (no RESX for 1041: getResourceString throws) sees the English text, not an error', () => {
    const { notes } = loadForm(Status.Issued, 1041);
    expect(notes().map((n) => n.message)).toEqual([LOCKED_EN]);
  });

  it('a key the French RESX lacks (getResourceString returns null) falls back to English', () => {
    const { notes } = loadForm(Status.Issued, 1036, ['invoiceIssuedLocked']);
    expect(notes().map((n) => n.message)).toEqual([LOCKED_EN]);
  });

  it('a cancelled invoice: every field locked and a notification', () => {
    const { disabled, notes } = loadForm(Status.Cancelled);
    for (const name of [...TOTALS, ...EDITABLE]) expect({ name, disabled: disabled(name) }).toEqual({ name, disabled: true });
    expect(notes()).toHaveLength(1);
  });

  it('a cancelled invoice: the notification names the cancellation, not an issue', () => {
    const { notes } = loadForm(Status.Cancelled);
    expect(notes().map((n) => n.message)).toEqual(['This invoice is cancelled and can no longer change.']);
  });
});
