import { Body, Controller, HttpCode, Param, Post, Req, Res } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import {
  ApiBody,
  ApiCreatedResponse,
  ApiOkResponse,
  ApiOperation,
  ApiResponse,
  ApiTags,
} from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { DEFAULT_RESERVATION_TTL_SECONDS } from '../../ledger/limits';
import { newId } from '../../shared/ids';
import type { AuthenticatedRequest } from '../../http/auth/api-key.guard';
import { RequireScope } from '../../http/auth/scopes.decorator';
import { AccountIdPipe, ReservationIdPipe } from '../../http/validation/path-id.pipes';
import { CaptureRequest, ReleaseRequest, ReserveRequest } from './dto/requests';
import { CaptureResponse, ReleaseResponse, ReservationResponse } from './dto/responses';
import { LedgerWriter } from './ledger-writer';
import { callerContext } from '../../http/request-context';
import type {
  CaptureReservationCommand,
  ReleaseReservationCommand,
  ReserveCreditsCommand,
} from '../../ledger/commands';
import { CaptureReservation, ReleaseReservation, ReserveCredits } from '../commands';
import { AccountRoute, NOT_FOUND, WriteRoute } from '../../http/route-docs';

const RESERVATION_CONFLICT = ApiResponse({
  status: 409,
  description:
    'reservation_expired (past its deadline, released) or reservation_closed (already captured or released); ' +
    'idempotency_key_reused; concurrency_conflict after COMMAND_MAX_ATTEMPTS lost races',
});
import { captureResponse, releaseResponse, reservationResponse } from './write-responses';
import { PriceCapture } from '../pricing/price-capture.query';
import { PriceCharge } from '../pricing/price-charge.query';
import { chargeRequestOf } from './charge-request';
import { PRICED_CHARGE_RESPONSES } from './priced-charge-docs';

function plainReserve(body: ReserveRequest): ReserveCreditsCommand {
  return {
    kind: 'reserve',
    reservationId: newId('reservation'),
    credits: body.credits!,
    ttlSeconds: body.ttlSeconds ?? DEFAULT_RESERVATION_TTL_SECONDS,
    description: body.description,
  };
}

@ApiTags('reservations')
@AccountRoute()
@Controller('v1/accounts/:accountId/reservations')
export class ReservationsController {
  constructor(
    private readonly writer: LedgerWriter,
    private readonly queryBus: QueryBus,
  ) {}

  @Post()
  @RequireScope('spend')
  @WriteRoute()
  @ApiOperation({
    summary: 'Hold credits for an operation in flight (default 15 minutes, at most 24 hours)',
    description:
      'Hold `credits`, or the price of an `operation` at the current rate card (its capture may then name the ' +
      "quantity actually used, priced at the hold's card version), or a quote's credits (`quoteId`, used once).",
  })
  @ApiCreatedResponse({ type: ReservationResponse })
  @ApiResponse({
    status: 402,
    description:
      'insufficient_credits: fewer credits available than the hold, with available and required; ' +
      'minimum_available, with available and minimumAvailable',
  })
  @PRICED_CHARGE_RESPONSES
  async reserve(
    @Param('accountId', AccountIdPipe) accountId: string,
    @Body() body: ReserveRequest,
    @Req() request: AuthenticatedRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<ReservationResponse> {
    const reserve =
      body.credits === undefined ? await this.pricedReserve(accountId, body) : plainReserve(body);
    const context = callerContext(request, reserve.kind, accountId, body);
    const outcome = await this.writer.send(new ReserveCredits(accountId, reserve, context), reply);
    return reservationResponse(outcome);
  }

  /** Priced before it is sent; minimumAvailable and the quote's single use are the decider's. */
  private async pricedReserve(
    accountId: string,
    body: ReserveRequest,
  ): Promise<ReserveCreditsCommand> {
    const { credits, description, ...priced } = await this.queryBus.execute(
      new PriceCharge(accountId, chargeRequestOf(body)),
    );
    return {
      kind: 'reserve',
      reservationId: newId('reservation'),
      credits,
      ttlSeconds: body.ttlSeconds ?? DEFAULT_RESERVATION_TTL_SECONDS,
      description: body.description ?? description,
      ...priced,
    };
  }

  @Post(':reservationId/capture')
  @RequireScope('spend')
  @WriteRoute()
  @ApiOperation({
    summary: 'Spend all or part of a hold; the rest is released in the same write',
    description:
      "A hold made by operation may name the `quantity` actually used: it is priced at the hold's rate card version.",
  })
  @ApiCreatedResponse({ type: CaptureResponse })
  @NOT_FOUND('reservation')
  @RESERVATION_CONFLICT
  async capture(
    @Param('accountId', AccountIdPipe) accountId: string,
    @Param('reservationId', ReservationIdPipe) reservationId: string,
    @Body() body: CaptureRequest,
    @Req() request: AuthenticatedRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<CaptureResponse> {
    // A quantity is priced at the hold's card version; a hold that is not open is captured
    // unpriced, and the decider answers why (not found, closed, expired).
    const priced =
      body.quantity === undefined
        ? null
        : await this.queryBus.execute(new PriceCapture(accountId, reservationId, body.quantity));
    const capture: CaptureReservationCommand = {
      kind: 'capture',
      reservationId,
      spendId: newId('spend'),
      credits: priced?.credits ?? body.credits,
      description: body.description,
      ...(priced && { operation: priced.operation }),
    };
    // The path's reservation id is part of what was asked: the same body for another hold is
    // another request.
    const context = callerContext(request, capture.kind, accountId, { reservationId, ...body });
    const outcome = await this.writer.send(
      new CaptureReservation(accountId, capture, context),
      reply,
    );
    return captureResponse(outcome);
  }

  @Post(':reservationId/release')
  @HttpCode(200)
  @RequireScope('spend')
  @WriteRoute()
  @ApiOperation({
    summary: 'Give a hold back in full',
    description:
      "The body is optional: `{ reason }`, the operator's reason, is recorded as the event's `note`.",
  })
  @ApiBody({ type: ReleaseRequest, required: false })
  @ApiOkResponse({ type: ReleaseResponse })
  @NOT_FOUND('reservation')
  @RESERVATION_CONFLICT
  async release(
    @Param('accountId', AccountIdPipe) accountId: string,
    @Param('reservationId', ReservationIdPipe) reservationId: string,
    @Body() body: ReleaseRequest,
    @Req() request: AuthenticatedRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<ReleaseResponse> {
    const release: ReleaseReservationCommand = {
      kind: 'release',
      reservationId,
      ...(body.reason !== undefined && { note: body.reason }),
    };
    // As a refund's: the reason is part of what was asked (the same key with another reason is
    // another request); without one, the hash is the one releases always had.
    const context = callerContext(request, release.kind, accountId, { reservationId, ...body });
    const outcome = await this.writer.send(
      new ReleaseReservation(accountId, release, context),
      reply,
    );
    return releaseResponse(outcome);
  }
}
