import { findFreePort } from '../../src/database/embedded-postgres';
import { startTestApp, TEST_KEYS, type TestApp } from '../support/test-app';

/** EVENT_STORE=eventstoredb with no server: the process runs, says it is not ready, writes fail clearly. */
describe('EventStoreDB unreachable', () => {
  let t: TestApp;
  beforeAll(async () => {
    const closedPort = await findFreePort();
    t = await startTestApp({
      env: {
        EVENT_STORE: 'eventstoredb',
        EVENTSTORE_CONNECTION_STRING: `esdb://127.0.0.1:${closedPort}?tls=false`,
      },
    });
  });
  afterAll(() => t.close());

  it('is live but not ready, and says why', async () => {
    expect((await t.http.get('/health/live', { key: null })).status).toBe(200);
    const ready = await t.http.get('/health/ready', { key: null });
    expect(ready.status).toBe(503);
    expect(ready.body).toMatchObject({
      status: 'unavailable',
      checks: {
        database: { status: 'up' },
        eventStore: { status: 'down', error: expect.any(String) },
      },
    });
  });

  it('answers writes and reads with 503 unavailable, not a 500 or a hang', async () => {
    const write = await t.http.post(
      '/v1/accounts/a1/grants',
      { credits: 5, category: 'paid', reason: 'adjustment' },
      { key: TEST_KEYS.granter },
    );
    expect(write.status).toBe(503);
    expect(write.body.code).toBe('unavailable');
    const read = await t.http.get('/v1/accounts/a1/balance');
    expect(read.status).toBe(503);
  });
});
