/**
 * The local org's Web API answers a malformed query with 400 Bad Request and Dataverse's error
 * shape, never a 500 or a guessed result ("Compose HTTP requests and handle errors": 400 for a
 * request Dataverse cannot parse, learn.microsoft.com/power-apps/developer/data-platform/webapi/compose-http-requests-handle-errors).
 * When unsure of Dataverse's exact answer, the stricter one: an empty or repeated system query
 * option, an impossible date or an out-of-range number is refused rather than read as no filter.
 */
import { LocalOrg } from '../../dataverse/src/local-org';
import { serveLocalOrg } from '../../dataverse/src/local-org/http';

const CASES: ReadonlyArray<readonly [string, string, RegExp]> = [
  ['5,000 nested parentheses', `accounts?$filter=${'('.repeat(5000)}name eq 'A'${')'.repeat(5000)}`, /nests deeper than 100 levels/],
  ['500 nested nots', `accounts?$filter=${'not '.repeat(500)}name eq 'A'`, /nests deeper than 100 levels/],
  ['a malformed %-escape in the query', 'accounts?$filter=name%ZZ', /malformed %-escape/],
  ['a malformed %-escape in the path', 'accounts%ZZ', /malformed %-escape/],
  ['an impossible date', 'accounts?$filter=createdon eq 2026-02-30', /'2026-02-30' is not a valid date/],
  ['an impossible time', 'accounts?$filter=createdon eq 2026-02-01T25:00:00Z', /is not a valid time/],
  ['a number out of range', 'cspb_offers?$filter=cspb_unitcost eq 1e400', /'1e400' is out of range/],
  ['an empty $filter', 'accounts?$filter=', /'\$filter' is empty/],
  ['an empty $select', 'accounts?$select=', /'\$select' is empty/],
  ['a repeated $top', 'accounts?$top=1&$top=2', /'\$top' is given more than once/],
];

describe('malformed queries against the Web API face of the local org', () => {
  let org: LocalOrg;
  let server: Awaited<ReturnType<typeof serveLocalOrg>>;
  beforeAll(async () => {
    org = new LocalOrg();
    await org.create('accounts', { name: 'A' });
    server = await serveLocalOrg(org);
  });
  afterAll(() => server.close());

  it.each(CASES)('%s: 400 with the reason', async (_name, path, reason) => {
    const response = await fetch(`${server.url}/api/data/v9.2/${path}`);
    expect(response.status).toBe(400);
    const body = (await response.json()) as { error: { code: string; message: string } };
    expect(body.error.message).toMatch(reason);
  });

  it('still answers a well-formed query of the same shapes', async () => {
    const ok = await fetch(
      `${server.url}/api/data/v9.2/accounts?$filter=${'('.repeat(50)}name eq 'A'${')'.repeat(50)} and createdon lt 2099-12-31&$top=1&$select=name`,
    );
    expect(ok.status).toBe(200);
    expect(((await ok.json()) as { value: unknown[] }).value).toHaveLength(1);
  });
});
