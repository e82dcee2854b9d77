import { billCsv, microsoftBill } from './bill';
import { BILL_MONTH, buildPartner } from './partner';
import { plantDiscrepancies, type PlantedFinding } from './plant';
import { Random } from './random';
import { partnerSnapshot, type Snapshot } from './snapshot';
import { usageCsv } from './usage';
import { sentInvoices, type SentInvoices } from './invoices';

export interface SampleData {
  readonly snapshot: Snapshot;
  /** New-commerce invoice reconciliation file (licences) for October 2026. */
  readonly licenceCsv: string;
  /** New-commerce daily rated usage file for the same month. */
  readonly usageCsv: string;
  /** What reconciliation must find, planted on purpose (empty for a clean bill). */
  readonly planted: readonly PlantedFinding[];
  /** The October and November invoices sent to the customers, with one billed subscription forgotten unless clean. */
  readonly sent: SentInvoices;
  readonly billPeriod: typeof BILL_MONTH;
}

export const DEFAULT_SEED = 20261001;

/**
 * The sample CSP partner: 25 customers, 120 subscriptions with three months of ledger, and
 * Microsoft's October bill for them. `clean` leaves the bill exactly as the ledger implies;
 * otherwise one discrepancy of every category is planted and listed. `variety` adds EUR and JPY
 * contracts (with the exchange rates they invoice with) and triennial-billed subscriptions.
 */
export function generateSample(options: { seed?: number; clean?: boolean; variety?: boolean } = {}): SampleData {
  const rng = new Random(options.seed ?? DEFAULT_SEED);
  const partner = buildPartner(rng, { everyCustomerContracted: options.clean === true, variety: options.variety === true });
  const rows = microsoftBill(partner);
  const usage = usageCsv(partner, rng);
  const planted = options.clean ? [] : plantDiscrepancies(partner, rows, usage.totals, rng);
  const snapshot = partnerSnapshot(partner, rng);
  return {
    snapshot,
    licenceCsv: billCsv(rows),
    usageCsv: usage.csv,
    planted,
    sent: sentInvoices(snapshot, rows, usage.totals, planted, options.clean === true),
    billPeriod: BILL_MONTH,
  };
}
