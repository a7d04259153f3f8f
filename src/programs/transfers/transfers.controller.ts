import { Body, Controller, Get, Param, Post, Query, Req, Res } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import type { TransferRow } from '../../../projections/transfers.projection';
import type { AuthenticatedRequest } from '../../http/auth/api-key.guard';
import { RequireScope } from '../../http/auth/scopes.decorator';
import { callerContext } from '../../http/request-context';
import { AuthenticatedRoute, WriteRoute } from '../../http/route-docs';
import { InvalidProgramRequestError } from '../errors';
import { markReplayed } from '../replayed';
import {
  TransferQuery,
  TransferRequestBody,
  TransferResponse,
  TransferIdPipe,
  TransferStatusResponse,
} from './dto';
import { GetTransfer } from './get-transfer';
import { StartTransfer, type StartedTransfer } from './start-transfer';

@ApiTags('programs')
@AuthenticatedRoute()
@Controller('v1/transfers')
export class TransfersController {
  constructor(
    private readonly commandBus: CommandBus,
    private readonly queryBus: QueryBus,
  ) {}

  @Post()
  @RequireScope('grant')
  @WriteRoute()
  @ApiOperation({
    summary: 'Move credits from one account to another (blocks keep their category and expiry)',
    description:
      'Exactly once per Idempotency-Key; 402 insufficient_credits when the source has too little available. ' +
      '`status` is `completed` when the destination took the credits in, `returned` when it declined them ' +
      '(closed, or over the balance limit), `pending` when the second step is still under way.',
  })
  @ApiCreatedResponse({ type: TransferResponse })
  async transfer(
    @Body() body: TransferRequestBody,
    @Req() request: AuthenticatedRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<TransferResponse> {
    if (body.from === body.to)
      throw new InvalidProgramRequestError('to', 'must be another account than from');
    const context = callerContext(request, 'transfer', body.from, body);
    const started: StartedTransfer = await this.commandBus.execute(
      new StartTransfer(
        { from: body.from, to: body.to, credits: body.credits, reason: body.reason },
        context,
      ),
    );
    markReplayed(reply, started.outcome);
    const { transferId, credits, to, reason } = started.sent;
    return {
      transferId,
      status: started.status,
      credits,
      from: started.from,
      to,
      reason,
      revision: started.outcome.revision,
      position: started.position,
    };
  }

  @Get(':transferId')
  @RequireScope('read')
  @ApiOperation({
    summary: 'A transfer (or merge) and its status: pending, completed or returned (projected)',
  })
  @ApiOkResponse({ type: TransferStatusResponse })
  get(
    @Param('transferId', TransferIdPipe) transferId: string,
    @Query() query: TransferQuery,
  ): Promise<TransferRow> {
    return this.queryBus.execute(new GetTransfer(transferId, query.after));
  }
}
