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
    const outcome = await this.writer.execute(
      request,
      reply,
      accountId,
      {
        kind: 'grant',
        blockId: newId('block'),
        credits: body.credits,
        category: body.category,
        reason: body.reason,
        expiresAt: normalizeInstant(body.expiresAt),
        description: body.description,
      },
      body,
    );
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
    const outcome = await this.writer.execute(
      request,
      reply,
      accountId,
      {
        kind: 'purchase',
        blockId: newId('block'),
        purchaseId: newId('purchase'),
        credits: body.credits,
        amountPaid: { minor: body.amountPaid, currency: body.currency },
        packId: body.packId,
        provider: 'manual',
        providerRef: body.providerRef,
        expiresAt: normalizeInstant(body.expiresAt),
      },
      body,
    );
    if (outcome.duplicatePurchase) void reply.status(200);
    return purchaseResponse(outcome);
  }
}

function normalizeInstant(value: string | undefined): string | undefined {
  return value === undefined ? undefined : new Date(value).toISOString();
}
