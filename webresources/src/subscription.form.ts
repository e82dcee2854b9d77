/**
 * Subscription main form. Bundled by esbuild into one IIFE exposed as `Cspb.SubscriptionForm`;
 * the form's OnLoad event calls `Cspb.SubscriptionForm.onLoad` (execution context passed), which
 * registers the change and save handlers itself. The arithmetic and the NCE policy live in
 * logic/subscription.ts (core ledger and policy, exact scaled-integer money).
 */
import { calendarDateOf, chargeCycleAt, cycleSummary, formatIso, policyFor, previewChange } from './logic/subscription';
import { currencyDecimals, dateText, moneyText, periodText, spanText } from './locale';
import type { SubscriptionLedger } from '../../core/src/ledger';
import { parseDate, type CalendarDate } from '../../core/src/calendar';
import { bindCurrency } from './currency';
import { notify } from './notify';
import { t } from './strings';
import { formClient } from './client';
import { retrieveAll } from '../../dataverse/src/client/retrieve-all';

const QUANTITY = 'cspb_quantity';
const EFFECTIVE_DATE = 'cspb_changeeffectivedate';
const REASON = 'cspb_changereason';
const CURRENCY = 'cspb_currencycode';
const VENDOR_COST = 'cspb_vendorunitcost';
/** Columns the ledger maintains: the form shows them, changes go through ledger rows. */
export const LEDGER_OWNED = ['cspb_status', 'cspb_termstartdate', 'cspb_termenddate', 'cspb_vendorunitcost'] as const;

export const NOTE = {
  negative: 'cspb-quantity-negative',
  ask: 'cspb-sub-ask',
  preview: 'cspb-sub-preview',
  invoice: 'cspb-sub-invoice',
  policy: 'cspb-sub-policy',
  ledger: 'cspb-sub-ledger',
  ledgerError: 'cspb-sub-ledger-error',
  save: 'cspb-sub-save',
} as const;
const FORM_TYPE_CREATE = 1;

/** Quantity as loaded: a change is judged against it, not against isDirty (which never resets on undo). */
let quantityAtLoad: number | null = null;
let ledger: Promise<SubscriptionLedger | null> = Promise.resolve(null);
/** Microsoft would refuse the pending change: saving is prevented. */
let blocked = false;

const today = () => calendarDateOf(new Date());

/** The form's invoice-preview library (Cspb.InvoicePreview): the engine and the row mappers, loaded before this script. */
type EngineLibrary = {
  ledgerOfRows(subscriptionId: string, rows: readonly unknown[]): SubscriptionLedger;
  previewInvoiceChange(
    input: unknown,
  ): { periodStart: string; periodEnd: string; currency: string; total: string; lines: ReadonlyArray<{ explanation: string }> } | null;
};
function engine(): EngineLibrary {
  const api = (globalThis as { Cspb?: { InvoicePreview?: EngineLibrary } }).Cspb?.InvoicePreview;
  if (!api) throw new Error('cspb_/scripts/invoice-preview.js is not loaded');
  return api;
}

/** Reads the subscription's ledger rows through the Web API, replayed by the one ledger mapper. */
export async function loadLedger(subscriptionId: string): Promise<SubscriptionLedger> {
  const id = subscriptionId.replace(/[{}]/g, '').toLowerCase();
  const rows = await retrieveAll(formClient(), 'cspb_subscriptionchanges', { filter: `_cspb_subscriptionid_value eq ${id}`, orderBy: ['cspb_sequence asc'] });
  return engine().ledgerOfRows(id, rows);
}

