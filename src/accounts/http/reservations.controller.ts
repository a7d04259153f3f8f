import { Body, Controller, HttpCode, Param, Post, Req, Res } from '@nestjs/common';
import {
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
import { CaptureRequest, ReserveRequest } from './dto/requests';
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

@ApiTags('reservations')
@AccountRoute()
@Controller('v1/accounts/:accountId/reservations')
export class ReservationsController {
  constructor(private readonly writer: LedgerWriter) {}

  @Post()
  @RequireScope('spend')
  @WriteRoute()
  @ApiOperation({
    summary: 'Hold credits for an operation in flight (default 15 minutes, at most 24 hours)',
  })
  @ApiCreatedResponse({ type: ReservationResponse })
  @ApiResponse({
    status: 402,
    description:
      'insufficient_credits: fewer credits available than the hold, with available and required',
  })
  async reserve(
    @Param('accountId', AccountIdPipe) accountId: string,
    @Body() body: ReserveRequest,
    @Req() request: AuthenticatedRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<ReservationResponse> {
    const reserve: ReserveCreditsCommand = {
      kind: 'reserve',
      reservationId: newId('reservation'),
      credits: body.credits,
      ttlSeconds: body.ttlSeconds ?? DEFAULT_RESERVATION_TTL_SECONDS,
      description: body.description,
    };
    const context = callerContext(request, reserve.kind, accountId, body);
    const outcome = await this.writer.send(new ReserveCredits(accountId, reserve, context), reply);
    return reservationResponse(outcome);
  }

  @Post(':reservationId/capture')
  @RequireScope('spend')
  @WriteRoute()
  @ApiOperation({ summary: 'Spend all or part of a hold; the rest is released in the same write' })
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
    const capture: CaptureReservationCommand = {
      kind: 'capture',
      reservationId,
      spendId: newId('spend'),
      credits: body.credits,
      description: body.description,
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
  @ApiOperation({ summary: 'Give a hold back in full' })
  @ApiOkResponse({ type: ReleaseResponse })
  @NOT_FOUND('reservation')
  @RESERVATION_CONFLICT
  async release(
    @Param('accountId', AccountIdPipe) accountId: string,
    @Param('reservationId', ReservationIdPipe) reservationId: string,
    @Req() request: AuthenticatedRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<ReleaseResponse> {
    const release: ReleaseReservationCommand = { kind: 'release', reservationId };
    const context = callerContext(request, release.kind, accountId, { reservationId });
    const outcome = await this.writer.send(
      new ReleaseReservation(accountId, release, context),
      reply,
    );
    return releaseResponse(outcome);
  }
}
