import { ConfigError } from '../../src/config/app-config';
import { loadConfig } from '../../src/config/load-config';

describe('loadConfig', () => {
  it('has sane defaults with nothing set', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      port: 3000, dataDir: './.data', databaseUrl: null, eventStore: 'postgres', role: 'all', apiKeys: [],
      nodeEnv: 'development', bodyLimitBytes: 65_536, consistencyTimeoutMs: 2000,
    });
    expect(config.creditPacks.map((pack) => [pack.packId, pack.credits, pack.price.minor, pack.popular])).toEqual([
      ['basic', 100, 1000, false], ['standard', 275, 2500, true], ['pro', 600, 5000, false],
    ]);
  });

  it('parses API keys with scopes', () => {
    const config = loadConfig({ LEDGER_API_KEYS: 'svc:s3cret:read|spend, ops:t0p-secret:admin' });
    expect(config.apiKeys).toEqual([
      { name: 'svc', secret: 's3cret', scopes: ['read', 'spend'] },
      { name: 'ops', secret: 't0p-secret', scopes: ['admin'] },
    ]);
  });

  it('lists every bad value at once', () => {
    let error: unknown;
    try {
      loadConfig({ PORT: 'eighty', EVENT_STORE: 'mongo', LEDGER_API_KEYS: 'svc:secret:fly', DATABASE_URL: 'mysql://x', CREDIT_PACKS: '[{"packId":"x"}]' });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems.join('\n');
    expect(problems).toMatch(/PORT/);
    expect(problems).toMatch(/EVENT_STORE/);
    expect(problems).toMatch(/unknown scope fly/);
    expect(problems).toMatch(/DATABASE_URL/);
    expect(problems).toMatch(/CREDIT_PACKS\[0\]/);
  });

  it('refuses production without API keys', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(/LEDGER_API_KEYS must be set/);
    expect(loadConfig({ NODE_ENV: 'production', LEDGER_API_KEYS: 'a:abcd:read' }).isProduction).toBe(true);
  });

  it('needs a connection string for EventStoreDB', () => {
    expect(() => loadConfig({ EVENT_STORE: 'eventstoredb' })).toThrow(/EVENTSTORE_CONNECTION_STRING is required/);
    expect(loadConfig({ EVENT_STORE: 'eventstoredb', EVENTSTORE_CONNECTION_STRING: 'esdb://localhost:2113?tls=false' }).eventStore).toBe('eventstoredb');
  });

  it('never echoes a secret in its problems', () => {
    expect(() => loadConfig({ LEDGER_API_KEYS: 'svc:supersecretvalue:nope' })).toThrow(ConfigError);
    try {
      loadConfig({ LEDGER_API_KEYS: 'svc:supersecretvalue:nope' });
    } catch (error) {
      expect((error as Error).message).not.toContain('supersecretvalue');
    }
  });
});
