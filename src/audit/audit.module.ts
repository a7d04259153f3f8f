import { Module } from '@nestjs/common';
import { EventsController } from './events.controller';
import { GetEventsHandler } from './queries/get-events.handler';

/**
 * Audit over HTTP: an account's raw events (GetEvents). The finance audit itself (audit.ts, book.ts)
 * is plain code the CLI runs (`npm run ledger -- audit`), outside Nest.
 */
@Module({
  controllers: [EventsController],
  providers: [GetEventsHandler],
})
export class AuditModule {}
