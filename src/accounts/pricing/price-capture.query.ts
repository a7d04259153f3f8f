import { Query } from '@nestjs/cqrs';
import type { CaptureCharge } from './charge';

/**
 * The credits of capturing `quantity` of a priced hold, at the hold's card version; null when the
 * hold is not open (the capture's own answer says why). Throws HoldNotPricedError,
 * CaptureOverHoldError or PricingRefusedError.
 */
export class PriceCapture extends Query<CaptureCharge | null> {
  constructor(
    readonly accountId: string,
    readonly reservationId: string,
    readonly quantity: number,
  ) {
    super();
  }
}
