/**
 * Every shared sample (../shared/samples, JSON and CSV) goes through the importer; expectations
 * are the values printed in the files themselves (and sums of them worked out by hand), never a
 * re-run of the importer's own logic.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { dateOf, formatIso } from '../../core/src/calendar';
import { importBytes, ImportResult } from '../../core/src/import';
import { expectBalanced, nodeSha256, readSample, SAMPLES, samplePath } from './support';

function load(rel: string, options: Parameters<typeof importBytes>[1] = {}): ImportResult {
  const bytes = readSample(rel);
  const r = importBytes(bytes, { fileName: rel, ...options });
  expectBalanced(r);
  expect(r.summary.contentHash).toBe(nodeSha256(bytes));
  expect(r.summary.byteLength).toBe(bytes.length);
  return r;
}

describe('shared samples folder', () => {
  it('has every file this suite names (and the suite names every JSON/CSV file in it)', () => {
    const named = new Set([
      ...Object.keys(JSON_EXPECTATIONS),
      'pc-docs-nce-scenarios/nce-seat-changes-march-2022.csv',
      'pc-docs-nce-scenarios/nce-lifecycle-examples.csv',
    ]);
    for (const rel of named) samplePath(rel);
    const onDisk: string[] = [];
    for (const dir of ['pc-api-docs-json', 'pc-powershell-sessionrecords', 'pc-docs-nce-scenarios']) {
      for (const f of fs.readdirSync(path.join(SAMPLES, dir))) if (/\.(json|csv)$/.test(f)) onDisk.push(`${dir}/${f}`);
    }
    expect(onDisk.sort()).toEqual([...named].sort());
  });
});

describe('transcribed NCE scenario CSVs (no currency column: the caller names it)', () => {
  it('reads the March 2022 seat changes one to one with their printed values', () => {
    const r = load('pc-docs-nce-scenarios/nce-seat-changes-march-2022.csv', { defaultCurrency: 'USD' });
    expect(r.summary.format).toBe('nce-license');
    expect(r.summary.rowsRead).toBe(11);
    expect(r.lines).toHaveLength(11);
    const first = r.lines[0]!;
    expect(first.chargeType).toBe('new');
    expect(first.quantity.toString()).toBe('10');
    expect(first.amount.toString()).toBe('120');
    expect(first.effectiveUnitPrice?.toFixed(2)).toBe('12.00');
    expect(first.subscriptionId).toBe('284b0ff0-0e74-4f65-cb23-f8ad95867994');
    expect(first.referenceId).toBe('7d71c595-4635-40d1-a9e2-b34e63b01764');
    expect(formatIso(first.chargeStart)).toBe('2022-03-05');
    expect(formatIso(first.chargeEndInclusive)).toBe('2022-04-04');
    expect(formatIso(first.period.end)).toBe('2022-04-05');
    expect(r.lines[1]!.amount.toString()).toBe('-112.25');
    // Subtotal column summed by hand: 120 - 112.25 + 168.38 - 150.96 + 251.61 - 232.25 + 213.67 - 195.87 + 170.32 - 85.16 + 127.74
    expect(r.summary.total.toString()).toBe('275.23');
    expect(r.summary.totalsByChargeType.addquantity?.rows).toBe(6);
    expect(r.summary.totalsByChargeType.addquantity?.amount.toString()).toBe('199.36');
    expect(r.summary.totalsByChargeType.removequantity?.amount.toString()).toBe('-44.13');
    expect(r.summary.currencies).toEqual(['USD']);
    expect(r.summary.period).toEqual({ start: dateOf(2022, 3, 5), end: dateOf(2022, 4, 5) });
  });

  it('refuses the same file without a currency, naming the missing column', () => {
    const r = load('pc-docs-nce-scenarios/nce-seat-changes-march-2022.csv');
    expect(r.summary.failed).toBe(true);
    expect(r.errors[0]?.code).toBe('missing-required-column');
    expect(r.errors[0]?.column).toBe('Currency');
    expect(r.errors[0]?.file).toBe('pc-docs-nce-scenarios/nce-seat-changes-march-2022.csv');
  });

  it('reads the lifecycle examples, using Total where the file has no Subtotal', () => {
    const r = load('pc-docs-nce-scenarios/nce-lifecycle-examples.csv', { defaultCurrency: 'USD' });
    expect(r.summary.rowsAccepted).toBe(24);
    expect(r.summary.unknownColumns).toEqual(['Scenario']);
    // Total column by charge type, added by hand from the file.
    const t = r.summary.totalsByChargeType;
    expect(t.new?.amount.toString()).toBe('10260');
    expect(t.convert?.rows).toBe(6);
    expect(t.convert?.amount.toString()).toBe('195.25');
    expect(t.changebillingplan?.amount.toString()).toBe('2491.6');
    expect(t.cancelimmediate?.amount.toString()).toBe('-94.2');
    expect(r.summary.total.toString()).toBe('13035.43');
    const prepaid = r.lines[3]!;
    expect(formatIso(prepaid.chargeEndInclusive)).toBe('2022-06-17');
    expect(prepaid.amount.toString()).toBe('1209.6');
    const trial = r.lines[17]!;
    expect(trial.productQualifiers).toBe('["Trial"]');
    expect(trial.subscriptionId).toBe('');
    expect(r.lines[5]!.effectiveUnitPrice?.toString()).toBe('-9.408');
  });
});

type Expect = (r: ImportResult) => void;

const notABill =
  (objectType: string): Expect =>
  (r) => {
    expect(r.summary.failed).toBe(true);
    expect(r.errors).toHaveLength(1);
    expect(r.errors[0]?.code).toBe('unknown-header-set');
    expect(r.errors[0]?.reason).toContain(objectType);
    expect(r.summary.rowsRead).toBe(0);
  };

const JSON_EXPECTATIONS: Record<string, Expect> = {
  'pc-api-docs-json/get-a-collection-of-invoices-ex1-Invoice.json': (r) => {
    expect(r.summary.format).toBeNull();
    expect(r.summary.invoices.map((i) => [i.id, i.totalCharges?.toString(), i.currency])).toEqual([
      ['D02005YFHI', '24606.35', 'GBP'],
      ['G000024130', '586366', 'CHF'],
    ]);
    expect(formatIso(r.summary.invoices[0]!.invoiceDate!)).toBe('2017-01-21');
  },
  'pc-api-docs-json/get-invoice-by-id-ex1-Invoice.json': (r) => {
    expect(r.summary.invoices).toEqual([expect.objectContaining({ id: 'G000024135', currency: 'USD', invoiceType: 'OneTime' })]);
    expect(r.summary.invoices[0]!.totalCharges!.toString()).toBe('2076.63');
  },
  'pc-api-docs-json/get-invoice-billed-consumption-lineitems-ex1-DailyRatedUsageLineItem.json': (r) => {
    expect(r.summary.format).toBe('nce-daily-usage');
    expect(r.usage).toHaveLength(1);
    const u = r.usage[0]!;
    expect(u.rowCount).toBe(2);
    expect(u.meterId).toBe('1core');
    // 23.200004 + 23.350007 and 0.486031696515249 + 0.490235765325545, exactly
    expect(u.quantity.toString()).toBe('46.550011');
    expect(u.amount.toString()).toBe('0.976267461840794');
    // The API writes chargeEndDate as the exclusive instant 2018-12-01T00:00Z: November is 30 days.
    expect(formatIso(u.chargeStart)).toBe('2018-11-01');
    expect(formatIso(u.chargeEndInclusive)).toBe('2018-11-30');
    expect(formatIso(u.firstUsageDate)).toBe('2018-11-13');
    expect(r.summary.invoiceNumbers).toEqual(['T000001234']);
  },
  'pc-api-docs-json/get-invoice-billed-consumption-lineitems-ex2-DailyRatedUsageLineItem.json': (r) => {
    expect(r.usage[0]!.amount.toString()).toBe('0.486031696515249');
    expect(r.usage[0]!.pricingAmount?.toString()).toBe('0.486031696515249');
  },
  'pc-api-docs-json/get-invoice-unbilled-consumption-lineitems-ex1-DailyRatedUsageLineItem.json': (r) => {
    const u = r.usage[0]!;
    expect([u.rowCount, u.quantity.toString(), u.amount.toString()]).toEqual([2, '48', '61.4394668161102']);
    expect([formatIso(u.firstUsageDate), formatIso(u.lastUsageDate)]).toEqual(['2019-01-01', '2019-01-02']);
    expect(u.chargeType).toBe('');
  },
  'pc-api-docs-json/get-invoice-unbilled-consumption-lineitems-ex2-DailyRatedUsageLineItem.json': (r) => {
    expect(r.usage[0]!.amount.toString()).toBe('30.7197334080551');
  },
  'pc-api-docs-json/get-invoice-unbilled-recon-lineitems-ex1-OneTimeInvoiceLineItem.json': (r) => {
    expect(r.summary.format).toBe('nce-license');
    expect(r.lines.map((l) => l.amount.toString())).toEqual(['0', '720', '820']);
    expect(r.lines[2]!.quantity.toString()).toBe('3.1618');
    expect(r.lines[0]!.productQualifiers).toBe('AddOn;Trial');
    expect(r.lines[0]!.resellerMpnId).toBe('4649221');
    expect(formatIso(r.lines[0]!.orderDate!)).toBe('2021-05-20');
  },
  'pc-api-docs-json/get-invoice-unbilled-recon-lineitems-ex2-OneTimeInvoiceLineItem.json': (r) => {
    expect(r.summary.rowsAccepted).toBe(4);
    expect(r.summary.total.toString()).toBe('1556');
  },
  'pc-api-docs-json/get-invoice-unbilled-recon-lineitems-ex3-OneTimeInvoiceLineItem.json': (r) => {
    expect(r.summary.rowsAccepted).toBe(4);
    expect(r.summary.total.toString()).toBe('1556');
  },
  'pc-api-docs-json/get-invoiceline-items-ex1-LicenseBasedLineItem.json': (r) => {
    expect(r.summary.format).toBe('legacy-license');
    expect(r.lines.map((l) => l.subscriptionId)).toEqual(['1F58ACD7-FE51-4705-9567-D009C9ADA150', 'D8A8F773-9D3E-4244-8797-3182075F09FA']);
    expect(r.lines[0]!.chargeType).toBe('new'); // canonical spelling of the file's "New"
    expect(r.lines[0]!.chargeTypeKey).toBe('new');
    expect(r.lines[0]!.quantity.toString()).toBe('3');
    expect(r.lines[0]!.resellerMpnId).toBe('-1');
  },
  'pc-api-docs-json/get-invoiceline-items-ex2-UsageBasedLineItem.json': (r) => {
    expect(r.summary.format).toBe('legacy-usage');
    expect(r.lines[0]!.amount.toString()).toBe('63.33');
    expect(r.lines[0]!.total?.toString()).toBe('69.67');
    expect(r.lines[1]!.quantity.toString()).toBe('0.000882');
    expect(r.lines[0]!.meterId).toBe('505db374-df8a-44df-9d8c-13c14b61dee1');
  },
  'pc-api-docs-json/get-invoiceline-items-ex3-DailyUsageLineItem.json': (r) => {
    expect(r.summary.format).toBe('legacy-daily-usage');
    expect(r.usage.map((u) => [u.subscriptionId, u.quantity.toString(), formatIso(u.firstUsageDate)])).toEqual([
      ['F9BA6DA0-6DAC-4F88-B623-313C9B9C117A', '2.9616', '2019-08-05'],
      ['62D22561-AB15-41E5-AD59-99025C000000', '24', '2019-08-10'],
    ]);
  },
  'pc-api-docs-json/get-invoiceline-items-ex4-OneTimeInvoiceLineItem.json': (r) => {
    expect(r.lines.map((l) => l.amount.toString())).toEqual(['0', '720', '820', '16']);
    expect(r.summary.invoiceNumbers).toEqual(['G000773581', 'T000773581', '1234000000']);
  },
  'pc-api-docs-json/get-invoiceline-items-ex5-OneTimeInvoiceLineItem.json': (r) => {
    expect(r.summary.rowsAccepted).toBe(4);
  },
  'pc-powershell-sessionrecords/GetInvoice.json': (r) => {
    expect(r.summary.invoices.map((i) => [i.id, i.totalCharges?.toString()])).toEqual([
      ['D030001TFO', '-87993.07'],
      ['D030001TEE', expect.any(String)],
    ]);
  },
  'pc-powershell-sessionrecords/GetInvoiceById.json': (r) => {
    expect(r.summary.invoices.map((i) => i.id)).toEqual(['D030001TFO']);
  },
  'pc-powershell-sessionrecords/GetAzureUtilization.json': notABill('AzureUtilizationRecord'),
  'pc-powershell-sessionrecords/GetUtilizationRecords.json': notABill('AzureUtilizationRecord'),
  'pc-powershell-sessionrecords/GetCustomerSubscription.json': notABill('Subscription'),
  'pc-powershell-sessionrecords/GetInvoiceSummary.json': notABill('InvoiceSummary'),
};

describe('Partner Center API JSON samples', () => {
  it.each(Object.entries(JSON_EXPECTATIONS))('%s', (rel, check) => {
    const r = load(rel);
    expect(r.summary.source).toBe('json');
    check(r);
    // Item count as JSON.parse sees it: nothing read twice, nothing skipped.
    const parsed = JSON.parse(fs.readFileSync(samplePath(rel), 'utf8')) as { items?: unknown[] };
    const items = Array.isArray(parsed.items) ? parsed.items.length : 1;
    if (!r.summary.failed) expect(r.summary.rowsRead).toBe(items);
  });
});
