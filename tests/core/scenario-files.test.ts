/**
 * The restated fixture must equal Microsoft's transcribed examples in the shared samples folder,
 * field by field, so the scenario test cannot drift from its source.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ALL_SCENARIO_ROWS, ScenarioRow } from './fixtures/nce-scenarios';
import { parseCsv } from '../../scripts/sample-data/csv-records';

const SAMPLES = path.resolve(__dirname, '../../../shared/samples/pc-docs-nce-scenarios');

function readRecords(file: string): Record<string, string>[] {
  const full = path.join(SAMPLES, file);
  if (!fs.existsSync(full)) throw new Error(`missing shared sample file: ${full}`);
  const [header, ...body] = parseCsv(fs.readFileSync(full, 'utf8'));
  if (!header) throw new Error(`empty sample file: ${full}`);
  return body.map((cells) => {
    expect(cells).toHaveLength(header.length);
    return Object.fromEntries(header.map((h, i) => [h, cells[i] ?? '']));
  });
}

/** The facts of a fixture row, in the CSV's own words (no project-side explanation fields). */
function facts(r: ScenarioRow): Record<string, string> {
  return {
    OrderDate: r.orderDate,
    ProductName: r.productName,
    ChargeType: r.chargeType,
    UnitPrice: r.unitPrice,
    ChargeStartDate: r.chargeStartDate,
    ChargeEndDate: r.chargeEndDate,
    EffectiveUnitPrice: r.effectiveUnitPrice,
    BillableQuantity: String(r.billableQuantity),
    SubscriptionId: r.subscriptionId,
    ReferenceId: r.referenceId,
  };
}

describe('shared NCE scenario CSVs equal the restated fixture', () => {
  it('nce-lifecycle-examples.csv', () => {
    const records = readRecords('nce-lifecycle-examples.csv');
    const fixture = ALL_SCENARIO_ROWS.filter((r) => r.file === 'nce-lifecycle-examples.csv');
    expect(records).toHaveLength(24);
    expect(records).toEqual(
      fixture.map((r) => ({
        Scenario: r.scenario,
        ...facts(r),
        Total: r.amount,
        BillingFrequency: r.billingFrequency,
        ProductQualifiers: r.productQualifiers,
      })),
    );
  });

  it('nce-seat-changes-march-2022.csv', () => {
    const records = readRecords('nce-seat-changes-march-2022.csv');
    const fixture = ALL_SCENARIO_ROWS.filter((r) => r.file === 'nce-seat-changes-march-2022.csv');
    expect(records).toHaveLength(11);
    expect(records).toEqual(fixture.map((r) => ({ ...facts(r), Subtotal: r.amount })));
  });

  it('names the missing file when the shared folder is absent', () => {
    expect(() => readRecords('no-such-file.csv')).toThrow(/missing shared sample file: .*no-such-file\.csv/);
  });

  it('parses quoted fields with doubled quotes and commas', () => {
    expect(parseCsv('a,"[""Trial""]","x,y"\r\n1,2,3\n')).toEqual([
      ['a', '["Trial"]', 'x,y'],
      ['1', '2', '3'],
    ]);
  });
});
