import { PassCache } from '../../plugins/src/jobs/pass-cache';

describe('a pass of a chunked job reads once', () => {
  test('later chunks of the same key reuse the value; chunk 0 or another key computes afresh; a failure is forgotten', async () => {
    const cache = new PassCache<number>();
    let reads = 0;
    const read = () => Promise.resolve(++reads);
    expect(await cache.get('run-1', 0, read)).toBe(1);
    expect(await cache.get('run-1', 1, read)).toBe(1);
    expect(await cache.get('run-1', 2, read)).toBe(1);
    expect(await cache.get('run-2', 1, read)).toBe(2); // another run (or a changed import version)
    expect(await cache.get('run-2', 0, read)).toBe(3); // a new pass sees corrections
    await expect(cache.get('run-3', 1, () => Promise.reject(new Error('Dataverse 503')))).rejects.toThrow('503');
    expect(await cache.get('run-3', 2, read)).toBe(4);
  });
});
