/** Distributor profiles are data: the shipped ones validate, a user adds one without code, bad ones are refused. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { importBytes, ImportError, parseColumnProfile } from '../../core/src/import';
import { loadShippedProfiles, PROFILE_DIR } from './load-profiles';
import { csvText, encode } from './support';

describe('column profiles', () => {
  it('ships Pax8 and TD SYNNEX StreamOne profiles that validate', () => {
    expect(loadShippedProfiles().map((p) => p.id)).toEqual(['profile:pax8', 'profile:td-synnex-streamone']);
    for (const f of fs.readdirSync(PROFILE_DIR).filter((n) => n.endsWith('.json'))) {
      const json = JSON.parse(fs.readFileSync(path.join(PROFILE_DIR, f), 'utf8')) as { sources?: Record<string, string> };
      // Each profile says which of its columns are documented and which are assumed.
      const provenance = Object.values(json.sources ?? {}).join(' ');
      expect(provenance).toMatch(/documented/);
      expect(provenance).toMatch(/assumed/);
    }
  });

  it('lets a user add a distributor (here an Ingram-style export, day-first dates) as plain JSON', () => {
    const profile = parseColumnProfile({
      profile: 1,
      id: 'ingram-xvantage',
      name: 'Ingram Micro export',
      shape: 'line',
      dateOrder: 'dmy',
      signature: [['End Customer', 'Billing From', 'Billing To']],
      columns: {
        customerName: ['End Customer'],
        subscriptionId: ['Subscription Ref'],
        chargeStartDate: ['Billing From'],
        chargeEndDate: ['Billing To'],
        quantity: ['Units'],
        subtotal: ['Net Amount'],
        currency: ['Ccy'],
      },
      required: ['subscriptionId', 'subtotal'],
    });
    const csv = csvText(
      ['End Customer', 'Subscription Ref', 'Billing From', 'Billing To', 'Units', 'Net Amount', 'Ccy'],
      [['Contoso', 'IM-1', '01/11/2025', '30/11/2025', '4', '48.40', 'GBP']],
    );
    const r = importBytes(encode(csv, 'utf-8'), { profiles: [profile] });
    expect(r.summary.format).toBe('profile:ingram-xvantage');
    expect(r.lines[0]).toMatchObject({ subscriptionId: 'IM-1', currency: 'GBP' });
    expect([r.lines[0]?.chargeStart, r.lines[0]?.chargeEndInclusive].map((d) => new Date((d as number) * 86400000).toISOString().slice(0, 10))).toEqual([
      '2025-11-01',
      '2025-11-30',
    ]);
    expect(r.summary.total.toString()).toBe('48.4');
  });

  it('refuses an invalid profile, listing every problem', () => {
    let err: unknown;
    try {
      parseColumnProfile({ profile: 2, id: 'Bad Id', shape: 'weekly', columns: { price: ['P'] }, signature: [], required: ['nothing'] }, 'bad.json');
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ImportError);
    const e = err as ImportError;
    expect(e.code).toBe('bad-profile');
    expect(e.file).toBe('bad.json');
    for (const bit of ['"profile" must be 1', '"id"', '"name"', '"shape"', 'unknown field "price"', '"signature"', '"required"'])
      expect(e.reason).toContain(bit);
  });

  it('a profile can force its format when the header does not carry its signature', () => {
    const [pax8] = loadShippedProfiles();
    const csv = csvText(
      ['Subscription Id', 'Start Period', 'End Period', 'Quantity', 'Sub Total', 'Currency Code'],
      [['s', '11/1/2025', '11/30/2025', '1', '2', 'USD']],
    );
    expect(importBytes(encode(csv, 'utf-8'), { profiles: [pax8!] }).summary.failed).toBe(true);
    expect(importBytes(encode(csv, 'utf-8'), { profiles: [pax8!], format: 'profile:pax8' }).summary.rowsAccepted).toBe(1);
  });
});
