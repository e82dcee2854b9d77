import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { LocalOrg, type LocalOrgOptions } from '../../dataverse/src/local-org';
import { CspbOfferBillingPlan, CspbOfferTerm, CspbOfferVendor, CspbSubscriptionStatus } from '../../dataverse/generated';
import { JOBS, MemoryBillFileSource, registerPlugins, runJobToEnd, type JobKind } from '../../plugins/src';

export interface Seeded {
  readonly org: LocalOrg;
  readonly files: MemoryBillFileSource;
  readonly accountId: string;
  readonly offerId: string;
  /** Sets "today" for the handlers. */
  setToday(date: string): void;
}

export async function seededOrg(options: { plugins?: boolean; today?: string; currencies?: LocalOrgOptions['currencies'] } = {}): Promise<Seeded> {
  let today = options.today ?? '2026-10-01';
  // The org's clock is "today" too: a save's date (modifiedon) dates a change the form gave no date.
  const org = new LocalOrg({ now: () => new Date(`${today}T12:00:00Z`), ...(options.currencies ? { currencies: options.currencies } : {}) });
  const files = new MemoryBillFileSource();
  if (options.plugins !== false) registerPlugins(org, { today: () => today, billFiles: files });
  const accountId = await org.create('accounts', { name: 'Contoso', cspb_tenantid: 'c1' });
  const offerId = await org.create('cspb_offers', {
    cspb_name: 'Microsoft 365 Business Standard',
    cspb_vendor: CspbOfferVendor.Microsoft,
    cspb_productid: 'CFQ7TTC0LH18',
    cspb_skuid: '0001',
    cspb_term: CspbOfferTerm.P1Y,
    cspb_billingplan: CspbOfferBillingPlan.Monthly,
    cspb_unitcost: 12.5,
    cspb_currencycode: 'EUR',
  });
  return { org, files, accountId, offerId, setToday: (d) => (today = d) };
}

export function subscriptionBody(s: Seeded, quantity: number, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    cspb_name: 'Contoso M365 BS',
    cspb_quantity: quantity,
    cspb_status: CspbSubscriptionStatus.Active,
    cspb_vendorsubscriptionid: `sub-${randomUUID().slice(0, 8)}`,
    cspb_vendorunitcost: 12.5,
    cspb_customerunitprice: 15,
    cspb_currencycode: 'EUR',
    'cspb_CustomerId@odata.bind': `/accounts(${s.accountId})`,
    'cspb_OfferId@odata.bind': `/cspb_offers(${s.offerId})`,
    ...extra,
  };
}

/** The subscription's ledger rows once the asynchronous ledger steps have run. */
export async function ledgerOf(org: LocalOrg, subscriptionId: string): Promise<Array<Record<string, unknown>>> {
  await org.asyncIdle();
  const page = await org.retrieveMultiple('cspb_subscriptionchanges', {
    filter: `_cspb_subscriptionid_value eq ${subscriptionId}`,
    orderBy: ['cspb_sequence'],
  });
  return page.value;
}

export function fixture(name: string): string {
  return readFileSync(join(__dirname, 'fixtures', name), 'utf8');
}

/** Fills `{{name}}` placeholders of a fixture template. */
export function fillTemplate(template: string, values: Readonly<Record<string, string | number>>): string {
  return template.replace(/\{\{(\w+)\}\}/g, (_, name: string) => {
    const value = values[name];
    if (value === undefined) throw new Error(`fixture placeholder ${name} has no value`);
    return String(value);
  });
}

/**
 * Runs a queued job again from its first chunk, as a re-triggered run or a redelivered first
 * message would: the row is reset (status columns in `reset`, resume point 0) and every chunk runs.
 */
export async function rerunJob(s: Seeded, job: JobKind, id: string, reset: Record<string, unknown>): Promise<void> {
  await s.org.update(JOBS[job].entitySet, id, { ...reset, cspb_jobchunk: 0 });
  await runJobToEnd({ v: 1, job, id, chunk: 0, correlationId: 'rerun' }, s.org, { billFiles: s.files });
}
