import { join } from 'node:path';
import { createTestDatabase, type TestDatabase } from '../support/test-database';
import { ServiceProcess } from './support/service-process';

/**
 * Issue 20 (memory): a process loads the EventStoreDB client, ioredis, nodemailer, node-pg-migrate
 * and the Stripe SDK only when its configuration uses them. Each stays in the heap for the life of
 * the process once required (≈ 6, 1.6, 2, 5 and 3 MB), and the default start uses none of them:
 * the PostgreSQL event store, counters in this process, no SMTP_URL, a database already migrated,
 * no Stripe keys.
 */
describe('packages only some configurations need', () => {
  let database: TestDatabase;
  let service: ServiceProcess | undefined;

  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(async () => {
    if (service && !service.hasExited) await service.stop('SIGKILL');
    await database.drop();
  });

  it('are not loaded by a default start on a migrated database', async () => {
    service = await ServiceProcess.start({
      main: join(__dirname, 'support/main-reporting-packages.js'),
      env: { DATABASE_URL: database.connectionString },
    });
    expect(service.listening).toBe(true);
    // Something to do for the write path and the projectors before asking.
    expect((await service.grantSignupCredits('optional-1', 5)).status).toBe(201);

    service.child.kill('SIGUSR2');
    const line = await service.waitForLine(/OPTIONAL_PACKAGES_LOADED/);

    expect(JSON.parse(line.slice(line.indexOf('[')))).toEqual([]);
    expect(service.problems()).toEqual([]);
    expect((await service.stop()).code).toBe(0);
  });
});
