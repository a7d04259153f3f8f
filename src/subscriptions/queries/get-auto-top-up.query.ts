import { Query } from '@nestjs/cqrs';
import type { AutoTopUpResponse } from '../auto-top-up/auto-top-up.dto';

/** GET /v1/accounts/{id}/auto-top-up: the saved settings, or the defaults before any PUT. */
export class GetAutoTopUp extends Query<AutoTopUpResponse> {
  constructor(readonly accountId: string) {
    super();
  }
}
