import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { Clock } from '../../shared/clock';
import { CreditPackCatalog } from '../credit-pack-catalog';
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
  ) {}

  async execute({ change, context }: ChangeCreditPack): Promise<CreditPackChanged> {
    const result = await this.catalog.change(change, context);
    // The saving is against the catalog as it is after the change (the change may be the smallest pack).
    const state = await this.catalog.current();
    const [view] = packViews([result.pack], state, this.clock.now());
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
