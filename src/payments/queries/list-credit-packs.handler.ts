import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { CreditPackCatalog } from '../credit-pack-catalog';
import type { CreditPackListResponse } from '../dto';
import { ListCreditPacks } from './list-credit-packs.query';

/** The catalog is configuration, so it answers even when Stripe is not configured. */
@QueryHandler(ListCreditPacks)
export class ListCreditPacksHandler implements IQueryHandler<
  ListCreditPacks,
  CreditPackListResponse
> {
  constructor(private readonly catalog: CreditPackCatalog) {}

  execute(): Promise<CreditPackListResponse> {
    return Promise.resolve({
      data: this.catalog.list().map((pack) => ({
        packId: pack.packId,
        name: pack.name,
        credits: pack.credits,
        price: { minor: pack.price.minor, currency: pack.price.currency },
        popular: pack.popular,
        ...(pack.expiresAfterDays !== null && { expiresAfterDays: pack.expiresAfterDays }),
      })),
    });
  }
}
