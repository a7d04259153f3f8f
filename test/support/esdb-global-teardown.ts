import { stopKurrentDb } from './esdb-global-setup';
import globalTeardown from './global-teardown';

export default async function esdbGlobalTeardown(): Promise<void> {
  try {
    await globalTeardown();
  } finally {
    await stopKurrentDb();
  }
}
