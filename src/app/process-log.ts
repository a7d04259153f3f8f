import pino, { type DestinationStream, type Logger } from 'pino';
import type { AppConfig } from '../config/app-config';
import type { DatabaseLog } from '../database/database-log';

/**
 * The log of the process's life: start-up before Nest exists (the embedded PostgreSQL) and the
 * shutdown after its HTTP server is gone. Same JSON lines, level and fields as the application's
 * own logger (nestjs-pino), written to the same destination, so one stream reads as one log.
 */
export function processLog(config: AppConfig, destination: DestinationStream): Logger {
  return pino({ level: config.logLevel }, destination);
}

/** The database layer's lines, under context Database (pass the root logger, not a child with a context). */
export function databaseLog(log: Logger): DatabaseLog {
  const database = log.child({ context: 'Database' });
  return {
    debug: (message) => database.debug(message),
    info: (message) => database.info(message),
    warn: (message) => database.warn(message),
    error: (message) => database.error(message),
  };
}
