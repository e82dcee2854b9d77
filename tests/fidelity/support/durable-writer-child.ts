/**
 * Writes to a file-backed local org as fast as it can and prints each record's id once the org
 * has acknowledged it, so a test can kill -9 this process at any moment and check that every
 * printed (acknowledged) write is in the org it reopens. Small compactions so kills also land
 * while the snapshot is being rewritten. Argument: the org file.
 */
import { LocalOrg } from '../../../dataverse/src/local-org';

async function main(): Promise<void> {
  const file = process.argv[2];
  if (!file) throw new Error('usage: durable-writer-child <org.json>');
  const org = await LocalOrg.open(file, { compactBytes: 16 * 1024 });
  process.stdout.write('ready\n');
  for (let i = 0; ; i++) {
    const id = await org.create('cspb_billingimports', { cspb_name: `w${i}`, cspb_contenthash: `${process.pid}-${i}`, cspb_currencycode: 'USD' });
    if (i % 3 === 0) await org.update('cspb_billingimports', id, { cspb_name: `w${i} renamed` });
    // Pipes are synchronous on Linux: once this returns, the parent can read the line.
    process.stdout.write(`${id} ${i % 3 === 0 ? 'renamed' : 'created'}\n`);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
