import { Body, Controller, Get, HttpCode, Param, Put } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiBody, ApiOkResponse, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { AcceptsCustomerToken } from '../../http/auth/customer-access';
import { RequireScope } from '../../http/auth/scopes.decorator';
import { AccountRoute, BodyRoute, LimitPerKey } from '../../http/route-docs';
import { AccountIdPipe } from '../../http/validation/path-id.pipes';
import { SetAutoTopUp } from '../commands/set-auto-top-up.command';
import { GetAutoTopUp } from '../queries/get-auto-top-up.query';
import { AutoTopUpResponse } from '../auto-top-up/auto-top-up.dto';

/**
 * Auto top-up (PRODUCT.md §4). Scope `spend`: the product backend that lets a user buy packs lets
 * them set this up; it charges a method the user saved for it at a Checkout, with their consent.
 * A customer token for the account may read and change it too: the "Auto top-up settings" widget
 * (UI.md) is the user consenting in the browser.
 */
@ApiTags('subscriptions')
@AccountRoute()
@Controller('v1/accounts/:accountId')
export class AutoTopUpController {
  constructor(
    private readonly commandBus: CommandBus,
    private readonly queryBus: QueryBus,
  ) {}

  @Get('auto-top-up')
  @RequireScope('read')
  @AcceptsCustomerToken()
  @ApiOperation({
    summary:
      "The account's auto top-up and whether a payment method is saved for it (the defaults before any PUT)",
  })
  @ApiOkResponse({ type: AutoTopUpResponse })
  get(@Param('accountId', AccountIdPipe) accountId: string): Promise<AutoTopUpResponse> {
    return this.queryBus.execute(new GetAutoTopUp(accountId));
  }

  @Put('auto-top-up')
  @HttpCode(200)
  @RequireScope('spend')
  @AcceptsCustomerToken()
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
  @ApiOkResponse({ type: AutoTopUpResponse })
  @ApiResponse({
    status: 409,
    description: 'no_payment_method: buy a pack once with saveForAutoTopUp: true first',
  })
  set(
    @Param('accountId', AccountIdPipe) accountId: string,
    @Body() body: unknown,
  ): Promise<AutoTopUpResponse> {
    return this.commandBus.execute(new SetAutoTopUp(accountId, body));
  }
}
