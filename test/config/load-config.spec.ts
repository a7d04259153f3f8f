import { ConfigError } from '../../src/config/app-config';
import { loadConfig } from '../../src/config/load-config';

describe('loadConfig', () => {
  it('has sane defaults with nothing set', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      port: 3000,
      dataDir: './.data',
      databaseUrl: null,
      eventStore: 'postgres',
      role: 'all',
      apiKeys: [],
      nodeEnv: 'development',
      bodyLimitBytes: 65_536,
      consistencyTimeoutMs: 2000,
      quoteTtlSeconds: 600,
      lowBalanceThreshold: 100,
      signupCredits: 100,
      leadCredits: 20,
      transfersDeliverInline: true,
    });
    expect(
      config.creditPacks.map((pack) => [pack.packId, pack.credits, pack.price.minor, pack.popular]),
    ).toEqual([
      ['basic', 100, 1000, false],
      ['standard', 275, 2500, true],
      ['pro', 600, 5000, false],
    ]);
  });

  it('reads the welcome policies (SIGNUP_CREDITS, LEAD_CREDITS) and refuses a bad one', () => {
    expect(loadConfig({ SIGNUP_CREDITS: '250', LEAD_CREDITS: '5' })).toMatchObject({
      signupCredits: 250,
      leadCredits: 5,
    });
    expect(() => loadConfig({ LEAD_CREDITS: 'twenty' })).toThrow(ConfigError);
    expect(loadConfig({ TRANSFERS_DELIVER_INLINE: 'false' }).transfersDeliverInline).toBe(false);
    expect(() => loadConfig({ TRANSFERS_DELIVER_INLINE: 'no' })).toThrow(ConfigError);
  });

  it('reads CREDIT_PACKS as the seed of the pack catalog, with the optional bonus and Stripe Price', () => {
    const config = loadConfig({
      CREDIT_PACKS: JSON.stringify([
        { packId: 'basic', name: 'Basic', credits: 100, price: { minor: 1000, currency: 'USD' } },
        {
          packId: 'bulk',
          name: 'Bulk',
          credits: 2000,
          bonusCredits: 200,
          price: { minor: 1990, currency: 'USD' },
          stripePriceId: 'price_1Qbulk',
          popular: true,
        },
      ]),
    });
    expect(config.creditPacksFromEnv).toBe(true);
    expect(config.creditPacks).toEqual([
      {
        packId: 'basic',
        name: 'Basic',
        credits: 100,
        bonusCredits: 0,
        price: { minor: 1000, currency: 'USD' },
        stripePriceId: null,
        popular: false,
        expiresAfterDays: null,
      },
      {
        packId: 'bulk',
        name: 'Bulk',
        credits: 2000,
        bonusCredits: 200,
        price: { minor: 1990, currency: 'USD' },
        stripePriceId: 'price_1Qbulk',
        popular: true,
        expiresAfterDays: null,
      },
    ]);
    expect(loadConfig({}).creditPacksFromEnv).toBe(false);
    expect(() =>
      loadConfig({
        CREDIT_PACKS:
          '[{"packId":"x","name":"X","credits":1,"price":{"minor":100,"currency":"USD"},"stripePriceId":"sku_1"}]',
      }),
    ).toThrow(/CREDIT_PACKS\[0\]/);
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
      loadConfig({
        PORT: 'eighty',
        EVENT_STORE: 'mongo',
        LEDGER_API_KEYS: 'svc:secret:fly',
        DATABASE_URL: 'mysql://x',
        CREDIT_PACKS: '[{"packId":"x"}]',
      });
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
    expect(
      loadConfig({
        NODE_ENV: 'production',
        LEDGER_API_KEYS: 'a:abcd:read',
        CUSTOMER_TOKEN_SECRET: 'x'.repeat(32),
      }).isProduction,
    ).toBe(true);
  });

  describe('customer tokens, widget origins, the balance stream, demo tokens', () => {
    it('has the defaults of PRODUCT.md §8 and docs/widgets-server.md', () => {
      const config = loadConfig({});
      expect(config.customerTokens).toEqual({ secret: null, ttlSeconds: 900 });
      expect(config.widgetAllowedOrigins).toEqual([]);
      expect(config.balanceStream).toEqual({
        maxConnections: 1000,
        heartbeatSeconds: 15,
        pollIntervalMs: 200,
      });
      // npm start without NODE_ENV is development: the demo shell can mint its own token.
      expect(config.demoTokens).toBe(true);
      expect(loadConfig({ NODE_ENV: 'test' }).demoTokens).toBe(false);
    });

    it('needs CUSTOMER_TOKEN_SECRET in production, 32 characters at least, never echoed', () => {
      const production = { NODE_ENV: 'production', LEDGER_API_KEYS: 'a:abcd:read' };
      expect(() => loadConfig(production)).toThrow(/CUSTOMER_TOKEN_SECRET must be set/);
      try {
        loadConfig({ CUSTOMER_TOKEN_SECRET: 'short-secret-value' });
        throw new Error('accepted');
      } catch (error) {
        expect((error as Error).message).toMatch(/CUSTOMER_TOKEN_SECRET must be at least 32/);
        expect((error as Error).message).not.toContain('short-secret-value');
      }
    });

    it('refuses DEMO_TOKENS=true in production', () => {
      expect(() =>
        loadConfig({
          NODE_ENV: 'production',
          LEDGER_API_KEYS: 'a:abcd:read',
          CUSTOMER_TOKEN_SECRET: 'x'.repeat(32),
          DEMO_TOKENS: 'true',
        }),
      ).toThrow(/DEMO_TOKENS=true is refused/);
      expect(() => loadConfig({ DEMO_TOKENS: 'yes' })).toThrow(/DEMO_TOKENS must be true or false/);
    });

    it('reads WIDGET_ALLOWED_ORIGINS as exact origins', () => {
      expect(
        loadConfig({ WIDGET_ALLOWED_ORIGINS: 'https://app.example.com, http://localhost:5173' })
          .widgetAllowedOrigins,
      ).toEqual(['https://app.example.com', 'http://localhost:5173']);
      expect(() =>
        loadConfig({ WIDGET_ALLOWED_ORIGINS: 'https://app.example.com/,*,ftp://x.test' }),
      ).toThrow(ConfigError);
    });

    it('bounds the token lifetime and the stream settings', () => {
      expect(() => loadConfig({ CUSTOMER_TOKEN_TTL_SECONDS: '86401' })).toThrow(
        /CUSTOMER_TOKEN_TTL_SECONDS must be an integer from 1 to 86400/,
      );
      expect(() => loadConfig({ BALANCE_STREAM_MAX_CONNECTIONS: '0' })).toThrow(
        /BALANCE_STREAM_MAX_CONNECTIONS/,
      );
    });
  });

  it('bounds the account cache by states and by their estimated megabytes', () => {
    expect(loadConfig({})).toMatchObject({
      accountCacheMaxEntries: 100_000,
      accountCacheMaxBytes: 1_024 * 2 ** 20,
      accountCacheActiveStates: 10_000,
    });
    expect(loadConfig({ ACCOUNT_CACHE_ACTIVE_STATES: '0' }).accountCacheActiveStates).toBe(0);
    expect(() => loadConfig({ ACCOUNT_CACHE_ACTIVE_STATES: '-1' })).toThrow(
      /ACCOUNT_CACHE_ACTIVE_STATES/,
    );
    expect(loadConfig({ ACCOUNT_CACHE_MAX_MB: '64' }).accountCacheMaxBytes).toBe(64 * 2 ** 20);
    expect(() => loadConfig({ ACCOUNT_CACHE_MAX_MB: '0' })).toThrow(/ACCOUNT_CACHE_MAX_MB/);
    expect(() => loadConfig({ ACCOUNT_CACHE_MAX_MB: '1.5' })).toThrow(/ACCOUNT_CACHE_MAX_MB/);
  });

  it('needs a connection string for EventStoreDB', () => {
    expect(() => loadConfig({ EVENT_STORE: 'eventstoredb' })).toThrow(
      /EVENTSTORE_CONNECTION_STRING is required/,
    );
    expect(
      loadConfig({
        EVENT_STORE: 'eventstoredb',
        EVENTSTORE_CONNECTION_STRING: 'esdb://localhost:2113?tls=false',
      }).eventStore,
    ).toBe('eventstoredb');
  });

  it('takes a Stripe publishable key for the widgets, and refuses a secret key there', () => {
    expect(loadConfig({}).stripe.publishableKey).toBeNull();
    expect(loadConfig({ STRIPE_PUBLISHABLE_KEY: 'pk_test_abc123' }).stripe.publishableKey).toBe(
      'pk_test_abc123',
    );
    expect(() => loadConfig({ STRIPE_PUBLISHABLE_KEY: 'sk_test_abc123' })).toThrow(
      /STRIPE_PUBLISHABLE_KEY must be a Stripe publishable key/,
    );
  });

  it('never echoes a secret in its problems', () => {
    expect(() => loadConfig({ LEDGER_API_KEYS: 'svc:supersecretvalue:nope' })).toThrow(ConfigError);
    try {
      loadConfig({ LEDGER_API_KEYS: 'svc:supersecretvalue:nope' });
    } catch (error) {
      expect((error as Error).message).not.toContain('supersecretvalue');
    }
  });

  it('refuses two keys with the same secret, without echoing it', () => {
    let error: unknown;
    try {
      loadConfig({ LEDGER_API_KEYS: 'svc:shared-secret-value:read,ops:shared-secret-value:admin' });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems).toEqual([
      expect.stringMatching(/entry 2 \(ops\): the same secret as key svc/),
    ]);
    expect((error as Error).message).not.toContain('shared-secret-value');
  });

  it('has the rate limits of PRODUCT.md §6 by default, in each process', () => {
    expect(loadConfig({}).rateLimits).toEqual({
      writesPerSecondPerKey: 1000,
      checkoutsPerMinutePerAccount: 10,
      giftCodeGuessesPerMinutePerAccount: 5,
      authFailuresPerMinutePerAddress: 30,
      redisUrl: null,
    });
  });

  it('has the programs settings of PRODUCT.md §8 (REFERRAL_CREDITS), validated', () => {
    expect(loadConfig({}).referralCredits).toBe(50);
    expect(loadConfig({ REFERRAL_CREDITS: '75' }).referralCredits).toBe(75);
    expect(() => loadConfig({ REFERRAL_CREDITS: 'many' })).toThrow(/REFERRAL_CREDITS/);
    expect(() => loadConfig({ RATE_LIMIT_GIFT_CODE_GUESSES_PER_MINUTE_PER_ACCOUNT: '0' })).toThrow(
      /RATE_LIMIT_GIFT_CODE_GUESSES_PER_MINUTE_PER_ACCOUNT/,
    );
  });

  it('reads the rate-limit settings and a shared Redis store', () => {
    const config = loadConfig({
      RATE_LIMIT_WRITES_PER_SECOND_PER_KEY: '50',
      RATE_LIMIT_CHECKOUTS_PER_MINUTE_PER_ACCOUNT: '3',
      RATE_LIMIT_GIFT_CODE_GUESSES_PER_MINUTE_PER_ACCOUNT: '7',
      RATE_LIMIT_AUTH_FAILURES_PER_MINUTE_PER_ADDRESS: '5',
      RATE_LIMIT_REDIS_URL: 'rediss://:pw@redis.internal:6380/2',
    });
    expect(config.rateLimits).toEqual({
      writesPerSecondPerKey: 50,
      checkoutsPerMinutePerAccount: 3,
      giftCodeGuessesPerMinutePerAccount: 7,
      authFailuresPerMinutePerAddress: 5,
      redisUrl: 'rediss://:pw@redis.internal:6380/2',
    });
  });

  it('refuses bad rate-limit settings at start-up, without echoing a Redis password', () => {
    let error: unknown;
    try {
      loadConfig({
        RATE_LIMIT_WRITES_PER_SECOND_PER_KEY: '0',
        RATE_LIMIT_CHECKOUTS_PER_MINUTE_PER_ACCOUNT: 'ten',
        RATE_LIMIT_AUTH_FAILURES_PER_MINUTE_PER_ADDRESS: '-1',
        RATE_LIMIT_REDIS_URL: 'http://:hunter2@redis:6379',
      });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems;
    expect(problems).toEqual([
      expect.stringMatching(/^RATE_LIMIT_WRITES_PER_SECOND_PER_KEY must be an integer from 1/),
      expect.stringMatching(
        /^RATE_LIMIT_CHECKOUTS_PER_MINUTE_PER_ACCOUNT must be an integer from 1/,
      ),
      expect.stringMatching(
        /^RATE_LIMIT_AUTH_FAILURES_PER_MINUTE_PER_ADDRESS must be an integer from 1/,
      ),
      expect.stringMatching(/^RATE_LIMIT_REDIS_URL must use redis: or rediss:/),
    ]);
    expect((error as Error).message).not.toContain('hunter2');
  });
});
