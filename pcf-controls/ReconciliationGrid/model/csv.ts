/** CSV export of the grid's rows, safe against formula injection (core's csvText on every text cell). */
import { csvText } from '../../../core/src/reconcile/report';
import { categoryLabel, type ReconRow } from './rows';

const HEADER = ['Customer', 'Subscription', 'Product', 'Charge type', 'Charge start', 'Charge end', 'Reference id', 'Billed quantity', 'Expected quantity', 'EUP', 'Billed', 'Expected', 'Variance', 'Currency', 'Category', 'Status', 'Note'];

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
        r.billedQuantity?.toString() ?? '',
        r.expectedQuantity?.toString() ?? '',
        r.eup?.toString() ?? '',
        r.billed.toString(),
        r.expected.toString(),
        r.variance.toString(),
        csvText(r.currency),
        csvText(categoryLabel(r)),
        csvText(r.status),
        csvText(r.note),
      ].join(','),
    );
  }
  return `${lines.join('\r\n')}\r\n`;
}
