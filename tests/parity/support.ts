import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { invoicesToJson, type ReconResult } from '../../core/src';
import { Decimal, parseDate } from '../../core/src';
import {
  CspbBillingImportImportStatus as ImportStatus,
  CspbInvoiceInvoiceStatus as InvoiceStatus,
  CspbInvoiceLineLineType as LineType,
  CspbInvoiceRunRunStatus as InvoiceRunStatus,
  CspbReconciliationRunRunStatus as ReconRunStatus,
  CspbSubscriptionStatus as SubscriptionStatus,
} from '../../dataverse/generated';
import type { EntityRecord } from '../../dataverse/src/client/types';
import {
  CspbBillingContractAnchor,
  CspbBillingContractFrequency,
  CspbBillingContractProrationPolicy,
  CspbBillingContractRoundingPolicy,
  CspbBillingContractTiming,
} from '../../dataverse/generated';
import { LocalOrg } from '../../dataverse/src/local-org';
import { DEFAULT_CURRENCIES } from '../../dataverse/src/local-org/currency';
import { discrepancyRow, invoiceLineRows, invoiceRow, issueDraft, storedFindings, type InvoiceRunResult } from '../../dataverse/src/runs';
import { MONEY_PLACES, roundedToWebApi } from '../../dataverse/src/mappers/values';
import { MemoryBillFileSource, registerPlugins } from '../../plugins/src';
import { invoiceFiles } from '../../scripts/invoice';
import { reconcileFiles } from '../../scripts/reconcile';
import { readSnapshot } from '../../scripts/cli-inputs';

/** What a partner has for one month: CRM as a snapshot, Microsoft's licence and usage files. */
export interface PartnerMonth {
  readonly snapshot: unknown;
  readonly licenceCsv: string;
  readonly usageCsv: string;
}

/** The months a parity case invoices: the billed month and the next (usage in arrears lands there). */
export const INVOICE_MONTHS = ['2026-10', '2026-11'] as const;

type Row = Record<string, unknown>;

/** A value as both paths store it: binds become the bound id, numbers stay numbers. */
function normalise(record: EntityRecord): Row {
  const out: Row = {};
  for (const [key, value] of Object.entries(record)) {
    const bind = /^(\w+)@odata\.bind$/.exec(key);
    if (bind) out[`_${bind[1]!.toLowerCase()}_value`] = typeof value === 'string' ? (/\(([^)]+)\)$/.exec(value)?.[1] ?? null) : null;
    else out[key] = value;
  }
  return out;
}

/** The stored row restricted to the columns the mapped row has (a stored row has system columns too). */
function projectLike(stored: Row, like: Row): Row {
  const out: Row = {};
  for (const key of Object.keys(like)) out[key] = stored[key] ?? null;
  return out;
}

export interface PathOutcome {
  /** Findings by key, as cspb_discrepancy rows. */
  readonly findings: Map<string, Row>;
  readonly totals: Row;
  /** Drafts by draft key, each with its lines in order. */
  readonly invoices: Map<string, { invoice: Row; lines: Row[] }>;
}

const money = (d: Parameters<typeof roundedToWebApi>[0]) => roundedToWebApi(d, 'money column', MONEY_PLACES);

function totalsOf(result: ReconResult): Row {
  return {
    cspb_totalbilled: money(result.totals.billed),
    cspb_totalexpected: money(result.totals.expected),
    cspb_totalvariance: money(result.totals.variance),
    cspb_totalleakage: money(result.totals.leakage),
    cspb_totalmargin: money(result.totals.margin),
  };
}

