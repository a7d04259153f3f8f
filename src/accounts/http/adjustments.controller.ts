import { Body, Controller, Param, Post, Req, Res } from '@nestjs/common';
import { ApiCreatedResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { newId } from '../../shared/ids';
import type { AuthenticatedRequest } from '../../http/auth/api-key.guard';
import { RequireScope } from '../../http/auth/scopes.decorator';
import { AccountIdPipe } from '../../http/validation/path-id.pipes';
import { callerContext } from '../../http/request-context';
import { AccountRoute, WriteRoute } from '../../http/route-docs';
import type { AdjustCreditsCommand } from '../../ledger/commands';
import { AdjustCredits } from '../commands';
import { AdjustmentRequest } from './dto/requests';
import { AdjustmentResponse } from './dto/responses';
import { LedgerWriter } from './ledger-writer';
import { adjustmentResponse } from './write-responses';

/** The console's "adjust down" (issue 18): an admin debit with a reason, never below zero available. */
@ApiTags('adjustments')
@AccountRoute()
@Controller('v1/accounts/:accountId')
export class AdjustmentsController {
  constructor(private readonly writer: LedgerWriter) {}

  @Post('adjustments')
  @RequireScope('admin')
  @WriteRoute()
  @ApiOperation({
    summary: 'Take credits off an account by hand, with a reason (admin)',
    description:
      'Drawn from available credits in the order of a spend; 402 insufficient_credits when more than available is asked ' +
      '(nothing is written). Recorded as CreditsAdjusted: a history row of type adjusted, an adjustment in the audit, never usage.',
  })
  @ApiCreatedResponse({ type: AdjustmentResponse })
  async adjust(
    @Param('accountId', AccountIdPipe) accountId: string,
    @Body() body: AdjustmentRequest,
    @Req() request: AuthenticatedRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<AdjustmentResponse> {
    const adjustment: AdjustCreditsCommand = {
      kind: 'adjust',
      adjustmentId: newId('adjustment'),
      credits: body.credits,
      reason: body.reason,
      ...(body.description !== undefined && { description: body.description }),
    };
    const context = callerContext(request, adjustment.kind, accountId, body);
    const outcome = await this.writer.send(
      new AdjustCredits(accountId, adjustment, context),
      reply,
    );
    return adjustmentResponse(outcome);
  }
}
