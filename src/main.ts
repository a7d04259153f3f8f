import 'reflect-metadata';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { Logger } from 'pino';
import { createApp } from './app/create-app';
import { failureReason } from './app/failure-reason';
import { databaseLog, processLog } from './app/process-log';
import { SHUTDOWN_SIGNALS, stopOnSignals, stopService } from './app/shutdown';
import { ConfigError, type AppConfig } from './config/app-config';
import { loadConfig } from './config/load-config';
import { loadDotEnv } from './config/dot-env';
import { Database } from './database/database';
import { stdoutLogDestination } from './observability/log-destination';

async function main(): Promise<void> {
  loadDotEnv();
  const config = loadConfig({
    ...process.env,
    ROLE: roleFromArgs(process.argv) ?? process.env.ROLE,
  });
  // One destination for every line of the process, so they stay in order (log-destination.ts).
  const logDestination = stdoutLogDestination(config.logBufferKb);
  const root = processLog(config, logDestination);
  const log = root.child({ context: 'Startup' });
  // A signal during start-up: nothing to drain yet. Exiting sends the embedded PostgreSQL, if it
  // is already running, its fast-shutdown request (Postmaster's exit hook).
  const stopWhileStarting = (signal: NodeJS.Signals): void => {
    log.info(`${signal} received during start-up: exiting`);
    process.exit(0);
  };
  for (const signal of SHUTDOWN_SIGNALS) process.on(signal, stopWhileStarting);
  // Opened here rather than inside Nest: a failure is then reported as one sentence, not through
  // Nest's exception handler (a stack trace), and the database closes after the app, not with it.
  const database = await Database.open({
    databaseUrl: config.databaseUrl,
    dataDir: config.dataDir,
    poolMax: config.databasePoolMax,
    applicationName: `credits-ledger-${config.role}`,
    log: databaseLog(root),
  });
  let app: NestFastifyApplication;
  try {
    app = await createApp({ config, database, logDestination });
  } catch (error) {
    await database.close();
    throw error;
  }
  for (const signal of SHUTDOWN_SIGNALS) process.removeListener(signal, stopWhileStarting);
  stopOnSignals(app, database, root.child({ context: 'Shutdown' }));
  try {
    await listen(app, config, log);
  } catch (error) {
    await stopService(app, database, root.child({ context: 'Shutdown' })).catch(() => undefined);
    throw error;
  }
}

async function listen(app: NestFastifyApplication, config: AppConfig, log: Logger): Promise<void> {
  if (config.apiKeys.length === 0) {
    log.warn(
      'NO API KEYS CONFIGURED: every route is open to anyone who can reach this port. Set LEDGER_API_KEYS before exposing it.',
    );
  }
  await app.listen({ port: config.port, host: config.host });
  log.info(
    `credits ledger (${config.role}) listening on http://${config.host}:${config.port} — API docs at /docs`,
  );
}

function roleFromArgs(argv: string[]): string | undefined {
  const flag = argv.find((arg) => arg.startsWith('--role='));
  return flag?.slice('--role='.length);
}

main().catch((error: unknown) => {
  process.stderr.write(
    error instanceof ConfigError
      ? `${error.message}\n`
      : `credits ledger failed to start: ${failureReason(error)}\n`,
  );
  process.exit(1);
});
