import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { MAX_BALANCE_CREDITS } from '../../ledger/limits';
import { notOnSaleReason } from '../../payments/catalog/credit-pack';
import { CreditPackCatalog } from '../../payments/credit-pack-catalog';
import { Clock } from '../../shared/clock';
import { AutoTopUpRepository } from '../auto-top-up/auto-top-up.repository';
import type { AutoTopUpResponse } from '../auto-top-up/auto-top-up.dto';
import {
  NoPaymentMethodError,
  SubscriptionRequestInvalidError,
  type InvalidField,
} from '../errors';
import { SetAutoTopUp } from './set-auto-top-up.command';

const FIELDS = new Set(['enabled', 'threshold', 'packId']);

/**
 * Saves an account's auto top-up. Turning it on needs a payment method saved at a previous pack
 * Checkout (`saveForAutoTopUp: true`), else 409 `no_payment_method`; the pack must be on sale.
 * Turning it on also asks the worker to look at the balance once, so an account already below
 * its threshold is topped up without waiting for its next spend.
 */
@CommandHandler(SetAutoTopUp)
export class SetAutoTopUpHandler implements ICommandHandler<SetAutoTopUp, AutoTopUpResponse> {
  constructor(
    private readonly repository: AutoTopUpRepository,
    private readonly packs: CreditPackCatalog,
    private readonly clock: Clock,
  ) {}

  async execute({ accountId, body }: SetAutoTopUp): Promise<AutoTopUpResponse> {
    const invalid: InvalidField[] = [];
    if (typeof body !== 'object' || body === null || Array.isArray(body))
      throw new SubscriptionRequestInvalidError([
        { field: 'body', message: 'must be a JSON object' },
      ]);
    const { enabled, threshold, packId } = body as Record<string, unknown>;
    for (const key of Object.keys(body))
      if (!FIELDS.has(key)) invalid.push({ field: key, message: 'is not an auto top-up field' });
    if (typeof enabled !== 'boolean')
      invalid.push({ field: 'enabled', message: 'must be true or false' });
    if (
      !Number.isSafeInteger(threshold) ||
      (threshold as number) < 1 ||
      (threshold as number) > MAX_BALANCE_CREDITS
    )
      invalid.push({
        field: 'threshold',
        message: `must be an integer from 1 to ${MAX_BALANCE_CREDITS}`,
      });
    if (typeof packId !== 'string') {
      invalid.push({ field: 'packId', message: 'must be a packId of GET /v1/credit-packs' });
    } else {
      const pack = (await this.packs.current()).packs.get(packId)?.pack;
      const notOnSale = pack ? notOnSaleReason(pack, this.clock.now()) : 'is not in the catalog';
      if (notOnSale !== null) invalid.push({ field: 'packId', message: notOnSale });
    }
    if (invalid.length > 0) throw new SubscriptionRequestInvalidError(invalid);
    const hasPaymentMethod = (await this.repository.paymentMethod(accountId)) !== null;
    if (enabled === true && !hasPaymentMethod) throw new NoPaymentMethodError(accountId);
    const saved = await this.repository.save(
      {
        accountId,
        enabled: enabled as boolean,
        threshold: threshold as number,
        packId: packId as string,
      },
      this.clock.now(),
    );
    return { ...saved, hasPaymentMethod };
  }
}
