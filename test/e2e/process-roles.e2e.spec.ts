import { startTestApp, type TestApp } from '../support/test-app';

// A projector or worker process serves /health, /metrics and /docs, never the API: a request for
// the API there is a clear 404 naming the role, not a write that bypasses the api replicas.
describe('a process that does not run the api role', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ env: { ROLE: 'worker' } });
  });
  afterAll(() => t.close());

  it('answers API routes with a 404 problem naming its role', async () => {
    const response = await t.http.get('/v1/accounts/a1/balance');
    expect(response.status).toBe(404);
    expect(response.body).toMatchObject({ code: 'not_found', status: 404 });
    expect(response.body.detail).toBe(
      'This process runs the worker role; send API requests to an api process',
    );
  });

  it('still serves liveness', async () => {
    const response = await t.http.get('/health/live', { key: null });
    expect(response.status).toBe(200);
  });
});
