import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { Clock } from '../../shared/clock';
import { CreditPackInvalidError } from '../catalog/catalog-errors';
import { CreditPackCatalog } from '../credit-pack-catalog';
import { StripePriceCheck } from '../stripe-price-check';
import { packViews } from '../credit-pack-view';
import { ChangeCreditPack, type CreditPackChanged } from './change-credit-pack.command';

@CommandHandler(ChangeCreditPack)
export class ChangeCreditPackHandler implements ICommandHandler<
  ChangeCreditPack,
  CreditPackChanged
> {
  constructor(
    private readonly catalog: CreditPackCatalog,
    private readonly clock: Clock,
    private readonly prices: StripePriceCheck,
  ) {}

  async execute({ change, context }: ChangeCreditPack): Promise<CreditPackChanged> {
    // Checked before deciding (it asks Stripe: never inside the catalog's retry loop), for packs
    // that will be sold. Without STRIPE_SECRET_KEY it cannot be: the pack's first checkout checks it.
    if (change.kind !== 'retire' && change.pack.active && this.prices.canCheck) {
      const problem = await this.prices.problem(change.pack, { forSaving: true });
      if (problem !== null)
        throw new CreditPackInvalidError([{ field: 'stripePriceId', message: problem }]);
    }
    const result = await this.catalog.change(change, context);
    // The saving is against the catalog after the change (the change may be the smallest pack).
    const [view] = packViews([result.pack], result.catalog, this.clock.now());
    return {
      pack: {
        ...view,
        revision: result.revision,
        ...(result.position !== null && { position: result.position }),
      },
      created: result.created,
    };
  }
}
