import {
  API_SCOPES,
  ApiKey,
  ApiScope,
  AppConfig,
  ConfigError,
  CreditPackSeed,
  EventStoreKind,
  ProcessRole,
} from './app-config';

/**
 * API.md's default catalog: the seed of the credit-pack catalog when CREDIT_PACKS is not set. A new
 * pack is one more line here for new deployments (e.g. `{ packId: 'bulk', name: 'Bulk', credits:
 * 2000, …, price: { minor: 1990, currency: 'USD' } }`); a running deployment adds it with one
 * `PUT /v1/credit-packs/bulk` (docs/stripe.md "The pack catalog").
 */
export const DEFAULT_CREDIT_PACKS: CreditPackSeed[] = [
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
    packId: 'standard',
    name: 'Standard',
    credits: 275,
    bonusCredits: 0,
    price: { minor: 2500, currency: 'USD' },
    stripePriceId: null,
    popular: true,
    expiresAfterDays: null,
  },
  {
    packId: 'pro',
    name: 'Pro',
    credits: 600,
    bonusCredits: 0,
    price: { minor: 5000, currency: 'USD' },
    stripePriceId: null,
    popular: false,
    expiresAfterDays: null,
  },
];

type Env = Record<string, string | undefined>;

/** Reads and validates every variable; collects all problems before failing. */
export function loadConfig(env: Env): AppConfig {
  const problems: string[] = [];
  const read = new EnvReader(env, problems);
  const config = new AppConfig();

  config.nodeEnv = read.string('NODE_ENV', 'development');
  config.port = read.integer('PORT', 3000, 0, 65_535);
  config.host = read.string('HOST', '0.0.0.0');
  config.role = read.oneOf<ProcessRole>('ROLE', ['all', 'api', 'projector', 'worker'], 'all');
  config.logLevel = read.oneOf(
    'LOG_LEVEL',
    ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'],
    'info',
  );
  config.logBufferKb = read.integer('LOG_BUFFER_KB', 8, 0, 1024);
  config.dataDir = read.string('DATA_DIR', './.data');
  config.databaseUrl = read.optionalUrl('DATABASE_URL', ['postgres:', 'postgresql:']);
  config.databasePoolMax = read.integer('DATABASE_POOL_MAX', 20, 1, 500);
  config.eventStore = read.oneOf<EventStoreKind>(
    'EVENT_STORE',
    ['postgres', 'eventstoredb'],
    'postgres',
  );
  config.eventStoreConnectionString = read.optionalUrl('EVENTSTORE_CONNECTION_STRING', [
    'esdb:',
    'esdb+discover:',
    'kurrentdb:',
    'kurrentdb+discover:',
    'kdb:',
    'kdb+discover:',
  ]);
  if (config.eventStore === 'eventstoredb' && !config.eventStoreConnectionString) {
    problems.push(
      'EVENTSTORE_CONNECTION_STRING is required when EVENT_STORE=eventstoredb (e.g. esdb://localhost:2113?tls=false)',
    );
  }
  config.apiKeys = parseApiKeys(env.LEDGER_API_KEYS, problems);
  if (config.isProduction && config.apiKeys.length === 0) {
    problems.push(
      'LEDGER_API_KEYS must be set when NODE_ENV=production (format name:secret:scope|scope,…)',
    );
  }
  config.bodyLimitBytes = read.integer('BODY_LIMIT_BYTES', 64 * 1024, 1024, 10 * 1024 * 1024);
  config.idempotencyRetentionMs =
    read.integer('IDEMPOTENCY_RETENTION_DAYS', 7, 1, 3650) * 86_400_000;
  config.recentSpendsPerAccount = read.integer('RECENT_SPENDS_PER_ACCOUNT', 1_000, 1, 1_000_000);
  config.accountCacheMaxEntries = read.integer('ACCOUNT_CACHE_MAX_ENTRIES', 100_000, 0, 10_000_000);
  config.accountCacheActiveStates = read.integer(
    'ACCOUNT_CACHE_ACTIVE_STATES',
    10_000,
    0,
    10_000_000,
  );
  config.accountCacheMaxBytes = read.integer('ACCOUNT_CACHE_MAX_MB', 1_024, 1, 1_000_000) * 2 ** 20;
  config.commandMaxAttempts = read.integer('COMMAND_MAX_ATTEMPTS', 12, 1, 100);
  config.consistencyTimeoutMs = read.integer('CONSISTENCY_TIMEOUT_MS', 2000, 0, 30_000);
  config.auditHttpMaxEvents = read.integer('AUDIT_HTTP_MAX_EVENTS', 100_000, 1, 1_000_000);
  config.verifyHttpMaxAccounts = read.integer('VERIFY_HTTP_MAX_ACCOUNTS', 10_000, 1, 100_000);
  config.projectionBatchSize = read.integer('PROJECTION_BATCH_SIZE', 500, 1, 10_000);
  config.projectionIdlePollMs = read.integer('PROJECTION_IDLE_POLL_MS', 100, 5, 10_000);
  config.projectionStandbyRetryMs = read.integer('PROJECTION_STANDBY_RETRY_MS', 1000, 50, 60_000);
  config.workerIntervalMs = read.integer('WORKER_INTERVAL_MS', 5000, 100, 3_600_000);
  config.workerBatchSize = read.integer('WORKER_BATCH_SIZE', 500, 1, 10_000);
  config.autoTopUp = {
    maxConsecutiveFailures: read.integer('AUTO_TOP_UP_MAX_FAILURES', 3, 1, 100),
    attemptTimeoutSeconds: read.integer(
      'AUTO_TOP_UP_ATTEMPT_TIMEOUT_SECONDS',
      3600,
      60,
      7 * 86_400,
    ),
  };
  config.stripe = {
    secretKey: read.optionalString('STRIPE_SECRET_KEY'),
    webhookSecret: read.optionalString('STRIPE_WEBHOOK_SECRET'),
    apiUrl: read.optionalUrl('STRIPE_API_URL', ['http:', 'https:']),
    webhookToleranceSeconds: read.integer('STRIPE_WEBHOOK_TOLERANCE_SECONDS', 300, 1, 3600),
    publishableKey: read.optionalString('STRIPE_PUBLISHABLE_KEY'),
  };
  // A secret key here would be handed to every browser: refuse anything but a publishable key.
  if (
    config.stripe.publishableKey !== null &&
    !/^pk_(test|live)_\w+$/.test(config.stripe.publishableKey)
  )
    problems.push(
      'STRIPE_PUBLISHABLE_KEY must be a Stripe publishable key (pk_test_… or pk_live_…)',
    );
  config.creditPacks = parseCreditPacks(env.CREDIT_PACKS, problems);
  config.creditPacksFromEnv = (env.CREDIT_PACKS ?? '').trim() !== '';
  config.rateLimits = {
    writesPerSecondPerKey: read.integer('RATE_LIMIT_WRITES_PER_SECOND_PER_KEY', 1000, 1, 1_000_000),
    checkoutsPerMinutePerAccount: read.integer(
      'RATE_LIMIT_CHECKOUTS_PER_MINUTE_PER_ACCOUNT',
      10,
      1,
      100_000,
    ),
    giftCodeGuessesPerMinutePerAccount: read.integer(
      'RATE_LIMIT_GIFT_CODE_GUESSES_PER_MINUTE_PER_ACCOUNT',
      5,
      1,
      100_000,
    ),
    authFailuresPerMinutePerAddress: read.integer(
      'RATE_LIMIT_AUTH_FAILURES_PER_MINUTE_PER_ADDRESS',
      30,
      1,
      100_000,
    ),
    redisUrl: read.optionalUrl('RATE_LIMIT_REDIS_URL', ['redis:', 'rediss:']),
  };

  config.quoteTtlSeconds = read.integer('QUOTE_TTL_SECONDS', 600, 1, 86_400);
  config.lowBalanceThreshold = read.integer('LOW_BALANCE_THRESHOLD', 100, 0, 1_000_000_000_000);
  config.reportsMaxConcurrentExports = read.integer('REPORTS_MAX_CONCURRENT_EXPORTS', 2, 1, 64);

  config.customerTokens = {
    secret: read.optionalString('CUSTOMER_TOKEN_SECRET'),
    ttlSeconds: read.integer('CUSTOMER_TOKEN_TTL_SECONDS', 900, 1, MAX_CUSTOMER_TOKEN_TTL_SECONDS),
  };
  if (config.customerTokens.secret !== null && config.customerTokens.secret.length < 32) {
    problems.push(
      'CUSTOMER_TOKEN_SECRET must be at least 32 characters (e.g. openssl rand -hex 32)',
    );
  }
  if (config.isProduction && config.customerTokens.secret === null) {
    problems.push(
      'CUSTOMER_TOKEN_SECRET must be set when NODE_ENV=production (every replica needs the same one; e.g. openssl rand -hex 32)',
    );
  }
  config.widgetAllowedOrigins = parseOrigins(env.WIDGET_ALLOWED_ORIGINS, problems);
  config.balanceStream = {
    maxConnections: read.integer('BALANCE_STREAM_MAX_CONNECTIONS', 1000, 1, 100_000),
    heartbeatSeconds: read.integer('BALANCE_STREAM_HEARTBEAT_SECONDS', 15, 1, 3600),
    pollIntervalMs: read.integer('BALANCE_STREAM_POLL_MS', 200, 10, 10_000),
  };
  config.demoTokens = read.boolean('DEMO_TOKENS', config.nodeEnv === 'development');
  if (config.isProduction && config.demoTokens) {
    problems.push(
      'DEMO_TOKENS=true is refused when NODE_ENV=production: it mints tokens for anyone',
    );
  }
  config.notifications = {
    expiringNoticeDays: read.integer('EXPIRING_NOTICE_DAYS', 7, 1, 365),
    pollIntervalMs: read.integer('NOTIFICATIONS_POLL_MS', 1000, 10, 60_000),
    retentionDays: read.integer('NOTIFICATION_RETENTION_DAYS', 30, 1, 3650),
    webhooks: {
      retryScheduleSeconds: read.secondsList(
        'WEBHOOK_RETRY_SCHEDULE',
        [5, 300, 1800, 7200, 18000, 36000, 36000],
      ),
      allowPrivateUrls: read.boolean('WEBHOOKS_ALLOW_PRIVATE_URLS', false),
      timeoutMs: read.integer('WEBHOOK_TIMEOUT_MS', 10_000, 100, 120_000),
      concurrencyPerEndpoint: read.integer('WEBHOOK_CONCURRENCY_PER_ENDPOINT', 4, 1, 100),
      maxInFlight: read.integer('WEBHOOK_MAX_IN_FLIGHT', 64, 1, 10_000),
      disableAfterFailingSeconds: read.integer('WEBHOOK_DISABLE_AFTER_DAYS', 5, 1, 365) * 86_400,
    },
    email: {
      smtpUrl: read.optionalUrl('SMTP_URL', ['smtp:', 'smtps:']),
      from: read.string('EMAIL_FROM', 'Credits <no-reply@localhost>'),
      productName: read.string('EMAIL_PRODUCT_NAME', 'Credits'),
    },
  };
  config.referralCredits = read.integer('REFERRAL_CREDITS', 50, 1, 1_000_000_000);
  config.signupCredits = read.integer('SIGNUP_CREDITS', 100, 1, 1_000_000_000);
  config.leadCredits = read.integer('LEAD_CREDITS', 20, 1, 1_000_000_000);
  config.transfersDeliverInline =
    read.oneOf('TRANSFERS_DELIVER_INLINE', ['true', 'false'], 'true') === 'true';

  if (problems.length > 0) throw new ConfigError(problems);
  return config;
}

