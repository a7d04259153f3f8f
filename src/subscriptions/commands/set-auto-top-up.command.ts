import { Command } from '@nestjs/cqrs';
import type { AutoTopUpSettings } from '../auto-top-up/auto-top-up.repository';

/** PUT /v1/accounts/{id}/auto-top-up: `{ enabled, threshold, packId }`, checked by the handler. */
export class SetAutoTopUp extends Command<AutoTopUpSettings> {
  constructor(
    readonly accountId: string,
    readonly body: unknown,
  ) {
    super();
  }
}
