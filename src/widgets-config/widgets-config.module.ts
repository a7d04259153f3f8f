import { Module } from '@nestjs/common';
import { GetWidgetsConfigHandler } from './get-widgets-config.handler';
import { WidgetsConfigController } from './widgets-config.controller';

/**
 * What the browser side of the service needs from the server side: the widgets' public settings
 * (this module's route) and the built widgets themselves at /app/ (serve-widgets.ts, installed by
 * create-app.ts on the HTTP server). docs/widgets.md.
 */
@Module({
  controllers: [WidgetsConfigController],
  providers: [GetWidgetsConfigHandler],
})
export class WidgetsConfigModule {}