/** The longest a customer token may live, whatever the setting or the request asks: a day. */
export const MAX_CUSTOMER_TOKEN_TTL_SECONDS = 86_400;

/** `https://app.example.com,http://localhost:5173`: exact origins, scheme://host[:port]. */
function parseOrigins(raw: string | undefined, problems: string[]): string[] {
  if (raw === undefined || raw.trim() === '') return [];
  const origins: string[] = [];
  for (const entry of raw.split(',').map((part) => part.trim())) {
    let url: URL | null;
    try {
      url = new URL(entry);
    } catch {
      url = null;
    }
    if (!url || !['http:', 'https:'].includes(url.protocol) || url.origin !== entry) {
      problems.push(
        `WIDGET_ALLOWED_ORIGINS entry ${JSON.stringify(entry)} must be an origin like https://app.example.com (no path, no trailing slash)`,
      );
      continue;
    }
    origins.push(url.origin);
  }
  return origins;
}

/** `name:secret:scope|scope,…`, e.g. `svc:s3cret:read|spend,ops:t0p:admin`. */
export function parseApiKeys(raw: string | undefined, problems: string[]): ApiKey[] {
  if (raw === undefined || raw.trim() === '') return [];
  const keys: ApiKey[] = [];
  for (const [index, entry] of raw
    .split(',')
    .map((part) => part.trim())
    .entries()) {
    const [name, secret, scopeList, ...rest] = entry.split(':');
    const where = `LEDGER_API_KEYS entry ${index + 1}`;
    if (!name || !secret || !scopeList || rest.length > 0) {
      problems.push(`${where} must look like name:secret:scope|scope`);
      continue;
    }
    if (secret.length < 4)
      problems.push(`${where} (${name}): secret is too short (at least 4 characters)`);
    const scopes = scopeList.split('|');
    const unknown = scopes.filter((scope) => !API_SCOPES.includes(scope as ApiScope));
    if (unknown.length > 0)
      problems.push(
        `${where} (${name}): unknown scope ${unknown.join(', ')}; known: ${API_SCOPES.join(', ')}`,
      );
    if (keys.some((key) => key.name === name))
      problems.push(`${where}: duplicate key name ${name}`);
    // Two names for one secret: requests would be attributed to whichever key matched first, and
    // their scopes silently merged or shadowed. The secret itself is never echoed.
    const sameSecret = keys.find((key) => key.secret === secret);
    if (sameSecret)
      problems.push(
        `${where} (${name}): the same secret as key ${sameSecret.name}; every key needs its own secret`,
      );
    keys.push({ name, secret, scopes: scopes as ApiScope[] });
  }
  return keys;
}

