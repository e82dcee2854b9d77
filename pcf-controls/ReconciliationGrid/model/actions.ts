/**
 * What finance does with a discrepancy, through the platform's Web API. The Web API and the
 * navigation are passed in (context.webAPI, context.navigation in the control; fakes in tests).
 */
import { formatIso, localDateOf } from '../../../core/src/calendar';
import { CATEGORY_LABELS } from '../../../core/src/reconcile/categories';
import { CspbDiscrepancyResolutionStatus, CspbDiscrepancyTable } from '../../../dataverse/generated/cspb_discrepancy';
import { CspbSubscriptionTable, type CspbSubscriptionWrite } from '../../../dataverse/generated/cspb_subscription';
import type { ReconRow } from './rows';
import { compareFixed, decimalOfFixed } from './exact';
import type { Decimal } from '../../../core/src/money';

/** The slice of ComponentFramework.WebApi the actions use. */
export interface WebApiLike {
  updateRecord(entityType: string, id: string, data: object): Promise<unknown>;
  retrieveRecord?(entityType: string, id: string, options?: string): Promise<Record<string, unknown>>;
  createRecord(entityType: string, data: object): Promise<{ id: unknown }>;
  retrieveMultipleRecords(entityType: string, options?: string, maxPageSize?: number): Promise<{ entities: Record<string, unknown>[] }>;
}

export interface NavigationLike {
  openForm(options: { entityName: string; entityId?: string }): Promise<unknown>;
}

export interface GridActions {
  accept(row: ReconRow, note: string): Promise<void>;
  resolve(row: ReconRow, note: string): Promise<void>;
  openSubscription(row: ReconRow): Promise<void>;
  /**
   * Saves the plan's seats on the subscription (as a form save would: validated, then recorded in
   * the ledger) with its date and reason, then resolves the discrepancy. Returns what undo needs.
   */
  createCorrection(row: ReconRow, plan: CorrectionPlan): Promise<CorrectionDone>;
  /** Puts the seats back (a second, opposite change through the same path) and reopens the discrepancy. */
  undoCorrection(row: ReconRow, done: CorrectionDone): Promise<void>;
}

/** What a correction will do, shown before it is applied (issue 19: one click wrote it, unseen). */
export interface CorrectionPlan {
  /** Seats in the ledger for the line's period, and what the bill says. */
  readonly before: Decimal;
  readonly after: Decimal;
  /** Billed minus expected for the line: the money the ledger does not yet explain. */
  readonly moneyEffect: Decimal;
  /** ISO date the change takes effect: the charge start by default, editable. */
  readonly effectiveDate: string;
  readonly reason: string;
}

export interface CorrectionDone {
  readonly plan: CorrectionPlan;
  /** The subscription's quantity before the correction (undo saves it back). */
  readonly previousQuantity: number;
}

/** The correction a row proposes (null when it cannot have one: see correctionBlocker). */
export function correctionPlan(row: ReconRow, today: Date = new Date()): CorrectionPlan | null {
  if (correctionBlocker(row)) return null;
  return {
    before: decimalOfFixed(row.expectedQuantity!),
    after: decimalOfFixed(row.billedQuantity!),
    moneyEffect: decimalOfFixed(row.variance),
    effectiveDate: isoDate(row.chargeStart, today),
    reason: `Reconciliation correction: ${row.category ? CATEGORY_LABELS[row.category] : row.categoryText}${row.name ? ` (${row.name})` : ''}`.slice(0, 500),
  };
}

/** Why an action cannot run on this row, or null when it can. */
export function correctionBlocker(row: ReconRow): 'noSubscription' | 'noQuantities' | 'noDifference' | null {
  if (!row.subscriptionRecordId) return 'noSubscription';
  if (row.billedQuantity === null || row.expectedQuantity === null) return 'noQuantities';
  if (compareFixed(row.billedQuantity, row.expectedQuantity) === 0) return 'noDifference';
  return null;
}

/** ISO date (YYYY-MM-DD) from M/D/YYYY or ISO text; the user's today when unreadable. */
export function isoDate(text: string, today: Date = new Date()): string {
  const iso = /^(\d{4})-(\d{2})-(\d{2})/.exec(text);
  if (iso) return `${iso[1]}-${iso[2]}-${iso[3]}`;
  const us = /^(\d{1,2})\/(\d{1,2})\/(\d{4})/.exec(text);
  if (us) return `${us[3]}-${us[1]!.padStart(2, '0')}-${us[2]!.padStart(2, '0')}`;
  return formatIso(localDateOf(today));
}

export function createWebApiActions(webAPI: WebApiLike, navigation: NavigationLike): GridActions {
  const setStatus = async (row: ReconRow, status: number, note: string): Promise<void> => {
    await webAPI.updateRecord(CspbDiscrepancyTable.logicalName, row.id, { cspb_resolutionstatus: status, cspb_resolutionnote: note });
  };
  return {
    accept: (row, note) => setStatus(row, CspbDiscrepancyResolutionStatus.Accepted, note),
    resolve: (row, note) => setStatus(row, CspbDiscrepancyResolutionStatus.Resolved, note),
    openSubscription: async (row) => {
      if (!row.subscriptionRecordId) throw new Error('The discrepancy has no matched subscription.');
      await navigation.openForm({ entityName: 'cspb_subscription', entityId: row.subscriptionRecordId });
    },
    createCorrection: async (row, plan) => {
      const blocker = correctionBlocker(row);
      if (blocker) throw new Error(`No correction possible: ${blocker}`);
      if (!/^\d{4}-\d{2}-\d{2}$/.test(plan.effectiveDate)) throw new Error(`The effective date ${plan.effectiveDate} is not a date (YYYY-MM-DD).`);
      if (!plan.reason.trim()) throw new Error('A correction needs a reason.');
      const id = row.subscriptionRecordId!;
      const current = webAPI.retrieveRecord ? await webAPI.retrieveRecord(CspbSubscriptionTable.logicalName, id, '?$select=cspb_quantity') : undefined;
      const previousQuantity = typeof current?.['cspb_quantity'] === 'number' ? current['cspb_quantity'] : plan.before.toNumber();
      // The same path as a form save: the subscription takes the billed quantity with the change's
      // date and reason; the server validates it before the save and the ledger step records it.
      const body: CspbSubscriptionWrite = {
        cspb_quantity: plan.after.toNumber(),
        cspb_changeeffectivedate: plan.effectiveDate,
        cspb_changereason: plan.reason.trim().slice(0, 500),
      };
      await webAPI.updateRecord(CspbSubscriptionTable.logicalName, id, body);
      await setStatus(row, CspbDiscrepancyResolutionStatus.Resolved, plan.reason.trim());
      return { plan, previousQuantity };
    },
    undoCorrection: async (row, done) => {
      // Undo is a change of its own (the ledger keeps both, as Dynamics keeps its audit): NCE's
      // rules apply to it too, so a seat decrease after the 7-day window is refused with the reason.
      const body: CspbSubscriptionWrite = {
        cspb_quantity: done.previousQuantity,
        cspb_changeeffectivedate: done.plan.effectiveDate,
        cspb_changereason: `Undo: ${done.plan.reason}`.slice(0, 500),
      };
      await webAPI.updateRecord(CspbSubscriptionTable.logicalName, row.subscriptionRecordId!, body);
      await setStatus(row, CspbDiscrepancyResolutionStatus.Open, '');
    },
  };
}
