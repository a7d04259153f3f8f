import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { Clock } from '../../shared/clock';
import { CreditPackCatalog } from '../credit-pack-catalog';
import type { CreditPackListResponse } from '../credit-pack.dto';
import { packViews, packsOnSale } from '../credit-pack-view';
import { ListCreditPacks } from './list-credit-packs.query';

/** The catalog lives in the event store, so it answers even when Stripe is not configured. */
@QueryHandler(ListCreditPacks)
export class ListCreditPacksHandler implements IQueryHandler<
  ListCreditPacks,
  CreditPackListResponse
> {
  constructor(
    private readonly catalog: CreditPackCatalog,
    private readonly clock: Clock,
  ) {}

  async execute({ includeInactive }: ListCreditPacks): Promise<CreditPackListResponse> {
    const state = await this.catalog.current();
    const now = this.clock.now();
    const listed = includeInactive
      ? [...state.packs.values()].map(({ pack }) => pack)
      : packsOnSale(state, now);
    return { data: packViews(listed, state, now) };
  }
}
