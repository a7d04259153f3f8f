import { Body, Controller, HttpCode, Param, Put } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBody, ApiOkResponse, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { RequireScope } from '../../http/auth/scopes.decorator';
import { AccountRoute, BodyRoute, LimitPerKey } from '../../http/route-docs';
import { AccountIdPipe } from '../../http/validation/path-id.pipes';
import type { AutoTopUpSettings } from '../auto-top-up/auto-top-up.repository';
import { SetAutoTopUp } from '../commands/set-auto-top-up.command';

/**
 * Auto top-up (PRODUCT.md §4). Scope `spend`: the product backend that lets a user buy packs lets
 * them set this up; it charges a method the user saved for it at a Checkout, with their consent.
 */
@ApiTags('subscriptions')
@AccountRoute()
@Controller('v1/accounts/:accountId')
export class AutoTopUpController {
  constructor(private readonly commandBus: CommandBus) {}

  @Put('auto-top-up')
  @HttpCode(200)
  @RequireScope('spend')
  @LimitPerKey()
  @BodyRoute()
  @ApiBody({
    schema: {
      type: 'object',
      required: ['enabled', 'threshold', 'packId'],
      properties: {
        enabled: { type: 'boolean' },
        threshold: {
          type: 'integer',
          example: 100,
          description: 'Top up when available falls below this',
        },
        packId: { type: 'string', example: 'standard' },
      },
    },
  })
  @ApiOperation({
    summary:
      'Turn auto top-up on or off: a pack is charged off session when available credits fall below the threshold',
  })
  @ApiOkResponse({ description: '{ accountId, enabled, threshold, packId, consecutiveFailures }' })
  @ApiResponse({
    status: 409,
    description: 'no_payment_method: buy a pack once with saveForAutoTopUp: true first',
  })
  set(
    @Param('accountId', AccountIdPipe) accountId: string,
    @Body() body: unknown,
  ): Promise<AutoTopUpSettings> {
    return this.commandBus.execute(new SetAutoTopUp(accountId, body));
  }
}
