import { Body, Controller, Param, Post, Req, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import {
  ApiCreatedResponse,
  ApiOkResponse,
  ApiOperation,
  ApiProperty,
  ApiTags,
} from '@nestjs/swagger';
import { IsString, Matches } from 'class-validator';
import type { FastifyReply } from 'fastify';
import type { WriteOutcome } from '../../accounts/write-path/write-outcome';
import type { AuthenticatedRequest } from '../../http/auth/api-key.guard';
import { RequireScope } from '../../http/auth/scopes.decorator';
import { callerContext } from '../../http/request-context';
import { AccountRoute, WriteRoute } from '../../http/route-docs';
import { IsReason } from '../../http/validation/ledger-validators';
import { AccountIdPipe } from '../../http/validation/path-id.pipes';
import { ACCOUNT_ID_PATTERN } from '../../ledger/limits';
import { InvalidProgramRequestError } from '../errors';
import { markReplayed } from '../replayed';
import { MergeLead } from './merge-lead';

export class MergeRequest {
  @ApiProperty({ example: 'user:ann', description: "The user's account the lead's credits go to" })
  @IsString()
  @Matches(ACCOUNT_ID_PATTERN, {
    message: 'must be 1–128 characters of A–Z a–z 0–9 . _ : @ -, and not . or ..',
  })
  into!: string;

  @IsReason({
    required: false,
    example: 'lead signed up as user:ann',
    description: "The operator's reason, recorded as the `note` of the merge's events",
  })
  reason?: string;
}

export class MergeResponse {
  @ApiProperty() mergeId!: string;
  @ApiProperty({
    description: 'Credits moved (also the id of their transfer: GET /v1/transfers/{mergeId})',
  })
  credits!: number;
  @ApiProperty() into!: string;
  @ApiProperty() accountId!: string;
  @ApiProperty() revision!: number;
  @ApiProperty({ nullable: true, type: String }) position!: string | null;
}

@ApiTags('programs')
@AccountRoute()
@Controller('v1/accounts/:accountId')
export class MergeController {
  constructor(private readonly commandBus: CommandBus) {}

  @Post('merge')
  @RequireScope('grant')
  @WriteRoute()
  @ApiOperation({
    summary: 'Merge a lead into a user: release its holds, move every credit left, close it',
    description:
      'Blocks keep their category and expiry. Later writes to the lead are 409 account_closed; reads still work. ' +
      'A second merge answers the first again (200) and moves nothing.',
  })
  @ApiCreatedResponse({ type: MergeResponse })
  @ApiOkResponse({ type: MergeResponse, description: 'Already merged: the first merge' })
  async merge(
    @Param('accountId', AccountIdPipe) leadId: string,
    @Body() body: MergeRequest,
    @Req() request: AuthenticatedRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<MergeResponse> {
    if (body.into === leadId)
      throw new InvalidProgramRequestError('into', 'must be another account than the lead');
    const context = callerContext(request, 'merge', leadId, body);
    const outcome: WriteOutcome = await this.commandBus.execute(
      new MergeLead(leadId, body.into, body.reason, context),
    );
    markReplayed(reply, outcome);
    if (outcome.replayed) void reply.status(200);
    return mergeResponse(outcome);
  }
}

function mergeResponse(outcome: WriteOutcome): MergeResponse {
  const closed = outcome.events.find((event) => event.type === 'AccountClosed');
  if (closed?.type !== 'AccountClosed')
    throw new Error(`merge of ${outcome.accountId} answered without AccountClosed`);
  const { mergeId, credits, into } = closed.data;
  return {
    mergeId,
    credits,
    into,
    accountId: outcome.accountId,
    revision: outcome.revision,
    position: outcome.position,
  };
}
