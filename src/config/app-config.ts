/**
 * The one configuration object. Built once from the environment at start-up by `loadConfig`,
 * which fails loudly (ConfigError listing every bad variable) rather than running half-configured.
 */
export type EventStoreKind = 'postgres' | 'eventstoredb';
export type ProcessRole = 'all' | 'api' | 'projector' | 'worker';
export type ApiScope = 'read' | 'spend' | 'grant' | 'admin' | 'finance';
export const API_SCOPES: readonly ApiScope[] = ['read', 'spend', 'grant', 'admin', 'finance'];

export interface ApiKey {
  name: string;
  secret: string;
  scopes: ApiScope[];
}

/**
 * A pack of CREDIT_PACKS (or the default three): the seed of the credit-pack catalog, written into
 * the catalog's event stream the first time the catalog is used. After that the catalog is edited
 * through the API (docs/stripe.md "The pack catalog") and this setting is no longer read.
 */
export interface CreditPackSeed {
  packId: string;
  name: string;
  credits: number;
  /** Extra credits on top of `credits`, bought with them (0 for none). */
  bonusCredits: number;
  price: { minor: number; currency: string };
  /** A Stripe Price (`price_…`) Checkout uses instead of inline price data; null for none. */
  stripePriceId: string | null;
  popular: boolean;
  /** Purchased credits expire this many days after purchase; null = never. */
  expiresAfterDays: number | null;
}

/** PRODUCT.md §6: limits per API key, per account and per client address (docs/operations.md). */
export interface RateLimitSettings {
  /** Writes (every route that can change the ledger or start a payment) per API key per second. */
  writesPerSecondPerKey: number;
  /** Checkout sessions created per account per minute. */
  checkoutsPerMinutePerAccount: number;
  /** Wrong gift codes per account per minute; past it, every redemption gets 429 until the minute ends. */
  giftCodeGuessesPerMinutePerAccount: number;
  /** Failed authentications per client address per minute; past it, 429 instead of 401. */
  authFailuresPerMinutePerAddress: number;
  /** A Redis shared by every replica (redis:// or rediss://); null = counters in each process. */
  redisUrl: string | null;
}

/** PRODUCT.md §6: tokens a product backend mints for a browser, scoped to one account. */
export interface CustomerTokenSettings {
  /** HMAC key; null outside production means a random one per process (said loudly at start). */
  secret: string | null;
  /** Lifetime of a token when the request names none (CUSTOMER_TOKEN_TTL_SECONDS). */
  ttlSeconds: number;
}

/** PRODUCT.md §5 "Live balance": the Server-Sent Events stream per account. */
export interface BalanceStreamSettings {
  /** Open streams per process; one more is refused with 503. */
  maxConnections: number;
  /** A comment line this often keeps proxies and load balancers from closing an idle stream. */
  heartbeatSeconds: number;
  /** How often the log is polled for new events while at least one stream is open. */
  pollIntervalMs: number;
}

/** PRODUCT.md §5 (docs/notifications.md). */
export interface NotificationSettings {
  /** credits.expiring this many days before a block with credits expires (EXPIRING_NOTICE_DAYS). */
  expiringNoticeDays: number;
  /** How often the notification workers look for due deliveries, emails and notices. */
  pollIntervalMs: number;
  /** Finished deliveries, emails and notices are deleted after this many days. */
  retentionDays: number;
  webhooks: {
    /** Seconds to wait before each retry (WEBHOOK_RETRY_SCHEDULE); used up → failed. */
    retryScheduleSeconds: number[];
    /** Endpoints on loopback, private, link-local or metadata addresses (WEBHOOKS_ALLOW_PRIVATE_URLS). */
    allowPrivateUrls: boolean;
    /** One attempt's whole budget: connect, send, answer. */
    timeoutMs: number;
    /** Attempts in flight per endpoint, and in all (one slow endpoint holds only its own share). */
    concurrencyPerEndpoint: number;
    maxInFlight: number;
    /** An endpoint failing without a success for this long is disabled. */
    disableAfterFailingSeconds: number;
  };
  email: {
    /** smtp:// or smtps://; null = emails off (said once at start). */
    smtpUrl: string | null;
    from: string;
    productName: string;
  };
}

