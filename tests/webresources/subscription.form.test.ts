import { XrmMockGenerator } from 'xrm-mock';
import { onLoad, onQuantityChange } from '../../webresources/src/subscription.form';

/** A subscription form with quantity 10 and an empty effective date, loaded through onLoad. */
function loadForm(quantity: number | undefined = 10) {
  XrmMockGenerator.initialise();
  const quantityAttr = XrmMockGenerator.Attribute.createNumber(
    { name: 'cspb_quantity', value: quantity },
    { name: 'cspb_quantity' },
  );
  const effectiveDate = XrmMockGenerator.Attribute.createDate(
    { name: 'cspb_changeeffectivedate', requiredLevel: 'none' },
    { name: 'cspb_changeeffectivedate' },
  );
  const context = XrmMockGenerator.getEventContext();
  onLoad(context);
  const control = context.getFormContext().getControl<Xrm.Controls.NumberControl>('cspb_quantity');
  if (!control) throw new Error('quantity control missing from the mock form');
  return { context, quantityAttr, effectiveDate, control };
}

/** The notifications the control currently shows, as xrm-mock records them. */
function notificationsOf(control: Xrm.Controls.NumberControl): string[] {
  const mock = control as unknown as { getNotifications(): Array<{ messages: string[] }> };
  return mock.getNotifications().flatMap((n) => n.messages);
}

describe('Subscription form: quantity changes', () => {
  it('refuses a negative quantity with a notification on the quantity control naming the value', () => {
    const { context, quantityAttr, control } = loadForm();
    quantityAttr.setValue(-3);
    onQuantityChange(context);
    const messages = notificationsOf(control);
    expect(messages).toHaveLength(1);
    expect(messages[0]).toContain('cannot be negative (-3)');
  });

  it('clears the notification once the quantity is valid again', () => {
    const { context, quantityAttr, control } = loadForm();
    quantityAttr.setValue(-1);
    onQuantityChange(context);
    quantityAttr.setValue(12);
    onQuantityChange(context);
    expect(notificationsOf(control)).toEqual([]);
  });

  it('makes the effective date required when the quantity changes', () => {
    const { context, quantityAttr, effectiveDate } = loadForm();
    expect(effectiveDate.getRequiredLevel()).toBe('none');
    quantityAttr.setValue(15);
    onQuantityChange(context);
    expect(effectiveDate.getRequiredLevel()).toBe('required');
  });

  it('releases the effective date when the quantity goes back to its loaded value', () => {
    const { context, quantityAttr, effectiveDate } = loadForm();
    quantityAttr.setValue(15);
    onQuantityChange(context);
    quantityAttr.setValue(10);
    onQuantityChange(context);
    expect(effectiveDate.getRequiredLevel()).toBe('none');
  });

  it('does not ask for an effective date when a negative quantity is refused', () => {
    const { context, quantityAttr, effectiveDate } = loadForm();
    quantityAttr.setValue(-5);
    onQuantityChange(context);
    expect(effectiveDate.getRequiredLevel()).toBe('none');
  });

  it('wires the quantity change handler on load (the form only registers onLoad)', () => {
    const { quantityAttr, effectiveDate } = loadForm();
    quantityAttr.setValue(20);
    quantityAttr.fireOnChange();
    expect(effectiveDate.getRequiredLevel()).toBe('required');
  });
});
