import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { GenericContainer, Wait, type StartedTestContainer } from 'testcontainers';
import { createEventStoreDbEventStore } from '../../src/event-store/eventstoredb/eventstoredb-event-store';

/**
 * Servers the test suites start in Docker with testcontainers: KurrentDB for `npm run test:esdb`
 * (test/support/esdb-global-setup.ts) and, opt-in, PostgreSQL (TEST_DATABASE=container,
 * test/support/global-setup.ts). Loaded only on those paths, so plain `npm test` never touches
 * Docker. testcontainers' reaper (Ryuk) removes the containers if the run dies before it stops them.
 */

const PROJECT_ROOT = join(__dirname, '..', '..');
const KURRENTDB_PORT = 2113;
const POSTGRES_PORT = 5432;

/** Pulling an image on a cold CI runner plus starting it; past this the run fails, it does not hang. */
export const CONTAINER_START_TIMEOUT_MS = 300_000;
/** From a started container to its health endpoint answering 2xx (KurrentDB takes seconds). */
export const HEALTH_WAIT_TIMEOUT_MS = 120_000;
/** From healthy to accepting writes (the single node must first elect itself leader). */
export const FIRST_WRITE_TIMEOUT_MS = 60_000;
const FIRST_WRITE_RETRY_MS = 500;
/** Stopping (a kill: the data is thrown away anyway) and removing one container. */
const CONTAINER_STOP_TIMEOUT_MS = 60_000;

export const DEFAULT_POSTGRES_IMAGE = 'postgres:17';

export interface StartedServer {
  image: string;
  connectionString: string;
  stop(): Promise<void>;
}

/**
 * KURRENTDB_IMAGE when set, else the image docker-compose.yml pins (`${KURRENTDB_IMAGE:-…}`), so
 * the tests and the compose file always run the same server and one variable overrides both.
 */
export function kurrentDbImage(
  env: NodeJS.ProcessEnv = process.env,
  composeFile = join(PROJECT_ROOT, 'docker-compose.yml'),
): string {
  const override = env.KURRENTDB_IMAGE?.trim();
  if (override) return override;
  const pinned = /image:\s*\$\{KURRENTDB_IMAGE:-([^}\s]+)\}/.exec(
    readFileSync(composeFile, 'utf8'),
  )?.[1];
  if (!pinned)
    throw new Error(
      `${composeFile} no longer pins the KurrentDB image as \${KURRENTDB_IMAGE:-<image>}; set KURRENTDB_IMAGE`,
    );
  return pinned;
}

/**
 * The settings of docker-compose.yml's kurrentdb service. KurrentDB reads KURRENTDB_*; an
 * EventStoreDB image (KURRENTDB_IMAGE=eventstore/eventstore:24.10, say) reads EVENTSTORE_* and
 * refuses to start on unknown EVENTSTORE_ options, so the prefix follows the image.
 */
export function kurrentDbEnvironment(image: string): Record<string, string> {
  const prefix = /kurrent/i.test(image) ? 'KURRENTDB' : 'EVENTSTORE';
  return {
    [`${prefix}_CLUSTER_SIZE`]: '1',
    // No TLS, no authentication: a throwaway node on the runner's loopback.
    [`${prefix}_INSECURE`]: 'true',
    // The ledger needs no server-side projections.
    [`${prefix}_RUN_PROJECTIONS`]: 'None',
  };
}

/** A single insecure KurrentDB node, ready for writes. */
export async function startKurrentDb(image = kurrentDbImage()): Promise<StartedServer> {
  const container = await withTimeout(
    new GenericContainer(image)
      .withEnvironment(kurrentDbEnvironment(image))
      .withExposedPorts(KURRENTDB_PORT)
      // 204 once the node serves requests; a container that exits (bad setting) fails at once.
      .withWaitStrategy(
        Wait.forHttp('/health/live', KURRENTDB_PORT, {
          abortOnContainerExit: true,
        }).forStatusCodeMatching((status) => status >= 200 && status < 300),
      )
      .withStartupTimeout(HEALTH_WAIT_TIMEOUT_MS)
      .start(),
    CONTAINER_START_TIMEOUT_MS,
    `starting ${image}`,
  );
  const connectionString = `esdb://${container.getHost()}:${container.getMappedPort(KURRENTDB_PORT)}?tls=false`;
  try {
    await waitForFirstWrite(connectionString);
  } catch (error) {
    await stopContainer(container);
    throw error;
  }
  return { image, connectionString, stop: () => stopContainer(container) };
}

/** TEST_POSTGRES_IMAGE, else a stock postgres:17. */
export function postgresImage(env: NodeJS.ProcessEnv = process.env): string {
  return env.TEST_POSTGRES_IMAGE?.trim() || DEFAULT_POSTGRES_IMAGE;
}

/** A stock PostgreSQL; its superuser makes one database per test file, as with the embedded one. */
export async function startPostgres(image = postgresImage()): Promise<StartedServer> {
  const container = await withTimeout(
    new GenericContainer(image)
      .withEnvironment({
        POSTGRES_USER: 'ledger',
        POSTGRES_PASSWORD: 'ledger',
        POSTGRES_DB: 'ledger',
      })
      .withExposedPorts(POSTGRES_PORT)
      // Logged twice: once by the init-time server the entrypoint stops, once by the real one.
      .withWaitStrategy(Wait.forLogMessage(/database system is ready to accept connections/, 2))
      .withStartupTimeout(HEALTH_WAIT_TIMEOUT_MS)
      .start(),
    CONTAINER_START_TIMEOUT_MS,
    `starting ${image}`,
  );
  const connectionString = `postgres://ledger:ledger@${container.getHost()}:${container.getMappedPort(POSTGRES_PORT)}/ledger`;
  return { image, connectionString, stop: () => stopContainer(container) };
}

/**
 * /health/live can answer before the single node has made itself leader, and a write before
 * that fails; the suites write from their first test, so wait until a write succeeds.
 */
async function waitForFirstWrite(connectionString: string): Promise<void> {
  const store = createEventStoreDbEventStore(connectionString);
  const deadline = Date.now() + FIRST_WRITE_TIMEOUT_MS;
  try {
    for (;;) {
      try {
        await store.appendToStream(
          'test-run-readiness',
          [{ eventId: randomUUID(), type: 'TestRunStarted', data: {}, metadata: {} }],
          { expectedRevision: 'any' },
        );
        return;
      } catch (error) {
        if (Date.now() > deadline)
          throw new Error(
            `KurrentDB took no write within ${FIRST_WRITE_TIMEOUT_MS} ms: ${String(error)}`,
            { cause: error },
          );
        await new Promise((resolve) => setTimeout(resolve, FIRST_WRITE_RETRY_MS));
      }
    }
  } finally {
    await store.close();
  }
}

async function stopContainer(container: StartedTestContainer): Promise<void> {
  await withTimeout(
    container.stop({ timeout: 0, removeVolumes: true }),
    CONTAINER_STOP_TIMEOUT_MS,
    `stopping container ${container.getId()}`,
  );
}

/** Rejects after `ms` with what was being waited for; the work itself may go on (the reaper ends it). */
export function withTimeout<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no result within ${ms} ms`)), ms);
  });
  return Promise.race([work, expired]).finally(() => clearTimeout(timer));
}
