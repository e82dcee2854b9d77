/**
 * Invoice run main form (`Cspb.InvoiceRunForm`). On a new run, picking the period start sets the
 * period end to the end of that calendar month and the name to "Invoices <period>", and a
 * notification says that an empty Billing contract invoices every contract due in the period (the
 * invoice-run plugin then bills each contract's period containing the start). The Invoice runs
 * list's "Invoice a period" command opens this form prefilled (commands.ts invoicePeriod). OnLoad
 * registers the change handlers itself, as the other form scripts do. Saved runs are left alone:
 * the plugin has already acted on them.
 */
import { addDays, toYmd, type CalendarDate } from '../../core/src/calendar';
import { calendarDateOf } from './logic/subscription';
import { monthOf, periodText, recordName, spanText } from './locale';
import { notify } from './notify';
import { t } from './strings';

const START = 'cspb_periodstart';
const END = 'cspb_periodend';
const NAME = 'cspb_name';
export const PERIOD_NOTE = 'cspb-invoicerun-period';
const FORM_TYPE_CREATE = 1;

/** The name this script last gave the run: replaced when the start changes, unlike a name the user typed. */
let autoName: string | null = null;

type DateAttribute = Xrm.Attributes.DateAttribute;

const dateValue = (form: Xrm.FormContext, name: string): CalendarDate | null => {
  const value = form.getAttribute<DateAttribute>(name)?.getValue();
  return value ? calendarDateOf(value) : null;
};

/** A date-only column's value: the calendar date at local midnight, as the date picker sets it. */
const asDate = (date: CalendarDate): Date => {
  const { year, month, day } = toYmd(date);
  return new Date(year, month - 1, day);
};

const nameFor = (start: CalendarDate): string => recordName(t('invoicePeriodName', periodText(monthFrom(start))));
/** From the start through the end of its calendar month. */
const monthFrom = (start: CalendarDate) => ({ start, end: monthOf(start).end });

/** The notification naming the run's period (its start through its end, or the end of the start's month). */
function showPeriodNote(form: Xrm.FormContext): void {
  const start = dateValue(form, START);
  if (start === null) {
    form.ui.clearFormNotification(PERIOD_NOTE);
    return;
  }
  const end = dateValue(form, END);
  const text = end !== null && end >= start ? spanText(start, end) : periodText(monthFrom(start));
  notify(form, t('invoicePeriodNote', text), 'INFO', PERIOD_NOTE);
}

const isNew = (form: Xrm.FormContext): boolean => form.ui.getFormType() === FORM_TYPE_CREATE;

export function onLoad(executionContext: Xrm.Events.EventContext): void {
  const form = executionContext.getFormContext();
  autoName = null;
  form.getAttribute(START)?.addOnChange(onPeriodStartChange);
  form.getAttribute(END)?.addOnChange((context) => {
    if (isNew(context.getFormContext())) showPeriodNote(context.getFormContext());
  });
  if (!isNew(form)) {
    form.ui.clearFormNotification(PERIOD_NOTE);
    return;
  }
  const start = dateValue(form, START);
  if (start !== null) {
    // Opened prefilled (the "Invoice a period" command): fill only what is missing.
    autoName = nameFor(start);
    const end = form.getAttribute<DateAttribute>(END);
    if (end && end.getValue() === null) end.setValue(asDate(addDays(monthOf(start).end, -1)));
    const name = form.getAttribute<Xrm.Attributes.StringAttribute>(NAME);
    if (name && !name.getValue()) name.setValue(autoName);
  }
  showPeriodNote(form);
}

/** A period start picked on a new run: the end of its calendar month, the name, the notification. */
export function onPeriodStartChange(executionContext: Xrm.Events.EventContext): void {
  const form = executionContext.getFormContext();
  if (!isNew(form)) return;
  const start = dateValue(form, START);
  if (start !== null) {
    form.getAttribute<DateAttribute>(END)?.setValue(asDate(addDays(monthOf(start).end, -1)));
    const name = form.getAttribute<Xrm.Attributes.StringAttribute>(NAME);
    const typed = name?.getValue() ?? '';
    const next = nameFor(start);
    if (name && (typed === '' || typed === autoName)) name.setValue(next);
    autoName = next;
  }
  showPeriodNote(form);
}