export class AppConfig {
  nodeEnv!: string;
  port!: number;
  host!: string;
  role!: ProcessRole;
  logLevel!: string;
  /** Lines are written to stdout this many KB at a time (0: each at once, synchronously). */
  logBufferKb!: number;
  /** Where the embedded PostgreSQL keeps its data (used only when databaseUrl is null). */
  dataDir!: string;
  databaseUrl!: string | null;
  databasePoolMax!: number;
  eventStore!: EventStoreKind;
  eventStoreConnectionString!: string | null;
  apiKeys!: ApiKey[];
  bodyLimitBytes!: number;
  idempotencyRetentionMs!: number;
  /** Spends an account state remembers for refunds; older ones are looked up in the stream. */
  recentSpendsPerAccount!: number;
  accountCacheMaxEntries!: number;
  /** Bound on the cached states' estimated heap (state-weight.ts), besides their number. */
  accountCacheMaxBytes!: number;
  /** The most recently used cached states keep their remembered spends; the others forget them. */
  accountCacheActiveStates!: number;
  commandMaxAttempts!: number;
  /** Default wait for `?after=<position>` reads. */
  consistencyTimeoutMs!: number;
  /** `GET …/audit`: events of one stream folded at most (else 422 stream_too_long; the CLI has no bound). */
  auditHttpMaxEvents!: number;
  /** `POST /v1/verify` without an account: accounts checked at most (else 422 verify_too_large). */
  verifyHttpMaxAccounts!: number;
  /** Projector: events per batch (one transaction), idle poll ceiling, standby lock retry. */
  projectionBatchSize!: number;
  projectionIdlePollMs!: number;
  projectionStandbyRetryMs!: number;
  /** How often the expiry worker looks for due blocks and holds. */
  workerIntervalMs!: number;
  /** Accounts the worker handles per round at most (the rest wait for the next round). */
  workerBatchSize!: number;
  /** Auto top-up (docs/subscriptions.md): failures in a row that turn it off; when an attempt is stuck. */
  autoTopUp!: {
    maxConsecutiveFailures: number;
    attemptTimeoutSeconds: number;
  };
  stripe!: {
    secretKey: string | null;
    webhookSecret: string | null;
    apiUrl: string | null;
    webhookToleranceSeconds: number;
    /** `pk_…`, public by design: served to the widgets (GET /v1/widgets/config) for Stripe.js. */
    publishableKey: string | null;
  };
  /** The seed of the credit-pack catalog (first use only; then the catalog's own stream). */
  creditPacks!: CreditPackSeed[];
  /** CREDIT_PACKS was set (else creditPacks is the default catalog). */
  creditPacksFromEnv!: boolean;
  rateLimits!: RateLimitSettings;
  /** PRODUCT.md §1: how long a quote can be paid (QUOTE_TTL_SECONDS). */
  quoteTtlSeconds!: number;
  /** PRODUCT.md §5: available credits below this are a low balance (LOW_BALANCE_THRESHOLD). */
  lowBalanceThreshold!: number;
  /** CSV exports (docs/reports.md) one process streams at once; more are answered 503. */
  reportsMaxConcurrentExports!: number;
  customerTokens!: CustomerTokenSettings;
  /** Browser origins allowed to call the API (CORS) for the widgets; empty: no CORS at all. */
  widgetAllowedOrigins!: string[];
  balanceStream!: BalanceStreamSettings;
  /** POST /demo/customer-tokens exists (mints tokens with no API key): development only. */
  demoTokens!: boolean;
  /** PRODUCT.md §5, docs/notifications.md: alerts, outbound webhooks and emails. */
  notifications!: NotificationSettings;
  /** PRODUCT.md §2: credits the referrer and the referee each get (REFERRAL_CREDITS). */
  referralCredits!: number;
  /** PRODUCT.md §2: the welcome policies' credits (SIGNUP_CREDITS; LEAD_CREDITS for `lead:` ids). */
  signupCredits!: number;
  leadCredits!: number;
  /**
   * Whether POST /v1/transfers and merges run the second step (the destination's credit) at once,
   * so their answer is usually `completed`; false leaves it to the transfers reactor alone
   * (TRANSFERS_DELIVER_INLINE; docs/programs.md).
   */
  transfersDeliverInline!: boolean;

  get isProduction(): boolean {
    return this.nodeEnv === 'production';
  }
}

/** The roles that serve the API (/v1/…): `all` (npm start) and `api`. */
export function servesApi(role: ProcessRole): boolean {
  return role === 'all' || role === 'api';
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigError';
  }
}
