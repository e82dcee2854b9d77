/**
 * Billing contract main form (`Cspb.BillingContractForm`). OnLoad registers the change handlers;
 * settings are validated on every change and the next invoice is previewed (core periods) with
 * an estimate of its recurring licence lines from the contract's active subscriptions.
 */
import type { CalendarDate } from '../../core/src/calendar';
import { CspbSubscriptionStatus } from '../../dataverse/generated/cspb_subscription';
import { lessPercent, prorated } from './logic/exact';
import { nextInvoice, validateContract, type ContractFields } from './logic/contract';
import { calendarDateOf } from './logic/subscription';
import { parseDate } from '../../core/src/calendar';
import { notify } from './notify';
import { t } from './strings';
import { bindCurrency } from './currency';
import { currencyDecimals, dateText, moneyText, periodText } from './locale';
import { formClient } from './client';
import { retrieveAll } from '../../dataverse/src/client/retrieve-all';

const WATCHED = ['cspb_frequency', 'cspb_anchor', 'cspb_anchorday', 'cspb_timing', 'cspb_paymenttermdays', 'cspb_prorationpolicy', 'cspb_discountpercent'];
export const NEXT_INVOICE_ID = 'cspb-contract-next';
const FINDING_ID = 'cspb-contract-check';

const num = (form: Xrm.FormContext, name: string): number | null => (form.getAttribute(name)?.getValue() as number | null | undefined) ?? null;

export function readContract(form: Xrm.FormContext): ContractFields {
  return {
    frequency: num(form, 'cspb_frequency'),
    anchor: num(form, 'cspb_anchor'),
    anchorDay: num(form, 'cspb_anchorday'),
    timing: num(form, 'cspb_timing'),
    paymentTermDays: num(form, 'cspb_paymenttermdays'),
    proration: num(form, 'cspb_prorationpolicy'),
  };
}

export function onLoad(executionContext: Xrm.Events.EventContext): Promise<void> {
  const form = executionContext.getFormContext();
  for (const name of WATCHED) form.getAttribute(name)?.addOnChange(onSettingsChange);
  // The contract has amounts (its minimum commitment): the Currency lookup follows its ISO code.
  return Promise.all([bindCurrency(form), onSettingsChange(executionContext)]).then(() => undefined);
}

/** Shows each finding on its control (errors stop the save) and refreshes the next-invoice preview. */
export async function onSettingsChange(executionContext: Xrm.Events.EventContext): Promise<void> {
  const form = executionContext.getFormContext();
  const fields = readContract(form);
  const findings = validateContract(fields);
  for (const name of ['cspb_anchorday', 'cspb_anchor', 'cspb_paymenttermdays', 'cspb_prorationpolicy'])
    form.getControl<Xrm.Controls.StandardControl>(name)?.clearNotification(FINDING_ID);
  form.ui.clearFormNotification(FINDING_ID);
  for (const f of findings) {
    if (f.level === 'error') form.getControl<Xrm.Controls.StandardControl>(f.field)?.setNotification(t(f.key), FINDING_ID);
    else notify(form, t(f.key), 'WARNING', FINDING_ID);
  }
  await showNextInvoice(form, fields);
}

/** The contract's active subscriptions and their earliest term start (the phase, and the co-term anchor, of its periods). */
export async function activeSubscriptions(id: string): Promise<{ subs: Array<Record<string, unknown>>; earliestStart: CalendarDate | undefined }> {
  const subs = id
    ? await retrieveAll<Record<string, unknown>>(formClient(), 'cspb_subscriptions', {
        select: ['cspb_quantity', 'cspb_customerunitprice', 'cspb_termstartdate', 'cspb_status'],
        filter: `_cspb_contractid_value eq ${id} and cspb_status eq ${CspbSubscriptionStatus.Active}`,
      })
    : [];
  const starts = subs
    .map((s) => s['cspb_termstartdate'] as string | null)
    .filter((d): d is string => !!d)
    .map(parseDate);
  return { subs, earliestStart: starts.length > 0 ? (Math.min(...starts) as CalendarDate) : undefined };
}

async function showNextInvoice(form: Xrm.FormContext, fields: ContractFields): Promise<void> {
  const id = form.data.entity.getId().replace(/[{}]/g, '').toLowerCase();
  const { subs, earliestStart } = await activeSubscriptions(id);
  const today = calendarDateOf(new Date());
  const created = form.getAttribute<Xrm.Attributes.DateAttribute>('createdon')?.getValue();
  const next = nextInvoice(fields, today, created ? calendarDateOf(created) : today, earliestStart);
  if (!next) {
    form.ui.clearFormNotification(NEXT_INVOICE_ID);
    return;
  }
  const currency = (form.getAttribute('cspb_currencycode')?.getValue() as string | null) ?? '';
  // Each subscription's line at the currency's minor unit (cents; whole yen), then the discount.
  const places = currencyDecimals(currency);
  let units = BigInt(0);
  for (const s of subs) {
    const price = s['cspb_customerunitprice'] as number | null;
    if (price !== null && price !== undefined) units += prorated(price, s['cspb_quantity'] as number, 1, 1, 'halfUp', places);
  }
  const discount = num(form, 'cspb_discountpercent');
  if (discount !== null) units = lessPercent(units, discount);
  notify(
    form,
    t('contractNextInvoice', dateText(next.invoiceDate), periodText(next.period), dateText(next.due), moneyText(units, currency), subs.length),
    'INFO',
    NEXT_INVOICE_ID,
  );
}