export function onLoad(executionContext: Xrm.Events.EventContext): Promise<void> {
  const form = executionContext.getFormContext();
  const quantity = form.getAttribute<Xrm.Attributes.NumberAttribute>(QUANTITY);
  quantityAtLoad = quantity?.getValue() ?? null;
  blocked = false;
  quantity?.addOnChange(onQuantityChange);
  form.getAttribute(EFFECTIVE_DATE)?.addOnChange(onEffectiveDateChange);
  form.getAttribute(EFFECTIVE_DATE)?.setRequiredLevel('none');
  form.getAttribute(REASON)?.setRequiredLevel('none');
  form.data.entity.addOnSave(onSave);

  const isCreate = form.ui.getFormType() === FORM_TYPE_CREATE;
  const currency = bindCurrency(form, 'cspb_contractid');
  if (!isCreate) for (const name of LEDGER_OWNED) form.getControl<Xrm.Controls.StandardControl>(name)?.setDisabled(true);
  const id = form.data.entity.getId();
  if (isCreate || !id) {
    ledger = Promise.resolve(null);
    return currency;
  }
  ledger = loadLedger(id).catch((error: unknown) => {
    notify(form, t('ledgerUnavailable', error instanceof Error ? error.message : String(error)), 'WARNING', NOTE.ledgerError);
    return null;
  });
  return Promise.all([currency, ledger.then((l) => showLedgerSummary(form, l))]).then(() => undefined);
}

function showLedgerSummary(form: Xrm.FormContext, l: SubscriptionLedger | null): void {
  const first = l?.entries[0];
  if (!l || !first) return;
  const date = today();
  const cycle = chargeCycleAt(first.effectiveDate, l.stateAt(date).billingPlan ?? 'monthly', date);
  const s = cycleSummary(l, cycle);
  const changes = s.changes.length === 0 ? t('ledgerNoChanges') : s.changes.map((c) => `${c.delta > 0 ? '+' : ''}${c.delta} (${dateText(c.date)})`).join(', ');
  notify(form, t('ledgerSummary', periodText(s.period), s.beginQuantity, changes, s.endQuantity), 'INFO', NOTE.ledger);
}

/**
 * A negative quantity is refused with a notification on the control (Dataverse will not save a
 * form with a control notification). Any other change asks for the effective date (defaulting to
 * today) and the reason, then previews the charge and checks Microsoft's 7-day window.
 */
export function onQuantityChange(executionContext: Xrm.Events.EventContext): Promise<void> {
  const form = executionContext.getFormContext();
  const quantity = form.getAttribute<Xrm.Attributes.NumberAttribute>(QUANTITY);
  const control = form.getControl<Xrm.Controls.NumberControl>(QUANTITY);
  const effectiveDate = form.getAttribute<Xrm.Attributes.DateAttribute>(EFFECTIVE_DATE);
  const reason = form.getAttribute(REASON);
  if (!quantity) return Promise.resolve();

  const value = quantity.getValue();
  if (value !== null && value < 0) {
    control?.setNotification(t('negativeQuantity', value), NOTE.negative);
    return evaluate(form);
  }
  control?.clearNotification(NOTE.negative);
  const changed = value !== quantityAtLoad;
  effectiveDate?.setRequiredLevel(changed ? 'required' : 'none');
  reason?.setRequiredLevel(changed ? 'required' : 'none');
  if (changed) {
    if (effectiveDate && effectiveDate.getValue() === null) effectiveDate.setValue(new Date());
    notify(form, t('askDateAndReason', quantityAtLoad ?? 0, value ?? 0), 'INFO', NOTE.ask);
  } else {
    form.ui.clearFormNotification(NOTE.ask);
  }
  return evaluate(form);
}

export function onEffectiveDateChange(executionContext: Xrm.Events.EventContext): Promise<void> {
  return evaluate(executionContext.getFormContext());
}

/** Prevents saving a change Microsoft would refuse. */
export function onSave(executionContext: Xrm.Events.SaveEventContext): void {
  const form = executionContext.getFormContext();
  if (!blocked) {
    form.ui.clearFormNotification(NOTE.save);
    return;
  }
  executionContext.getEventArgs().preventDefault();
  notify(form, t('saveBlocked'), 'ERROR', NOTE.save);
}

function clearChange(form: Xrm.FormContext): void {
  blocked = false;
  form.ui.clearFormNotification(NOTE.preview);
  form.ui.clearFormNotification(NOTE.invoice);
  form.ui.clearFormNotification(NOTE.policy);
  form.ui.clearFormNotification(NOTE.save);
}

