/**
 * A form's Currency lookup kept equal to its ISO code. Dataverse gives a row saved without a
 * Currency the saving user's currency (learn.microsoft.com/power-apps/developer/data-platform/transaction-currency-currency-entity),
 * so a EUR subscription saved by a user whose currency is USD would show "$" and be summed with
 * dollars. The suite's own writes bind it (dataverse/src/client/currency-binding.ts); on a form the
 * script does, from `cspb_currencycode`, and a code the org has not enabled stops the save with a
 * notification on the code ("Setting an error notification on a control will block the form from
 * saving": learn.microsoft.com/power-apps/developer/model-driven-apps/clientapi/reference/controls/setnotification;
 * the workbench's Xrm blocks it too). A new row with no code takes its parent's (a subscription its contract's).
 */
import { t } from './strings';

export const CODE = 'cspb_currencycode';
export const LOOKUP = 'transactioncurrencyid';
export const CURRENCY_NOTE = 'cspb-currency';
const FORM_TYPE_CREATE = 1;

type Lookup = Xrm.Attributes.LookupAttribute;

/** The org's enabled currency with this ISO code, or null. */
async function currencyByCode(code: string): Promise<Xrm.LookupValue | null> {
  const safe = code.replace(/'/g, "''");
  const result = await Xrm.WebApi.retrieveMultipleRecords(
    'transactioncurrency',
    `?$select=transactioncurrencyid,currencyname,isocurrencycode&$filter=isocurrencycode eq '${safe}'`,
  );
  const row = result.entities[0] as { transactioncurrencyid?: string; currencyname?: string } | undefined;
  return row?.transactioncurrencyid ? { id: row.transactioncurrencyid, name: row.currencyname ?? code, entityType: 'transactioncurrency' } : null;
}

const sameId = (a: string | undefined, b: string): boolean => (a ?? '').replace(/[{}]/g, '').toLowerCase() === b.replace(/[{}]/g, '').toLowerCase();

/** Sets the Currency lookup from the code; refuses (control notification, which blocks the save) a code the org lacks. */
export async function syncCurrency(form: Xrm.FormContext): Promise<void> {
  const codeAttribute = form.getAttribute<Xrm.Attributes.StringAttribute>(CODE);
  const lookup = form.getAttribute<Lookup>(LOOKUP);
  const control = form.getControl<Xrm.Controls.StringControl>(CODE);
  const raw = codeAttribute?.getValue()?.trim() ?? '';
  if (!codeAttribute || !lookup || raw === '') return;
  const code = raw.toUpperCase();
  if (code !== raw) codeAttribute.setValue(code);
  const currency = await currencyByCode(code);
  if (!currency) {
    control?.setNotification(t('currencyNotEnabled', code), CURRENCY_NOTE);
    return;
  }
  control?.clearNotification(CURRENCY_NOTE);
  if (!sameId(lookup.getValue()?.[0]?.id, currency.id)) lookup.setValue([currency]);
}

/** A new row without a code takes the code of the row its lookup points at (a subscription its contract's), then the lookup follows. */
export async function inheritCurrency(form: Xrm.FormContext, parentLookup: string): Promise<void> {
  await inheritCode(form, parentLookup);
  await syncCurrency(form);
}

async function inheritCode(form: Xrm.FormContext, parentLookup: string): Promise<void> {
  const codeAttribute = form.getAttribute<Xrm.Attributes.StringAttribute>(CODE);
  const parent = form.getAttribute<Lookup>(parentLookup)?.getValue()?.[0];
  if (!codeAttribute || !parent || (codeAttribute.getValue() ?? '').trim() !== '') return;
  const row = (await Xrm.WebApi.retrieveRecord(parent.entityType, parent.id, `?$select=${CODE}`)) as Record<string, unknown>;
  const code = row[CODE];
  if (typeof code === 'string' && code !== '') codeAttribute.setValue(code);
}

/** OnLoad: keeps the lookup following the code, and on a new row the code following the parent. */
export function bindCurrency(form: Xrm.FormContext, parentLookup?: string): Promise<void> {
  const codeAttribute = form.getAttribute(CODE);
  if (!codeAttribute || !form.getAttribute(LOOKUP)) return Promise.resolve();
  codeAttribute.addOnChange((context) => void syncCurrency(context.getFormContext()));
  const isCreate = form.ui.getFormType() === FORM_TYPE_CREATE;
  if (isCreate && parentLookup) {
    form.getAttribute(parentLookup)?.addOnChange((context) => void inheritCurrency(context.getFormContext(), parentLookup));
    return inheritCurrency(form, parentLookup);
  }
  return syncCurrency(form);
}