/** The CLI: `npm run reconcile` of both files and `npm run invoice` of each month, as functions. */
export async function cliPath(month: PartnerMonth): Promise<PathOutcome & { result: ReconResult }> {
  const dir = mkdtempSync(join(tmpdir(), 'cspb-parity-'));
  try {
    const org = join(dir, 'org.json');
    const licence = join(dir, 'licence.csv');
    const usage = join(dir, 'usage.csv');
    writeFileSync(org, JSON.stringify(month.snapshot));
    writeFileSync(licence, month.licenceCsv);
    writeFileSync(usage, month.usageCsv);
    // Three-way: the invoices of both months are what the customers were sent.
    const runs: InvoiceRunResult[] = [];
    for (const period of INVOICE_MONTHS) runs.push(await invoiceFiles({ org, period, bills: [usage] }));
    const invoicesFile = join(dir, 'invoices.json');
    writeFileSync(invoicesFile, invoicesToJson(runs.flatMap((r) => r.invoices)));
    const result = await reconcileFiles({ org, bills: [licence, usage], invoices: [invoicesFile] });
    const rows = readSnapshot(org);
    const ctx = {
      runId: 'run',
      currency: result.currency ?? '',
      subscriptionIds: new Set(rows.cspb_subscription.map((s) => s.cspb_subscriptionid)),
      accountIds: new Set(rows.account.map((a) => a.accountid)),
    };
    const findings = new Map(storedFindings(result).map(({ key, item }) => [key, normalise(discrepancyRow(item, key, ctx))]));
    const invoices = new Map<string, { invoice: Row; lines: Row[] }>();
    const names = new Map(rows.cspb_billingcontract.map((c) => [c.cspb_billingcontractid, c.cspb_name]));
    for (const run of runs) {
      // Compared as drafts (the Dynamics rows before finance issues them); then sent (the --invoices file).
      for (const draft of run.invoices)
        invoices.set(draft.draftKey, {
          invoice: { ...normalise(invoiceRow(draft, names.get(draft.contractId) ?? '')), cspb_invoicestatus: InvoiceStatus.Draft },
          lines: invoiceLineRows(draft).map(normalise),
        });
    }
    return { findings, totals: totalsOf(result), invoices, result };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const enc = (text: string) => new TextEncoder().encode(text);

/**
 * Dynamics: the same snapshot in the local org with the suite's steps registered; both files
 * imported through billing imports, a reconciliation run on the licence import (it covers every
 * import of its month), and an invoice run per month; what the org then holds.
 */
export async function dynamicsPath(month: PartnerMonth): Promise<PathOutcome & { org: LocalOrg }> {
  // JPY enabled besides the default currencies: the variety partners have yen contracts.
  const org = new LocalOrg({
    now: () => new Date('2026-11-02T12:00:00Z'),
    currencies: [...DEFAULT_CURRENCIES, { code: 'JPY', name: 'Japanese Yen', symbol: '¥', rate: '151.37', precision: 0 }],
  });
  const files = new MemoryBillFileSource();
  registerPlugins(org, { today: () => '2026-11-02', billFiles: files });
  await org.importSnapshot(month.snapshot);
  const imports: string[] = [];
  for (const [name, csv] of [
    ['licence.csv', month.licenceCsv],
    ['usage.csv', month.usageCsv],
  ] as const) {
    const id = await org.create('cspb_billingimports', { cspb_name: name, cspb_filename: name, cspb_contenthash: `pending-${name}`, cspb_currencycode: 'USD' });
    files.put(id, { fileName: name, bytes: enc(csv) });
    imports.push(id);
  }
  // Files attach after the create in a real org; here they are in place before the job runs.
  await org.asyncIdle();
  for (const id of imports) {
    const status = (await org.retrieve<Row>('cspb_billingimports', id))['cspb_importstatus'];
    if (status !== ImportStatus.Completed && status !== ImportStatus.CompletedWithErrors)
      throw new Error(`import ${id} ended with status ${String(status)}: ${String((await org.retrieve<Row>('cspb_billingimports', id))['cspb_errors'])}`);
  }
  for (const period of INVOICE_MONTHS) {
    const [y, m] = period.split('-').map(Number) as [number, number];
    const last = new Date(Date.UTC(y, m, 0)).getUTCDate();
    const id = await org.create('cspb_invoiceruns', {
      cspb_name: period,
      cspb_periodstart: `${period}-01`,
      cspb_periodend: `${period}-${String(last).padStart(2, '0')}`,
    });
    await org.asyncIdle();
    const invoiceRun = await org.retrieve<Row>('cspb_invoiceruns', id);
    if (invoiceRun['cspb_runstatus'] !== InvoiceRunStatus.Completed)
      throw new Error(`invoice run ${period} ended ${String(invoiceRun['cspb_runstatus'])}: ${String(invoiceRun['cspb_error'])}`);
  }
  const invoices = await storedInvoices(org);
  // Finance issues the drafts (numbered); the reconciliation run then reads them as what customers were sent.
  for (const invoice of (await org.retrieveMultiple<Row>('cspb_invoices', {})).value)
    await issueDraft(org, String(invoice['cspb_invoiceid']), parseDate('2026-11-02'));
  const runId = await org.create('cspb_reconciliationruns', {
    cspb_name: 'October',
    'cspb_ImportId@odata.bind': `/cspb_billingimports(${imports[0]})`,
    cspb_currencycode: 'USD',
  });
  await org.asyncIdle();
  const run = await org.retrieve<Row>('cspb_reconciliationruns', runId);
  if (run['cspb_runstatus'] !== ReconRunStatus.Completed)
    throw new Error(`reconciliation run ended ${String(run['cspb_runstatus'])}: ${String(run['cspb_error'])}`);
  const findings = new Map<string, Row>();
  for (const row of (await org.retrieveMultiple<Row>('cspb_discrepancies', { filter: `_cspb_runid_value eq ${runId}` })).value)
    findings.set(String(row['cspb_discrepancykey']), row);
  return { findings, totals: run, invoices, org };
}

/** The org's invoices (or those `keep` accepts) by draft key, each with its lines in order. */
async function storedInvoices(org: LocalOrg, keep: (row: Row) => boolean = () => true): Promise<Map<string, { invoice: Row; lines: Row[] }>> {
  const invoices = new Map<string, { invoice: Row; lines: Row[] }>();
  for (const invoice of (await org.retrieveMultiple<Row>('cspb_invoices', {})).value.filter(keep)) {
    const lines = (
      await org.retrieveMultiple<Row>('cspb_invoicelines', {
        filter: `_cspb_invoiceid_value eq ${String(invoice['cspb_invoiceid'])}`,
        orderBy: ['cspb_linenumber'],
      })
    ).value;
    invoices.set(String(invoice['cspb_draftkey']), { invoice, lines });
  }
  return invoices;
}

/** Corrections of the issued month on both paths: the Dynamics drafts and the CLI's from the org's snapshot. */
export interface CorrectionsOutcome {
  readonly cli: PathOutcome;
  readonly dynamics: PathOutcome;
  /** Subscriptions whose price was cut after the month was issued. */
  readonly changed: number;
}

/**
 * After November was issued, sales cut by 10 % the customer price of up to three invoiced subscriptions
 * from 2026-11-10 (the ledger takes no change dated before its last entry, and the org's today is
 * 2026-11-02). The November invoice run in Dynamics then drafts the corrections (credit notes of
 * the old price, supplements of the new, bound to the issued rows); the CLI, given the org exported
 * as a snapshot (issued invoices included), must draft the same documents.
 */
export async function correctionsStage(org: LocalOrg, month: PartnerMonth): Promise<CorrectionsOutcome> {
  const invoiced = new Set(
    (await org.retrieveMultiple<Row>('cspb_invoicelines', { filter: `cspb_linetype eq ${LineType.Recurring}` })).value.map(
      (l) => l['_cspb_subscriptionid_value'],
    ),
  );
  const subscriptions = (
    await org.retrieveMultiple<Row>('cspb_subscriptions', { filter: `cspb_status eq ${SubscriptionStatus.Active}`, orderBy: ['cspb_subscriptionid'] })
  ).value;
  const chosen = subscriptions.filter((s) => invoiced.has(s['cspb_subscriptionid']) && Number(s['cspb_customerunitprice']) > 2).slice(0, 3);
  for (const s of chosen) {
    await org.update('cspb_subscriptions', String(s['cspb_subscriptionid']), {
      cspb_customerunitprice: new Decimal(String(s['cspb_customerunitprice']))
        .times('0.9')
        .toDecimalPlaces(s['cspb_currencycode'] === 'JPY' ? 0 : 2)
        .toNumber(),
      cspb_changeeffectivedate: '2026-11-10',
      cspb_changereason: 'price renegotiated',
    });
  }
  await org.asyncIdle();
  const runId = await org.create('cspb_invoiceruns', { cspb_name: 'November corrections', cspb_periodstart: '2026-11-01', cspb_periodend: '2026-11-30' });
  await org.asyncIdle();
  const run = await org.retrieve<Row>('cspb_invoiceruns', runId);
  if (run['cspb_runstatus'] !== InvoiceRunStatus.Completed)
    throw new Error(`correction run ended ${String(run['cspb_runstatus'])}: ${String(run['cspb_error'])}`);
  const dynamics = await storedInvoices(org, (row) => row['cspb_invoicestatus'] === InvoiceStatus.Draft);

  const dir = mkdtempSync(join(tmpdir(), 'cspb-parity-corrections-'));
  try {
    const snapshot = join(dir, 'org.json');
    const usage = join(dir, 'usage.csv');
    writeFileSync(snapshot, JSON.stringify(org.exportSnapshot()));
    writeFileSync(usage, month.usageCsv);
    const result = await invoiceFiles({ org: snapshot, period: '2026-11', bills: [usage] });
    const names = new Map(readSnapshot(snapshot).cspb_billingcontract.map((c) => [c.cspb_billingcontractid, c.cspb_name]));
    const cli = new Map<string, { invoice: Row; lines: Row[] }>();
    for (const draft of result.invoices) {
      cli.set(draft.draftKey, {
        invoice: { ...normalise(invoiceRow(draft, names.get(draft.contractId) ?? '', result.issued)), cspb_invoicestatus: InvoiceStatus.Draft },
        lines: invoiceLineRows(draft, result.issued).map(normalise),
      });
    }
    const none = { findings: new Map<string, Row>(), totals: {} };
    return { cli: { ...none, invoices: cli }, dynamics: { ...none, invoices: dynamics }, changed: chosen.length };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Each path has its own run row: the finding's run binding is left out of the comparison. */
function withoutRunId(row: Row): Row {
  return Object.fromEntries(Object.entries(row).filter(([key]) => key !== '_cspb_runid_value'));
}

/** The Dynamics outcome seen through the CLI's columns, so `toEqual` compares field by field. */
export function asStored(cli: PathOutcome, dynamics: PathOutcome): PathOutcome {
  const findings = new Map<string, Row>();
  for (const [key, mapped] of cli.findings) {
    const stored = dynamics.findings.get(key);
    findings.set(key, stored ? projectLike(stored, withoutRunId(mapped)) : {});
  }
  for (const key of dynamics.findings.keys()) if (!cli.findings.has(key)) findings.set(key, { onlyInDynamics: true });
  const invoices = new Map<string, { invoice: Row; lines: Row[] }>();
  for (const [key, { invoice, lines }] of cli.invoices) {
    const stored = dynamics.invoices.get(key);
    invoices.set(
      key,
      stored ? { invoice: projectLike(stored.invoice, invoice), lines: stored.lines.map((l, i) => projectLike(l, lines[i] ?? l)) } : { invoice: {}, lines: [] },
    );
  }
  for (const key of dynamics.invoices.keys()) if (!cli.invoices.has(key)) invoices.set(key, { invoice: { onlyInDynamics: true }, lines: [] });
  return { findings, totals: projectLike(dynamics.totals, cli.totals), invoices };
}

/** The CLI outcome without the run binding (each path has its own run row). */
export function withoutRun(cli: PathOutcome): PathOutcome {
  const findings = new Map<string, Row>();
  for (const [key, row] of cli.findings) findings.set(key, withoutRunId(row));
  return { findings, totals: cli.totals, invoices: cli.invoices };
}

/** Only what differs, as [where, CLI, Dynamics]: a readable failure instead of a 10,000-line diff. */
export function differences(expected: PathOutcome, actual: PathOutcome): Array<[string, unknown, unknown]> {
  const out: Array<[string, unknown, unknown]> = [];
  const rows = (where: string, a: Row, b: Row) => {
    for (const key of new Set([...Object.keys(a), ...Object.keys(b)]))
      if (JSON.stringify(a[key]) !== JSON.stringify(b[key])) out.push([`${where}.${key}`, a[key], b[key]]);
  };
  rows('totals', expected.totals, actual.totals);
  for (const [key, row] of expected.findings) rows(`finding ${String(row['cspb_name'])} ${key.slice(0, 8)}`, row, actual.findings.get(key) ?? {});
  for (const [key, row] of actual.findings) if (!expected.findings.has(key)) out.push([`finding ${key.slice(0, 8)}`, undefined, row]);
  for (const [key, { invoice, lines }] of expected.invoices) {
    const other = actual.invoices.get(key) ?? { invoice: {}, lines: [] };
    rows(`invoice ${key}`, invoice, other.invoice);
    lines.forEach((line, i) => rows(`invoice ${key} line ${i + 1}`, line, other.lines[i] ?? {}));
    if (other.lines.length !== lines.length) out.push([`invoice ${key} line count`, lines.length, other.lines.length]);
  }
  for (const [key, v] of actual.invoices) if (!expected.invoices.has(key)) out.push([`invoice ${key}`, undefined, v.invoice]);
  return out;
}

/**
 * A monthly, calendar-anchored, in-advance EUR contract of the customer (30 days to pay, daily
 * proration, half-up rounding): the contract the parity cases build on, with their own columns over it.
 */
export function monthlyEurContract(accountId: string, name: string, extra: EntityRecord = {}): EntityRecord {
  return {
    cspb_name: name,
    'cspb_CustomerId@odata.bind': `/accounts(${accountId})`,
    cspb_currencycode: 'EUR',
    cspb_frequency: CspbBillingContractFrequency.Monthly,
    cspb_anchor: CspbBillingContractAnchor.CalendarMonth,
    cspb_timing: CspbBillingContractTiming.InAdvance,
    cspb_paymenttermdays: 30,
    cspb_prorationpolicy: CspbBillingContractProrationPolicy.DailyByDaysInPeriod,
    cspb_roundingpolicy: CspbBillingContractRoundingPolicy.HalfUp,
    ...extra,
  };
}
