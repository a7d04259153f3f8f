import { existsSync } from 'node:fs';

/** Loads ./.env when present (variables already set win), for local runs. */
export function loadDotEnv(path = '.env'): void {
  if (existsSync(path)) process.loadEnvFile(path);
}
