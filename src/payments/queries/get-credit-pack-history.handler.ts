import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { CreditPackNotFoundError } from '../catalog/catalog-errors';
import { CreditPackCatalog, toCatalogEvent } from '../credit-pack-catalog';
import type { CreditPackHistoryResponse } from '../credit-pack.dto';
import { GetCreditPackHistory } from './get-credit-pack-history.query';

@QueryHandler(GetCreditPackHistory)
export class GetCreditPackHistoryHandler implements IQueryHandler<
  GetCreditPackHistory,
  CreditPackHistoryResponse
> {
  constructor(private readonly catalog: CreditPackCatalog) {}

  async execute({ packId }: GetCreditPackHistory): Promise<CreditPackHistoryResponse> {
    // current() first: a catalog never used yet is seeded, so the seed is history like any change.
    if (!(await this.catalog.current()).packs.has(packId))
      throw new CreditPackNotFoundError(packId);
    const recorded = await this.catalog.history(packId);
    return {
      data: recorded.map((event) => {
        const { type, data, metadata } = toCatalogEvent(event);
        return {
          revision: event.revision,
          type,
          occurredAt: metadata.occurredAt,
          actor: { kind: metadata.actor.kind, id: metadata.actor.id },
          requestId: metadata.correlationId,
          changed: type === 'CreditPackSaved' ? data.changed : ['active'],
          pack: { ...data.pack },
        };
      }),
    };
  }
}
