import { ROLES, type Depth, type Right } from '../../solution/src/roles';

/**
 * What each role's screens do, operation by operation (the form scripts, the commands and the PCF
 * controls), checked against its privileges: a least-privilege role that cannot do what its own
 * screens ask fails in production with "principal user is missing prv...".
 */
type Op = readonly [Right, string];
const creates = (table: string, parents: string[] = []): Op[] => [['Create', table], ['Append', table], ...parents.map((p): Op => ['AppendTo', p])];

const NEEDS: Record<string, readonly Op[]> = {
  // Subscription form: edit quantity, read the ledger (the webhook's application user appends it).
  sales: [
    ['Read', 'cspb_subscription'],
    ['Write', 'cspb_subscription'],
    ['Read', 'cspb_offer'],
    ['Read', 'account'],
    ['Read', 'cspb_subscriptionchange'],
  ],
  finance: [
    // Billing import form and its control: the import, its lines.
    ...creates('cspb_billingimport'),
    ['Write', 'cspb_billingimport'],
    ['Read', 'cspb_billingimport'],
    ...creates('cspb_billingline', ['cspb_billingimport']),
    ['Read', 'cspb_billingline'],
    // Commands: a reconciliation run, an invoice run.
    ...creates('cspb_reconciliationrun', ['cspb_billingimport']),
    ...creates('cspb_invoicerun', ['cspb_billingcontract']),
    // Reconciliation grid: read and resolve discrepancies, read the CRM subscriptions, save a correction on one.
    ['Read', 'cspb_discrepancy'],
    ['Write', 'cspb_discrepancy'],
    ['Read', 'cspb_subscription'],
    ['Write', 'cspb_subscription'],
    ['Read', 'cspb_subscriptionchange'],
    // Invoices.
    ['Read', 'cspb_invoice'],
    ['Read', 'cspb_invoiceline'],
  ],
};

describe.each(Object.entries(NEEDS))('the %s role', (key, needs) => {
  const role = ROLES.find((r) => r.key === key)!;
  it.each(needs.map(([right, table]) => [`${right} ${table}`, right, table] as const))('may %s', (_, right, table) => {
    const depth: Depth | undefined = role.tables[table]?.[right];
    expect(depth).toBeDefined();
  });
});

describe('the ledger stays append-only', () => {
  it('only the integration user (and the admin) may append it', () => {
    expect(
      ROLES.filter((r) => r.tables['cspb_subscriptionchange']?.Create)
        .map((r) => r.key)
        .sort(),
    ).toEqual(['admin', 'integration']);
  });
  it.each(ROLES.filter((r) => r.key !== 'admin').map((r) => [r.name, r] as const))('%s may not change or delete a ledger row', (_, role) => {
    expect(role.tables['cspb_subscriptionchange']?.Write).toBeUndefined();
    expect(role.tables['cspb_subscriptionchange']?.Delete).toBeUndefined();
  });
});
