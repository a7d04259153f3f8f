import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { CommandBus } from '@nestjs/cqrs';
import { createApp } from '../../src/app/create-app';
import type { AppConfig } from '../../src/config/app-config';
import { loadConfig } from '../../src/config/load-config';
import { Database } from '../../src/database/database';
import { LedgerRejectedError } from '../../src/accounts/write-path/errors';
import { toAccountCommand } from '../../src/accounts/commands';
import type { WriteOutcome } from '../../src/accounts/write-path/write-outcome';
import type { LedgerCommand } from '../../src/ledger/commands';
import { newId } from '../../src/shared/ids';
import type { OpOutcome } from './closed-loop';

/**
 * Several API keys, as several product backends would have: spend-http spreads its requests over
 * them, so that RATE_LIMIT_WRITES_PER_SECOND_PER_KEY at its default (1,000/s) leaves the whole
 * service's throughput to be measured (8 keys: up to 8,000 writes/s before any is limited).
 */
export const BENCH_API_KEYS = Array.from({ length: 8 }, (_, index) => `bench-secret-key-${index}`);
const BENCH_ACTOR = { kind: 'system', id: 'bench' } as const;

/**
 * The environment every bench app is configured from: the caller's environment (so tuning
 * variables such as DATABASE_POOL_MAX or ACCOUNT_CACHE_MAX_ENTRIES reach it), with what the bench
 * needs forced: its own PostgreSQL, the PostgreSQL event store, ROLE=api (no projector and no
 * background worker in the process: the write path alone), request logs off (LOG_LEVEL=warn; the
 * bench prints on stdout) and an API key, as in production.
 */
export function benchEnv(
  connectionString: string,
  overrides: Record<string, string> = {},
): Record<string, string | undefined> {
  return {
    ...process.env,
    NODE_ENV: 'production',
    ROLE: 'api',
    LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'warn',
    DATABASE_URL: connectionString,
    EVENT_STORE: 'postgres',
    LEDGER_API_KEYS: BENCH_API_KEYS.map(
      (secret, index) => `bench${index}:${secret}:spend|grant|read`,
    ).join(','),
    // Required in production (customer tokens); the bench mints none.
    CUSTOMER_TOKEN_SECRET: 'bench-customer-token-secret-0123456789abcdef',
    HOST: '127.0.0.1',
    PORT: '0',
    ...overrides,
  };
}

export function benchConfig(
  connectionString: string,
  overrides: Record<string, string> = {},
): AppConfig {
  return loadConfig(benchEnv(connectionString, overrides));
}

/** The database the in-process apps share (an app given a database does not close it). */
export function openBenchDatabase(config: AppConfig): Promise<Database> {
  return Database.open({
    databaseUrl: config.databaseUrl,
    dataDir: config.dataDir,
    poolMax: config.databasePoolMax,
    applicationName: 'credits-ledger-api',
  });
}

export interface BenchApp {
  app: NestFastifyApplication;
  config: AppConfig;
  commandBus: CommandBus;
  close(): Promise<void>;
}

/** The real application (createApp), as `npm start` builds it, minus the listening socket. */
export async function startBenchApp(config: AppConfig, database: Database): Promise<BenchApp> {
  const app = await createApp({ config, database });
  return { app, config, commandBus: app.get(CommandBus), close: () => app.close() };
}

export function execute(
  commandBus: CommandBus,
  accountId: string,
  command: LedgerCommand,
  correlationId: string,
): Promise<WriteOutcome> {
  return commandBus.execute(
    toAccountCommand(accountId, command, { correlationId, actor: BENCH_ACTOR }),
  );
}

/** One spend through the command bus; a refusal for lack of credits is 'rejected', anything else throws. */
export async function spend(
  commandBus: CommandBus,
  accountId: string,
  credits = 1,
): Promise<OpOutcome> {
  try {
    const spendId = newId('spend');
    await execute(
      commandBus,
      accountId,
      { kind: 'spend', spendId, credits, description: 'bench spend' },
      `bench-${spendId}`,
    );
    return 'ok';
  } catch (error) {
    if (error instanceof LedgerRejectedError && error.rejection.code === 'insufficient_credits')
      return 'rejected';
    throw error;
  }
}

export function grant(
  commandBus: CommandBus,
  accountId: string,
  credits: number,
): Promise<WriteOutcome> {
  const blockId = newId('block');
  return execute(
    commandBus,
    accountId,
    {
      kind: 'grant',
      blockId,
      credits,
      category: 'promotional',
      reason: 'adjustment',
      description: 'bench funding',
    },
    `bench-${blockId}`,
  );
}