function parseCreditPacks(raw: string | undefined, problems: string[]): CreditPackSeed[] {
  if (raw === undefined || raw.trim() === '') return DEFAULT_CREDIT_PACKS;
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    problems.push('CREDIT_PACKS must be a JSON array of packs');
    return [];
  }
  if (!Array.isArray(parsed) || parsed.length === 0) {
    problems.push('CREDIT_PACKS must be a non-empty JSON array');
    return [];
  }
  const packs: CreditPackSeed[] = [];
  for (const [index, item] of parsed.entries()) {
    const where = `CREDIT_PACKS[${index}]`;
    const pack = item as Partial<CreditPackSeed> & {
      price?: { minor?: unknown; currency?: unknown };
    };
    const valid =
      typeof pack.packId === 'string' &&
      /^[A-Za-z0-9_-]{1,64}$/.test(pack.packId) &&
      typeof pack.name === 'string' &&
      pack.name.length > 0 &&
      Number.isSafeInteger(pack.credits) &&
      (pack.credits as number) > 0 &&
      Number.isSafeInteger(pack.price?.minor) &&
      (pack.price?.minor as number) > 0 &&
      typeof pack.price?.currency === 'string' &&
      /^[A-Z]{3}$/.test(pack.price.currency) &&
      (pack.expiresAfterDays === undefined ||
        pack.expiresAfterDays === null ||
        (Number.isSafeInteger(pack.expiresAfterDays) && pack.expiresAfterDays > 0)) &&
      (pack.bonusCredits === undefined ||
        (Number.isSafeInteger(pack.bonusCredits) && pack.bonusCredits >= 0)) &&
      (pack.stripePriceId === undefined ||
        pack.stripePriceId === null ||
        (typeof pack.stripePriceId === 'string' &&
          /^price_[A-Za-z0-9]+$/.test(pack.stripePriceId)));
    if (!valid) {
      problems.push(
        `${where} needs packId, name, credits > 0, price { minor > 0, currency (ISO 4217) }, optional popular, bonusCredits ≥ 0, stripePriceId (price_…) and expiresAfterDays`,
      );
      continue;
    }
    if (packs.some((existing) => existing.packId === pack.packId))
      problems.push(`${where}: duplicate packId ${pack.packId}`);
    packs.push({
      packId: pack.packId!,
      name: pack.name!,
      credits: pack.credits!,
      bonusCredits: pack.bonusCredits ?? 0,
      price: { minor: pack.price!.minor, currency: pack.price!.currency },
      stripePriceId: pack.stripePriceId ?? null,
      popular: pack.popular === true,
      expiresAfterDays: pack.expiresAfterDays ?? null,
    });
  }
  return packs;
}

