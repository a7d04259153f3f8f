import { rmSync } from 'node:fs';
import type { EmbeddedDatabase } from '../../src/database/embedded-postgres';

export default async function globalTeardown(): Promise<void> {
  const started = (globalThis as Record<string, unknown>).__LEDGER_TEST_PG__ as
    | { database: EmbeddedDatabase; dataDir: string }
    | undefined;
  if (!started) return;
  await started.database.stop();
  rmSync(started.dataDir, { recursive: true, force: true });
}
