import { Command } from '@nestjs/cqrs';
import type { AutoTopUpResponse } from '../auto-top-up/auto-top-up.dto';

/** PUT /v1/accounts/{id}/auto-top-up: `{ enabled, threshold, packId }`, checked by the handler. */
export class SetAutoTopUp extends Command<AutoTopUpResponse> {
  constructor(
    readonly accountId: string,
    readonly body: unknown,
  ) {
    super();
  }
}
