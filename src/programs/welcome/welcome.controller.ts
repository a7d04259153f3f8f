import { Controller, Param, Post, Req, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import {
  ApiCreatedResponse,
  ApiOkResponse,
  ApiOperation,
  ApiProperty,
  ApiTags,
} from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import type { WriteOutcome } from '../../accounts/write-path/write-outcome';
import type { AuthenticatedRequest } from '../../http/auth/api-key.guard';
import { RequireScope } from '../../http/auth/scopes.decorator';
import { callerContext } from '../../http/request-context';
import { AccountRoute, LimitPerKey } from '../../http/route-docs';
import { AccountIdPipe } from '../../http/validation/path-id.pipes';
import { markReplayed } from '../replayed';
import { GiveWelcome } from './give-welcome';

export class WelcomeResponse {
  @ApiProperty() accountId!: string;
  @ApiProperty({ enum: ['signup', 'lead'] }) policy!: string;
  @ApiProperty() blockId!: string;
  @ApiProperty() credits!: number;
  @ApiProperty({ enum: ['promotional'] }) category!: string;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) expiresAt!: string | null;
  @ApiProperty() balance!: number;
  @ApiProperty() available!: number;
  @ApiProperty() reserved!: number;
  @ApiProperty() revision!: number;
  @ApiProperty({ nullable: true, type: String }) position!: string | null;
}

@ApiTags('programs')
@AccountRoute()
@Controller('v1/accounts/:accountId')
export class WelcomeController {
  constructor(private readonly commandBus: CommandBus) {}

  @Post('welcome')
  @RequireScope('grant')
  @LimitPerKey()
  @ApiOperation({
    summary: 'Welcome credits, once ever: the signup policy, or the lead policy for lead: ids',
    description:
      'SIGNUP_CREDITS (LEAD_CREDITS for ids starting with lead:) promotional credits expiring after 365 days. ' +
      'A second call writes nothing and answers the first grant again (200, the same body).',
  })
  @ApiCreatedResponse({ type: WelcomeResponse })
  @ApiOkResponse({ type: WelcomeResponse, description: 'Already welcomed: the first grant' })
  async welcome(
    @Param('accountId', AccountIdPipe) accountId: string,
    @Req() request: AuthenticatedRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<WelcomeResponse> {
    const context = callerContext(request, 'welcome', accountId, {});
    const outcome: WriteOutcome = await this.commandBus.execute(
      new GiveWelcome(accountId, context),
    );
    markReplayed(reply, outcome);
    if (outcome.replayed) void reply.status(200);
    return welcomeResponse(outcome);
  }
}

function welcomeResponse(outcome: WriteOutcome): WelcomeResponse {
  const granted = outcome.events.find((event) => event.type === 'CreditsGranted');
  if (granted?.type !== 'CreditsGranted')
    throw new Error(`welcome of ${outcome.accountId} answered without its grant`);
  const { blockId, credits, category, reason, expiresAt } = granted.data;
  const { accountId, balance, available, reserved, revision, position } = outcome;
  return {
    accountId,
    policy: reason,
    blockId,
    credits,
    category,
    expiresAt: expiresAt ?? null,
    balance,
    available,
    reserved,
    revision,
    position,
  };
}
