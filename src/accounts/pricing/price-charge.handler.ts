import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import type { Charge } from './charge';
import { ChargePricer } from './charge-pricer';
import { PriceCharge } from './price-charge.query';

@QueryHandler(PriceCharge)
export class PriceChargeHandler implements IQueryHandler<PriceCharge, Charge> {
  constructor(private readonly pricer: ChargePricer) {}

  execute({ accountId, request }: PriceCharge): Promise<Charge> {
    return this.pricer.charge(accountId, request);
  }
}
