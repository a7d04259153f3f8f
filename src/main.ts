import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { createApp } from './app/create-app';
import { ConfigError } from './config/app-config';
import { loadConfig } from './config/load-config';
import { loadDotEnv } from './config/dot-env';

async function main(): Promise<void> {
  loadDotEnv();
  const config = loadConfig({ ...process.env, ROLE: roleFromArgs(process.argv) ?? process.env.ROLE });
  const app = await createApp({ config });
  const logger = new Logger('Startup');
  if (config.apiKeys.length === 0) {
    logger.warn('NO API KEYS CONFIGURED: every route is open to anyone who can reach this port. Set LEDGER_API_KEYS before exposing it.');
  }
  await app.listen({ port: config.port, host: config.host });
  logger.log(`credits ledger (${config.role}) listening on http://${config.host}:${config.port} — API docs at /docs`);
}

function roleFromArgs(argv: string[]): string | undefined {
  const flag = argv.find((arg) => arg.startsWith('--role='));
  return flag?.slice('--role='.length);
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError) {
    process.stderr.write(`${error.message}\n`);
  } else {
    process.stderr.write(`credits ledger failed to start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  }
  process.exit(1);
});
