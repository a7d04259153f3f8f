import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { AppConfig } from '../../config/app-config';
import { notOnSaleReason } from '../../payments/catalog/credit-pack';
import { CreditPackCatalog } from '../../payments/credit-pack-catalog';
import { Clock } from '../../shared/clock';
import { AutoTopUpRepository } from '../auto-top-up/auto-top-up.repository';
import type { AutoTopUpResponse } from '../auto-top-up/auto-top-up.dto';
import { GetAutoTopUp } from './get-auto-top-up.query';

/**
 * The account's auto top-up and whether a payment method is saved for it. Before any PUT the
 * defaults are what a settings form should start from: off, the low-balance threshold, the popular
 * pack on sale.
 */
@QueryHandler(GetAutoTopUp)
export class GetAutoTopUpHandler implements IQueryHandler<GetAutoTopUp, AutoTopUpResponse> {
  constructor(
    private readonly repository: AutoTopUpRepository,
    private readonly packs: CreditPackCatalog,
    private readonly config: AppConfig,
    private readonly clock: Clock,
  ) {}

  async execute({ accountId }: GetAutoTopUp): Promise<AutoTopUpResponse> {
    const [settings, method] = await Promise.all([
      this.repository.find(accountId),
      this.repository.paymentMethod(accountId),
    ]);
    const hasPaymentMethod = method !== null;
    if (settings) return { ...settings, hasPaymentMethod };
    return {
      accountId,
      enabled: false,
      threshold: Math.max(1, this.config.lowBalanceThreshold),
      packId: await this.defaultPackId(),
      consecutiveFailures: 0,
      hasPaymentMethod,
    };
  }

  private async defaultPackId(): Promise<string | null> {
    const now = this.clock.now();
    const onSale = [...(await this.packs.current()).packs.values()]
      .map((entry) => entry.pack)
      .filter((pack) => notOnSaleReason(pack, now) === null);
    return (onSale.find((pack) => pack.popular) ?? onSale[0])?.packId ?? null;
  }
}