/** Preview and policy for the pending change, shown as form notifications. */
async function evaluate(form: Xrm.FormContext): Promise<void> {
  const after = form.getAttribute<Xrm.Attributes.NumberAttribute>(QUANTITY)?.getValue() ?? null;
  const before = quantityAtLoad;
  if (after === null || before === null || after < 0 || after === before) {
    clearChange(form);
    return;
  }
  const l = await ledger;
  const first = l?.entries[0];
  if (!l || !first) {
    clearChange(form);
    return;
  }
  const dateValue = form.getAttribute<Xrm.Attributes.DateAttribute>(EFFECTIVE_DATE)?.getValue() ?? null;
  const date = dateValue ? calendarDateOf(dateValue) : today();
  const currency = form.getAttribute<Xrm.Attributes.StringAttribute>(CURRENCY)?.getValue() ?? '';
  const cycle = chargeCycleAt(first.effectiveDate, l.stateAt(date).billingPlan ?? 'monthly', date);
  const p = previewChange({
    cycle,
    date,
    delta: after - before,
    vendorUnitCost: form.getAttribute<Xrm.Attributes.NumberAttribute>(VENDOR_COST)?.getValue() ?? null,
    places: currencyDecimals(currency),
  });
  const common = [
    p.delta > 0 ? `+${p.delta}` : String(p.delta),
    dateText(date),
    p.billedDays,
    cycle.cycleDays,
    spanText(cycle.start, cycle.endInclusive),
  ] as const;
  notify(
    form,
    p.vendorUnits !== undefined ? t('preview', ...common, moneyText(p.vendorUnits, currency)) : t('previewNoPrice', ...common),
    'INFO',
    NOTE.preview,
  );

  await showInvoicePreview(form, date, after);

  const verdict = policyFor(l, date, before, after);
  blocked = verdict !== null && !verdict.allowed;
  if (!verdict) {
    form.ui.clearFormNotification(NOTE.policy);
  } else {
    const closes = verdict.windowClosesOn !== undefined ? dateText(verdict.windowClosesOn) : '?';
    const message = verdict.allowed
      ? t(verdict.action === 'cancel' ? 'cancelAllowed' : 'decreaseAllowed', closes)
      : verdict.action === 'cancel'
        ? t('cancelRefused', closes)
        : t('decreaseRefused', closes, verdict.maxDecrease ?? 0, dateText(date));
    notify(form, message, verdict.allowed ? 'WARNING' : 'ERROR', NOTE.policy);
  }
  if (!blocked) form.ui.clearFormNotification(NOTE.save);
}

/**
 * What the change adds to the customer's invoice, from the invoicing engine in the form's
 * invoice-preview library (Cspb.InvoicePreview) with the contract's period, proration and rounding.
 */
async function showInvoicePreview(form: Xrm.FormContext, date: CalendarDate, after: number): Promise<void> {
  const id = form.data.entity.getId().replace(/[{}]/g, '').toLowerCase();
  try {
    const api = engine();
    const client = formClient();
    const subscription = await client.retrieve<Record<string, unknown>>('cspb_subscriptions', id);
    const contractId = subscription['_cspb_contractid_value'] as string | null;
    if (!contractId) {
      notify(form, t('invoicePreviewNoContract'), 'INFO', NOTE.invoice);
      return;
    }
    const [contract, offer, ledgerRows] = await Promise.all([
      client.retrieve('cspb_billingcontracts', contractId),
      client.retrieve('cspb_offers', String(subscription['_cspb_offerid_value'])),
      retrieveAll(client, 'cspb_subscriptionchanges', { filter: `_cspb_subscriptionid_value eq ${id}` }),
    ]);
    const p = api.previewInvoiceChange({ contract, subscription, offer, ledger: ledgerRows, change: { quantityAfter: after, effectiveDate: formatIso(date) } });
    if (p)
      notify(
        form,
        t(
          'invoicePreview',
          spanText(parseDate(p.periodStart), parseDate(p.periodEnd)),
          moneyText(p.total, p.currency),
          p.lines.map((l) => l.explanation).join('; '),
        ),
        'INFO',
        NOTE.invoice,
      );
    else form.ui.clearFormNotification(NOTE.invoice);
  } catch (error) {
    notify(form, t('invoicePreviewFailed', error instanceof Error ? error.message : String(error)), 'WARNING', NOTE.invoice);
  }
}
