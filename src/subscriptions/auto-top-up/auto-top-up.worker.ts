import {
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { GetBalance } from '../../accounts/queries/get-balance.query';
import { AppConfig } from '../../config/app-config';
import { runsWorker } from '../../expiry/worker-runtime';
import { grantedCredits, notOnSaleReason } from '../../payments/catalog/credit-pack';
import { CreditPackCatalog } from '../../payments/credit-pack-catalog';
import { StripeGateway } from '../../payments/stripe-gateway';
import { Clock } from '../../shared/clock';
import { AutoTopUpRepository, type ClaimedAttempt } from './auto-top-up.repository';

/** Accounts looked at per round at most; the rest keep their flag for the next round. */
const ACCOUNTS_PER_ROUND = 100;

export interface AutoTopUpRound {
  looked: number;
  charged: number;
  failures: number;
}

/**
 * The auto top-up worker (PRODUCT.md §4): for the accounts the reactor flagged, reads the balance
 * and, below the threshold, charges the pack off session — one attempt in flight per account (the
 * settings row is claimed first), one Stripe idempotency key per attempt. It never waits on a
 * request: spends and webhooks only flag; the credits land through the webhook like any purchase.
 * Runs every WORKER_INTERVAL_MS in the roles that run workers.
 */
@Injectable()
export class AutoTopUpWorker implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('AutoTopUp');
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<unknown> | null = null;

  constructor(
    private readonly config: AppConfig,
    private readonly repository: AutoTopUpRepository,
    private readonly queryBus: QueryBus,
    private readonly packs: CreditPackCatalog,
    private readonly gateway: StripeGateway,
    private readonly clock: Clock,
  ) {}

  onApplicationBootstrap(): void {
    if (runsWorker(this.config.role) && this.gateway.paymentsEnabled) this.schedule();
  }

  async onModuleDestroy(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.running;
  }

  private schedule(): void {
    this.timer = setTimeout(() => {
      this.running = this.runOnce()
        .catch((error: unknown) =>
          this.logger.error({ error: String(error) }, 'auto top-up round failed'),
        )
        .finally(() => {
          this.running = null;
          if (this.timer) this.schedule();
        });
    }, this.config.workerIntervalMs);
    this.timer.unref();
  }

  /** One round: every flagged account (up to the round's limit), one after the other. */
  async runOnce(): Promise<AutoTopUpRound> {
    const round: AutoTopUpRound = { looked: 0, charged: 0, failures: 0 };
    const accounts = await this.repository.takeChecks(ACCOUNTS_PER_ROUND, this.staleBefore());
    for (const accountId of accounts) {
      round.looked += 1;
      try {
        if (await this.lookAt(accountId)) round.charged += 1;
      } catch (error) {
        round.failures += 1;
        this.logger.error({ accountId, error: String(error) }, 'auto top-up check failed');
      }
    }
    return round;
  }

  private staleBefore(): Date {
    return new Date(
      this.clock.now().getTime() - this.config.autoTopUp.attemptTimeoutSeconds * 1000,
    );
  }

  /** True when a charge was started. */
  private async lookAt(accountId: string): Promise<boolean> {
    const settings = await this.repository.find(accountId);
    const method = await this.repository.paymentMethod(accountId);
    if (!settings?.enabled || !method) return false;
    const { available } = await this.queryBus.execute(new GetBalance(accountId));
    if (available >= settings.threshold) return false;
    const attempt = await this.repository.claimAttempt(
      accountId,
      this.clock.now(),
      this.staleBefore(),
    );
    if (!attempt) return false;
    return this.charge(attempt, method);
  }

  private async charge(
    attempt: ClaimedAttempt,
    method: { customerId: string; paymentMethodId: string },
  ): Promise<boolean> {
    const { accountId, attemptSeq } = attempt;
    const catalog = await this.packs.current();
    const pack = catalog.packs.get(attempt.packId)?.pack;
    const notOnSale = pack ? notOnSaleReason(pack, this.clock.now()) : 'is not in the catalog';
    if (!pack || notOnSale !== null) {
      this.logger.error(
        { accountId, packId: attempt.packId, notOnSale },
        'auto top-up pack not on sale: nothing charged',
      );
      await this.repository.releaseAttempt(accountId, attemptSeq, false);
      return false;
    }
    // The same metadata as a pack Checkout's, so the webhook credits it through the same purchase
    // path (the pack at this catalog revision, the amount checked against it).
    const metadata = {
      accountId,
      packId: pack.packId,
      credits: String(grantedCredits(pack)),
      bonusCredits: String(pack.bonusCredits),
      catalogRevision: String(catalog.revision),
      autoTopUp: 'true',
      attempt: String(attemptSeq),
    };
    try {
      const { paymentIntentId, declined } = await this.gateway.createOffSessionPaymentIntent(
        {
          amount: pack.price.minor,
          currency: pack.price.currency.toLowerCase(),
          customer: method.customerId,
          payment_method: method.paymentMethodId,
          description: `Auto top-up: ${pack.name} (${grantedCredits(pack)} credits)`,
          metadata,
        },
        `credits-ledger-auto-top-up:${accountId}:${attemptSeq}`,
      );
      await this.repository.attemptStarted(accountId, attemptSeq, paymentIntentId);
      this.logger.log(
        { accountId, packId: pack.packId, paymentIntentId, declined, attemptSeq },
        'auto top-up charged off session',
      );
      return true;
    } catch (error) {
      // Stripe could not be asked: nothing was charged under this key yet; retried next round.
      await this.repository.releaseAttempt(accountId, attemptSeq, true);
      throw error;
    }
  }
}
