import { Body, Controller, Param, Post, Req, Res } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { newId } from '../../shared/ids';
import type { AuthenticatedRequest } from '../../http/auth/api-key.guard';
import { RequireScope } from '../../http/auth/scopes.decorator';
import { AccountIdPipe } from '../../http/validation/path-id.pipes';
import { GrantRequest, PurchaseRequest } from './dto/requests';
import { GrantResponse, PurchaseResponse } from './dto/responses';
import { LedgerWriter } from './ledger-writer';
import { callerContext } from '../../http/request-context';
import type { GrantCreditsCommand, PurchaseCreditsCommand } from '../../ledger/commands';
import { GrantCredits, PurchaseCredits } from '../commands';
import { AccountRoute, WriteRoute } from '../../http/route-docs';
import { grantResponse, purchaseResponse } from './write-responses';

@ApiTags('grants')
@AccountRoute()
@Controller('v1/accounts/:accountId')
export class GrantsController {
  constructor(private readonly writer: LedgerWriter) {}

  @Post('grants')
  @RequireScope('grant')
  @WriteRoute()
  @ApiOperation({ summary: 'Give credits without payment (signup, promotion, compensation, …)' })
  @ApiCreatedResponse({ type: GrantResponse })
  async grant(
    @Param('accountId', AccountIdPipe) accountId: string,
    @Body() body: GrantRequest,
    @Req() request: AuthenticatedRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<GrantResponse> {
    const grant: GrantCreditsCommand = {
      kind: 'grant',
      blockId: newId('block'),
      credits: body.credits,
      category: body.category,
      reason: body.reason,
      expiresAt: normalizeInstant(body.expiresAt),
      description: body.description,
    };
    const context = callerContext(request, grant.kind, accountId, body);
    const outcome = await this.writer.send(new GrantCredits(accountId, grant, context), reply);
    return grantResponse(outcome);
  }

  @Post('purchases')
  @RequireScope('grant')
  @WriteRoute()
  @ApiOperation({
    summary: 'Record a purchase paid outside Stripe; once per providerRef in the whole ledger',
    description:
      'A repeat on the same account with the same credits and amount answers 200 with the first purchase ' +
      '(its revision and position); other figures, or a providerRef recorded on another account, are 409 purchase_conflict.',
  })
  @ApiCreatedResponse({ type: PurchaseResponse })
  @ApiOkResponse({
    type: PurchaseResponse,
    description: 'This providerRef was already recorded for this purchase: the first answer',
  })
  async purchase(
    @Param('accountId', AccountIdPipe) accountId: string,
    @Body() body: PurchaseRequest,
    @Req() request: AuthenticatedRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<PurchaseResponse> {
    const purchase: PurchaseCreditsCommand = {
      kind: 'purchase',
      blockId: newId('block'),
      purchaseId: newId('purchase'),
      credits: body.credits,
      amountPaid: { minor: body.amountPaid, currency: body.currency },
      packId: body.packId,
      provider: 'manual',
      providerRef: body.providerRef,
      expiresAt: normalizeInstant(body.expiresAt),
    };
    const context = callerContext(request, purchase.kind, accountId, body);
    const outcome = await this.writer.send(
      new PurchaseCredits(accountId, purchase, context),
      reply,
    );
    if (outcome.duplicatePurchase) void reply.status(200);
    return purchaseResponse(outcome);
  }
}

function normalizeInstant(value: string | undefined): string | undefined {
  return value === undefined ? undefined : new Date(value).toISOString();
}
