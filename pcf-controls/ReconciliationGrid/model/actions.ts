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

/** The slice of ComponentFramework.WebApi the actions use. */
export interface WebApiLike {
  updateRecord(entityType: string, id: string, data: object): Promise<unknown>;
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
  /** Saves the billed quantity on the subscription (as a form save would: validated, then recorded in the ledger), then resolves the discrepancy. */
  createCorrection(row: ReconRow): Promise<void>;
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
    createCorrection: async (row) => {
      const blocker = correctionBlocker(row);
      if (blocker) throw new Error(`No correction possible: ${blocker}`);
      const after = decimalOfFixed(row.billedQuantity!);
      const reason = `Reconciliation correction: ${row.category ? CATEGORY_LABELS[row.category] : row.categoryText}${row.name ? ` (${row.name})` : ''}`;
      // The same path as a form save: the subscription takes the billed quantity with the change's
      // date and reason; the server validates it before the save and the ledger step records it.
      const body: CspbSubscriptionWrite = {
        cspb_quantity: after.toNumber(),
        cspb_changeeffectivedate: isoDate(row.chargeStart),
        cspb_changereason: reason.slice(0, 500),
      };
      await webAPI.updateRecord(CspbSubscriptionTable.logicalName, row.subscriptionRecordId!, body);
      await setStatus(row, CspbDiscrepancyResolutionStatus.Resolved, reason);
    },
  };
}
