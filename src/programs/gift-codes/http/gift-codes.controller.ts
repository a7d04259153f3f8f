import { Body, Controller, Param, Post, Req, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiCreatedResponse, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import type { AuthenticatedRequest } from '../../../http/auth/api-key.guard';
import { RequireScope } from '../../../http/auth/scopes.decorator';
import { actorOf, callerContext } from '../../../http/request-context';
import {
  AccountRoute,
  AuthenticatedRoute,
  BodyRoute,
  LimitPerKey,
  WriteRoute,
} from '../../../http/route-docs';
import { AccountIdPipe } from '../../../http/validation/path-id.pipes';
import { MintGiftCodes, type MintedGiftCodes } from '../commands/mint-gift-codes';
import { RedeemCode, type RedeemedCode } from '../commands/redeem-code';
import {
  MintGiftCodesRequest,
  MintGiftCodesResponse,
  RedeemGiftCodeRequest,
  RedeemGiftCodeResponse,
} from './dto';

const IDEMPOTENT_REPLAYED_HEADER = 'Idempotent-Replayed';

/** Gift codes (PRODUCT.md §2, docs/programs.md "Gift codes"): minting and redeeming. */
@ApiTags('gift codes')
@Controller('v1')
export class GiftCodesController {
  constructor(private readonly commandBus: CommandBus) {}

  @Post('gift-codes')
  @RequireScope('admin')
  @AuthenticatedRoute()
  @BodyRoute()
  @LimitPerKey()
  @ApiOperation({
    summary: 'Mint gift codes (1 to 1,000), promotional or funded by an account',
    description:
      'The codes are in this answer only: the service keeps their SHA-256. With `fundedBy`, the credits leave ' +
      "that account at once (402 insufficient_credits if it lacks them, and no code is made); a code's expiry is " +
      'then at most the earliest expiry of the credits it carries. No Idempotency-Key: a retry mints new codes.',
  })
  @ApiCreatedResponse({ type: MintGiftCodesResponse })
  @ApiResponse({ status: 400, description: 'validation_failed, errors[] naming each bad field' })
  @ApiResponse({ status: 402, description: 'insufficient_credits: the funding account lacks them' })
  mint(
    @Body() body: MintGiftCodesRequest,
    @Req() request: AuthenticatedRequest,
  ): Promise<MintedGiftCodes> {
    return this.commandBus.execute(
      new MintGiftCodes(body.credits, body.count ?? 1, body.expiresAt, body.fundedBy, {
        correlationId: String(request.id),
        actor: actorOf(request),
      }),
    );
  }

  @Post('accounts/:accountId/gift-codes/redeem')
  @RequireScope('spend')
  @AccountRoute()
  @WriteRoute()
  @ApiOperation({
    summary: 'Redeem a gift code into the account (once per code, ledger-wide)',
    description:
      'After 5 wrong codes within a minute (RATE_LIMIT_GIFT_CODE_GUESSES_PER_MINUTE_PER_ACCOUNT), every try ' +
      'of the account gets 429 rate_limited until that minute is over.',
  })
  @ApiCreatedResponse({ type: RedeemGiftCodeResponse })
  @ApiResponse({ status: 404, description: 'gift_code_not_found (counts as a wrong guess)' })
  @ApiResponse({ status: 409, description: 'gift_code_redeemed' })
  @ApiResponse({ status: 410, description: 'gift_code_expired' })
  @ApiResponse({ status: 429, description: 'rate_limited: too many wrong codes, Retry-After' })
  async redeem(
    @Param('accountId', AccountIdPipe) accountId: string,
    @Body() body: RedeemGiftCodeRequest,
    @Req() request: AuthenticatedRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<RedeemGiftCodeResponse> {
    const context = callerContext(request, 'redeem-gift-code', accountId, body);
    const { outcome, redeemed }: RedeemedCode = await this.commandBus.execute(
      new RedeemCode(accountId, body.code, context),
    );
    if (outcome.replayed) void reply.header(IDEMPOTENT_REPLAYED_HEADER, 'true');
    return {
      credits: redeemed.data.credits,
      balance: outcome.balance,
      available: outcome.available,
      blocks: redeemed.data.blocks.map((block) => ({
        blockId: block.blockId,
        credits: block.credits,
        category: block.category,
        expiresAt: block.expiresAt ?? null,
      })),
      revision: outcome.revision,
      position: outcome.position,
    };
  }
}
