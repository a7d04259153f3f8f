import { Controller, Get } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Public } from '../http/auth/scopes.decorator';
import { GetWidgetsConfig } from './get-widgets-config.query';
import { WidgetsConfigResponse } from './widgets-config.dto';

/**
 * Public like the docs: it holds only values meant for browsers (a publishable key is public by
 * Stripe's design), and the widgets need it before they hold any credential of their own.
 */
@ApiTags('widgets')
@Public()
@Controller('v1/widgets')
export class WidgetsConfigController {
  constructor(private readonly queryBus: QueryBus) {}

  @Get('config')
  @ApiOperation({ summary: 'Public settings of the credit widgets (Stripe publishable key)' })
  @ApiOkResponse({ type: WidgetsConfigResponse })
  config(): Promise<WidgetsConfigResponse> {
    return this.queryBus.execute(new GetWidgetsConfig());
  }
}
