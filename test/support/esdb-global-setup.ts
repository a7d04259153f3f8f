import globalSetup from './global-setup';

/**
 * Global setup of the gated EventStoreDB run (jest.esdb.config.js, `npm run test:esdb`): the
 * server named by EVENTSTORE_CONNECTION_STRING (an existing node or cluster wins), else a
 * KurrentDB container started here for the run; then PostgreSQL as for every run.
 */
export default async function esdbGlobalSetup(): Promise<void> {
  if (!process.env.EVENTSTORE_CONNECTION_STRING?.trim()) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- lazy; import() would need a .js path jest cannot resolve
    const { startKurrentDb } = require('./containers') as typeof import('./containers');
    const startedAt = Date.now();
    const server = await startKurrentDb().catch((error: unknown) => {
      throw new Error(
        `could not start KurrentDB for the EventStoreDB suites (${(error as Error)?.message ?? String(error)}). ` +
          'They need Docker or EVENTSTORE_CONNECTION_STRING; `npm run test:esdb` skips cleanly without either.',
        { cause: error },
      );
    });
    (globalThis as Record<string, unknown>).__LEDGER_TEST_KURRENTDB__ = server;
    // Test files read it from the environment, which jest's workers inherit.
    process.env.EVENTSTORE_CONNECTION_STRING = server.connectionString;
    process.stderr.write(
      `\n${server.image} started for the run at ${server.connectionString} in ${Date.now() - startedAt} ms\n`,
    );
  }
  try {
    await globalSetup();
  } catch (error) {
    await stopKurrentDb();
    throw error;
  }
}

export async function stopKurrentDb(): Promise<void> {
  const globals = globalThis as Record<string, unknown>;
  const server = globals.__LEDGER_TEST_KURRENTDB__ as { stop(): Promise<void> } | undefined;
  delete globals.__LEDGER_TEST_KURRENTDB__;
  await server?.stop();
}