class EnvReader {
  constructor(
    private readonly env: Env,
    private readonly problems: string[],
  ) {}

  private raw(name: string): string | undefined {
    const value = this.env[name];
    return value === undefined || value.trim() === '' ? undefined : value.trim();
  }

  string(name: string, fallback: string): string {
    return this.raw(name) ?? fallback;
  }

  boolean(name: string, fallback: boolean): boolean {
    const value = this.raw(name);
    if (value === undefined) return fallback;
    if (value === 'true') return true;
    if (value === 'false') return false;
    this.problems.push(`${name} must be true or false (got "${value}")`);
    return fallback;
  }

  optionalString(name: string): string | null {
    return this.raw(name) ?? null;
  }

  integer(name: string, fallback: number, min: number, max: number): number {
    const value = this.raw(name);
    if (value === undefined) return fallback;
    const parsed = Number(value);
    if (!/^-?\d+$/.test(value) || !Number.isSafeInteger(parsed) || parsed < min || parsed > max) {
      this.problems.push(`${name} must be an integer from ${min} to ${max} (got "${value}")`);
      return fallback;
    }
    return parsed;
  }

  /** `5,300,1800`: seconds (decimals allowed, so tests can retry fast), at most 50 of them. */
  secondsList(name: string, fallback: number[]): number[] {
    const value = this.raw(name);
    if (value === undefined) return fallback;
    const parts = value.split(',').map((part) => part.trim());
    const numbers = parts.map(Number);
    if (
      parts.length > 50 ||
      parts.some((part) => !/^\d+(\.\d+)?$/.test(part)) ||
      numbers.some((seconds) => !(seconds > 0 && seconds <= 30 * 86_400))
    ) {
      this.problems.push(
        `${name} must be up to 50 comma-separated numbers of seconds, each above 0 and at most 2592000 (got "${value}")`,
      );
      return fallback;
    }
    return numbers;
  }

  oneOf<T extends string>(name: string, allowed: readonly T[], fallback: T): T {
    const value = this.raw(name);
    if (value === undefined) return fallback;
    if (!allowed.includes(value as T)) {
      this.problems.push(`${name} must be one of ${allowed.join(', ')} (got "${value}")`);
      return fallback;
    }
    return value as T;
  }

  optionalUrl(name: string, protocols: string[]): string | null {
    const value = this.raw(name);
    if (value === undefined) return null;
    let protocol: string;
    try {
      protocol = new URL(value).protocol;
    } catch {
      this.problems.push(`${name} is not a valid URL`);
      return null;
    }
    if (!protocols.includes(protocol)) {
      this.problems.push(`${name} must use ${protocols.join(' or ')} (got ${protocol})`);
      return null;
    }
    return value;
  }
}
