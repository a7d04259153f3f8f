import { Body, Controller, Param, Post, Req, Res } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
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
import { PriceCharge } from '../pricing/price-charge.query';
import { chargeRequestOf } from './charge-request';
import { PRICED_CHARGE_RESPONSES } from './priced-charge-docs';

function plainSpend(body: SpendRequest): SpendCreditsCommand {
  return {
    kind: 'spend',
    spendId: newId('spend'),
    credits: body.credits!,
    description: body.description!,
    reference: body.reference,
    details: body.metadata,
    ...(body.member !== undefined && { member: body.member }),
  };
}

@ApiTags('spends')
@AccountRoute()
@Controller('v1/accounts/:accountId')
export class SpendsController {
  constructor(
    private readonly writer: LedgerWriter,
    private readonly queryBus: QueryBus,
  ) {}

  @Post('spends')
  @RequireScope('spend')
  @WriteRoute()
  @ApiOperation({
    summary: 'Spend credits (drawn from blocks in drawdown order)',
    description:
      'Pay `credits`, or name an `operation` (with `quantity` and `dimensions`) that the server prices at the ' +
      'current rate card, or a `quoteId` that pays exactly the quoted credits once; one of the three.',
  })
  @ApiCreatedResponse({ type: SpendResponse })
  @ApiResponse({
    status: 402,
    description:
      'insufficient_credits, with available and required; minimum_available (the operation needs more ' +
      'credits available to start), with available and minimumAvailable; member_limit_exceeded (a pool ' +
      'member over its limit), with member, limit, used, period and periodStart',
  })
  @ApiResponse({
    status: 403,
    description:
      'not_a_member: `member` is not a member of this organization pool; or forbidden (scope)',
  })
  @PRICED_CHARGE_RESPONSES
  async spend(
    @Param('accountId', AccountIdPipe) accountId: string,
    @Body() body: SpendRequest,
    @Req() request: AuthenticatedRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<SpendResponse> {
    // Plain credits, the hot path, cost no more than before: no await, no read (docs/pricing.md).
    const spend =
      body.credits === undefined ? await this.pricedSpend(accountId, body) : plainSpend(body);
    // The hash covers the whole body, so a retry names the same operation, quantity and
    // dimensions (or quote) as the first request, not only the same credits.
    const context = callerContext(request, spend.kind, accountId, body);
    const outcome = await this.writer.send(new SpendCredits(accountId, spend, context), reply);
    return spendResponse(outcome);
  }

  /** Priced before it is sent; minimumAvailable and the quote's single use are the decider's. */
  private async pricedSpend(accountId: string, body: SpendRequest): Promise<SpendCreditsCommand> {
    const { credits, description, ...priced } = await this.queryBus.execute(
      new PriceCharge(accountId, chargeRequestOf(body)),
    );
    return {
      kind: 'spend',
      spendId: newId('spend'),
      credits,
      description: body.description ?? description,
      reference: body.reference,
      details: body.metadata,
      ...(body.member !== undefined && { member: body.member }),
      ...priced,
    };
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
