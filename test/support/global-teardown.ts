import { rmSync } from 'node:fs';
import type { EmbeddedDatabase } from '../../src/database/embedded-postgres';
import type { StartedServer } from './containers';

export default async function globalTeardown(): Promise<void> {
  const globals = globalThis as Record<string, unknown>;
  const container = globals.__LEDGER_TEST_PG_CONTAINER__ as StartedServer | undefined;
  if (container) await container.stop();
  const started = globals.__LEDGER_TEST_PG__ as
    { database: EmbeddedDatabase; dataDir: string } | undefined;
  if (!started) return;
  await started.database.stop();
  rmSync(started.dataDir, { recursive: true, force: true });
}
