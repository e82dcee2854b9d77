/**
 * Microsoft, played locally for the workbench: the Graph fake (scripts/fakes/graph.ts, built from the
 * documented shapes) serving the sample partner's October bill as invoice INVOICE, its files on
 * Azurite's Blob service behind real SAS tokens, signed in through MSAL as in production. The month-end
 * job and the pull get it as their `pull` dependency, so a Month-end run for that invoice runs end to
 * end on the embedded org without a tenant.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { HandlerDeps } from '../../plugins/src/handlers/types';
import { GraphBillingClient } from '../../plugins/src/pull/graph-billing';
import { graphClientCredentials } from '../../plugins/src/pull/graph-token';
import { startAzuriteBlob } from '../azurite';
import { CLIENT_ID, CLIENT_SECRET, startFakeGraph, TENANT, type FakeGraph } from '../fakes/graph';
import { csvToGraphLines } from '../sample-data/graph-lines';
import type { SampleData } from '../sample-data';

export interface GraphDemo {
  readonly invoice: string;
  readonly pull: NonNullable<HandlerDeps['pull']>;
  readonly graphUrl: string;
  /** The fake itself: a test adds invoices to it. */
  readonly fake: FakeGraph;
  close(): Promise<void>;
}

/** The invoice number the sample bill carries. */
export function sampleInvoiceNumber(sample: SampleData): string {
  const match = /^[^\r\n]*\r?\n(?:[^,]*,){5}([^,]+),/.exec(sample.licenceCsv);
  if (!match) throw new Error('the sample bill names no invoice');
  return match[1]!;
}

export async function startGraphDemo(sample: SampleData): Promise<GraphDemo> {
  const invoice = sampleInvoiceNumber(sample);
  const azurite = await startAzuriteBlob();
  const graph = await startFakeGraph({ blobConnectionString: azurite.connectionString, runningPolls: 1, retryAfter: '1' });
  graph.setDataset('billed-reconciliation', invoice, { lines: csvToGraphLines(sample.licenceCsv), blobs: 2 });
  graph.setDataset('billed-usage', invoice, { lines: csvToGraphLines(sample.usageCsv) });
  const stateDir = mkdtempSync(join(tmpdir(), 'cspb-workbench-pull-'));
  const token = graphClientCredentials({
    tenantId: TENANT,
    clientId: CLIENT_ID,
    clientSecret: CLIENT_SECRET,
    authorityMetadata: graph.authorityMetadata,
    cloudDiscoveryMetadata: graph.cloudDiscoveryMetadata,
    networkClient: graph.msalNetwork,
  });
  return {
    invoice,
    graphUrl: graph.baseUrl,
    fake: graph,
    pull: { graph: new GraphBillingClient({ baseUrl: graph.baseUrl, token }), stateDir },
    close: async () => {
      await graph.close();
      await azurite.stop();
      rmSync(stateDir, { recursive: true, force: true });
    },
  };
}
