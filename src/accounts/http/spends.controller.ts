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
    const outcome = await this.writer.execute(
      request,
      reply,
      accountId,
      {
        kind: 'spend',
        spendId: newId('spend'),
        credits: body.credits,
        description: body.description,
        reference: body.reference,
        details: body.metadata,
      },
      body,
    );
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
    const outcome = await this.writer.execute(
      request,
      reply,
      accountId,
      {
        kind: 'refund',
        refundId: newId('refund'),
        spendId: body.spendId,
        credits: body.credits,
        reason: body.reason,
      },
      body,
    );
    return refundResponse(outcome);
  }
}
