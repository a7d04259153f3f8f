import { Body, Controller, Param, Post, Req, Res } from '@nestjs/common';
import { ApiCreatedResponse, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { newId } from '../../shared/ids';
import type { AuthenticatedRequest } from '../../http/auth/api-key.guard';
import { RequireScope } from '../../http/auth/scopes.decorator';
import { AccountIdPipe } from '../../http/validation/path-id.pipes';
import { RefundRequest, SpendRequest } from './dto/requests';
import { RefundResponse, SpendResponse } from './dto/responses';
import { LedgerWriter } from './ledger-writer';
import { callerContext } from '../../http/request-context';
import type { RefundSpendCommand, SpendCreditsCommand } from '../../ledger/commands';
import { RefundSpend, SpendCredits } from '../commands';
import { AccountRoute, NOT_FOUND, WriteRoute } from '../../http/route-docs';
import { refundResponse, spendResponse } from './write-responses';

@ApiTags('spends')
@AccountRoute()
@Controller('v1/accounts/:accountId')
export class SpendsController {
  constructor(private readonly writer: LedgerWriter) {}

  @Post('spends')
  @RequireScope('spend')
  @WriteRoute()
  @ApiOperation({ summary: 'Spend credits (drawn from blocks in drawdown order)' })
  @ApiCreatedResponse({ type: SpendResponse })
  @ApiResponse({ status: 402, description: 'insufficient_credits, with available and required' })
  async spend(
    @Param('accountId', AccountIdPipe) accountId: string,
    @Body() body: SpendRequest,
    @Req() request: AuthenticatedRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<SpendResponse> {
    const spend: SpendCreditsCommand = {
      kind: 'spend',
      spendId: newId('spend'),
      credits: body.credits,
      description: body.description,
      reference: body.reference,
      details: body.metadata,
    };
    const context = callerContext(request, spend.kind, accountId, body);
    const outcome = await this.writer.send(new SpendCredits(accountId, spend, context), reply);
    return spendResponse(outcome);
  }

  @Post('refunds')
  @RequireScope('spend')
  @WriteRoute()
  @ApiOperation({
    summary: 'Give back a spend, or part of it; credits return to the blocks they came from',
  })
  @ApiCreatedResponse({ type: RefundResponse })
  @NOT_FOUND('spend')
  async refund(
    @Param('accountId', AccountIdPipe) accountId: string,
    @Body() body: RefundRequest,
    @Req() request: AuthenticatedRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<RefundResponse> {
    const refund: RefundSpendCommand = {
      kind: 'refund',
      refundId: newId('refund'),
      spendId: body.spendId,
      credits: body.credits,
      reason: body.reason,
    };
    const context = callerContext(request, refund.kind, accountId, body);
    const outcome = await this.writer.send(new RefundSpend(accountId, refund, context), reply);
    return refundResponse(outcome);
  }
}
