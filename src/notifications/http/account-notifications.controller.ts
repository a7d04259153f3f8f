import { Body, Controller, HttpCode, Param, Put } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { RequireScope } from '../../http/auth/scopes.decorator';
import { AccountRoute, BodyRoute, LimitPerKey } from '../../http/route-docs';
import { AccountIdPipe } from '../../http/validation/path-id.pipes';
import { SetAlertSettings, SetProfile } from '../commands/preferences.commands';
import {
  AlertSettingsRequest,
  AlertSettingsResponse,
  ProfileRequest,
  ProfileResponse,
} from './dto';

/** An account's alert settings and contact profile (PRODUCT.md §5); scope grant (or admin). */
@ApiTags('notifications')
@AccountRoute()
@RequireScope('grant')
@Controller('v1/accounts/:accountId')
export class AccountNotificationsController {
  constructor(private readonly commandBus: CommandBus) {}

  @Put('alerts')
  @HttpCode(200)
  @BodyRoute()
  @LimitPerKey()
  @ApiOperation({
    summary: 'Set the balance alerts of an account; a field left out is the configured default',
  })
  @ApiOkResponse({ type: AlertSettingsResponse })
  setAlerts(
    @Param('accountId', AccountIdPipe) accountId: string,
    @Body() body: AlertSettingsRequest,
  ): Promise<AlertSettingsResponse> {
    return this.commandBus.execute(
      new SetAlertSettings(accountId, {
        lowBalance: body.lowBalance ?? null,
        percentOfLastTopUp: body.percentOfLastTopUp ?? null,
        expiringDays: body.expiringDays ?? null,
      }),
    );
  }

  @Put('profile')
  @HttpCode(200)
  @BodyRoute()
  @LimitPerKey()
  @ApiOperation({
    summary:
      "The account's contact for emails; a field left out is cleared (without an email, the Stripe customer's is used)",
  })
  @ApiOkResponse({ type: ProfileResponse })
  setProfile(
    @Param('accountId', AccountIdPipe) accountId: string,
    @Body() body: ProfileRequest,
  ): Promise<ProfileResponse> {
    return this.commandBus.execute(
      new SetProfile(accountId, { email: body.email ?? null, name: body.name ?? null }),
    );
  }
}
