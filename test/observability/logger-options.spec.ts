import { loadConfig } from '../../src/config/load-config';
import { loggerOptions, writesRequestLogs } from '../../src/observability/logger-options';

describe('logger options', () => {
  it.each(['info', 'debug', 'trace', 'warn', 'error', 'fatal', 'silent'])(
    'registers no pino-http middleware at LOG_LEVEL=%s (request lines come from an onResponse hook)',
    (level) => {
      expect(loggerOptions(loadConfig({ LOG_LEVEL: level })).forRoutes).toEqual([]);
    },
  );

  it.each(['info', 'debug', 'trace'])('writes request lines at LOG_LEVEL=%s', (level) => {
    expect(writesRequestLogs(level)).toBe(true);
  });

  it.each(['warn', 'error', 'fatal', 'silent'])(
    'installs no request-log hook at LOG_LEVEL=%s (its lines are info)',
    (level) => {
      expect(writesRequestLogs(level)).toBe(false);
    },
  );
});
