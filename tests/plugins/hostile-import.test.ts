/**
 * The hostile-input corpus (tests/support/hostile-corpus.ts) through the Dynamics billing import
 * (the queued job on the local org): each file ends Completed, Completed with errors or Failed
 * with its typed code, once, and no job crashes (a crash would be retried and crash again).
 */
import { CspbBillingImportEncoding as Encoding, CspbBillingImportImportStatus as ImportStatus } from '../../dataverse/generated';
import { hostileCorpus } from '../support/hostile-corpus';
import { seededOrg } from './seed';

describe('hostile-input corpus through the Dynamics billing import', () => {
  const cases = hostileCorpus();
  it.each(cases.map((c, i) => [c.id, c, i] as const))(
    '%s',
    async (_id, c, i) => {
      const s = await seededOrg();
      const importId = `0b9a3c0e-0000-4000-8000-${String(900 + i).padStart(12, '0')}`;
      s.files.put(importId, { fileName: c.fileName, bytes: c.bytes });
      await s.org.create('cspb_billingimports', {
        cspb_billingimportid: importId,
        cspb_name: c.id,
        cspb_contenthash: `pending-${c.id}`,
        cspb_currencycode: 'USD',
        ...(c.dynamics.encoding ? { cspb_encoding: Encoding.Windows1252 } : {}),
      });
      await s.org.asyncIdle();
      expect(s.org.asyncFailures).toEqual([]);
      const row = await s.org.retrieve<Record<string, unknown>>('cspb_billingimports', importId);
      expect(row['cspb_importstatus']).toBe(ImportStatus[c.dynamics.status]);
      const errors = JSON.parse(String(row['cspb_errors'] ?? '[]')) as Array<{ code: string }>;
      const rejected = JSON.parse(String(row['cspb_rejectedrows'] ?? '[]')) as Array<{ code: string }>;
      if (c.dynamics.code) expect([rejected[0]?.code, errors[0]?.code]).toContain(c.dynamics.code);
      else expect([errors, rejected]).toEqual([[], []]);
      // Rows read = accepted + rejected, on the import as in the file.
      if (c.dynamics.status !== 'Failed') expect(row['cspb_rowsread']).toBe(Number(row['cspb_rowsaccepted']) + Number(row['cspb_rowsrejected']));
    },
    60_000,
  );
});
