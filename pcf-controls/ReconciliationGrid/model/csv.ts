/** CSV export of the grid's rows, safe against formula injection (core's csvText on every text cell). */
import { csvText } from '../../../core/src/reconcile/report';
import { categoryLabel, type ReconRow } from './rows';
import { fixedText } from './exact';

const HEADER = [
  'Customer',
  'Subscription',
  'Product',
  'Charge type',
  'Charge start',
  'Charge end',
  'Reference id',
  'Billed quantity',
  'Expected quantity',
  'EUP',
  'Billed',
  'Expected',
  'Variance',
  'Currency',
  'Category',
  'Status',
  'Note',
];

export function rowsToCsv(rows: readonly ReconRow[]): string {
  const lines = [HEADER.join(',')];
  for (const r of rows) {
    lines.push(
      [
        csvText(r.customer),
        csvText(r.subscription),
        csvText(r.product),
        csvText(r.chargeType),
        csvText(r.chargeStart),
        csvText(r.chargeEnd),
        csvText(r.referenceId),
        r.billedQuantity ? fixedText(r.billedQuantity) : '',
        r.expectedQuantity ? fixedText(r.expectedQuantity) : '',
        r.eup ? fixedText(r.eup) : '',
        fixedText(r.billed),
        fixedText(r.expected),
        fixedText(r.variance),
        csvText(r.currency),
        csvText(categoryLabel(r)),
        csvText(r.status),
        csvText(r.note),
      ].join(','),
    );
  }
  return `${lines.join('\r\n')}\r\n`;
}
