import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import type { CaptureCharge } from './charge';
import { ChargePricer } from './charge-pricer';
import { PriceCapture } from './price-capture.query';

@QueryHandler(PriceCapture)
export class PriceCaptureHandler implements IQueryHandler<PriceCapture, CaptureCharge | null> {
  constructor(private readonly pricer: ChargePricer) {}

  execute({ accountId, reservationId, quantity }: PriceCapture): Promise<CaptureCharge | null> {
    return this.pricer.capture(accountId, reservationId, quantity);
  }
}
