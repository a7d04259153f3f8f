import { RequestMethod } from '@nestjs/common';
import { loadConfig } from '../../src/config/load-config';
import { loggerOptions } from '../../src/observability/logger-options';

describe('logger options', () => {
  it.each(['info', 'debug', 'trace'])('logs every request at LOG_LEVEL=%s', (level) => {
    expect(loggerOptions(loadConfig({ LOG_LEVEL: level })).forRoutes).toEqual([
      { path: '{*splat}', method: RequestMethod.ALL },
    ]);
  });

  it.each(['warn', 'error', 'fatal', 'silent'])(
    'registers no request middleware at LOG_LEVEL=%s (its lines are info)',
    (level) => {
      expect(loggerOptions(loadConfig({ LOG_LEVEL: level })).forRoutes).toEqual([]);
    },
  );
});
