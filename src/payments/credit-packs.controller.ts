import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Param,
  Post,
  Put,
  Query,
  Req,
  Res,
} from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import {
  ApiCreatedResponse,
  ApiHeader,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiQuery,
  ApiResponse,
  ApiTags,
} from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import type { AuthenticatedRequest } from '../http/auth/api-key.guard';
import { hasScope, OPEN_MODE_PRINCIPAL } from '../http/auth/api-key-authenticator';
import { AcceptsCustomerToken } from '../http/auth/customer-access';
import { RequireScope } from '../http/auth/scopes.decorator';
import { HttpProblemException } from '../http/errors/http-problem.exception';
import { problem, validationProblem } from '../http/errors/problem';
import { callerContext } from '../http/request-context';
import { AuthenticatedRoute, BodyRoute, LimitPerKey } from '../http/route-docs';
import { PathIdPipe } from '../http/validation/path-id.pipes';
import type { CreditPack } from './catalog/credit-pack';
import { SEEDED_PACK_ID_PATTERN } from './catalog/pack-rules';
import { ChangeCreditPack } from './commands/change-credit-pack.command';
import {
  CreateCreditPackRequest,
  CreditPackChangeResponse,
  CreditPackHistoryResponse,
  CreditPackListResponse,
  PutCreditPackRequest,
  type CreditPackFields,
} from './credit-pack.dto';
import { GetCreditPackHistory } from './queries/get-credit-pack-history.query';
import { ListCreditPacks } from './queries/list-credit-packs.query';

/** A pack in a path: a new one must match PACK_ID_PATTERN (the catalog checks that on create). */
const PackIdPipe = new PathIdPipe('packId', SEEDED_PACK_ID_PATTERN, 'is not a pack id');

/** `?include=inactive` or nothing (a string in, so the global pipe leaves it as sent). */
function includesInactive(include: string | undefined): boolean {
  if (include === undefined) return false;
  if (include === 'inactive') return true;
  throw new HttpProblemException(
    validationProblem([{ field: 'include', message: 'must be inactive (or left out)' }]),
  );
}

const PACK_ID_PARAM = ApiParam({
  name: 'packId',
  example: 'bulk',
  description: 'New packs: 1–64 characters of a–z 0–9 -',
});

/**
 * The credit-pack catalog (docs/stripe.md "The pack catalog"). Reads need `read`, like every route
 * but docs, health, metrics and the webhook (API.md); changes need `admin` and are recorded with
 * the key that made them; the audit trail needs `finance`, the scope of audits.
 */
@ApiTags('payments')
@AuthenticatedRoute()
@Controller('v1/credit-packs')
export class CreditPacksController {
  constructor(
    private readonly commandBus: CommandBus,
    private readonly queryBus: QueryBus,
  ) {}

  @Get()
  @RequireScope('read')
  // The purchase modal lists the packs; include=inactive still needs admin.
  @AcceptsCustomerToken({ from: 'none' })
  @ApiOperation({
    summary: 'The credit packs on sale now, each with savingsPercent (prices from the catalog)',
  })
  @ApiQuery({
    name: 'include',
    required: false,
    enum: ['inactive'],
    description: 'Scope admin: every pack of the catalog, retired and scheduled ones too',
  })
  @ApiOkResponse({ type: CreditPackListResponse })
  @ApiResponse({ status: 400, description: 'validation_failed: include is not inactive' })
  list(
    @Query('include') include: string | undefined,
    @Req() request: AuthenticatedRequest,
  ): Promise<CreditPackListResponse> {
    const includeInactive = includesInactive(include);
    if (includeInactive && !hasScope(request.principal ?? OPEN_MODE_PRINCIPAL, 'admin'))
      throw new HttpProblemException(
        problem('forbidden', 'include=inactive needs an API key with the "admin" scope'),
      );
    return this.queryBus.execute(new ListCreditPacks(includeInactive));
  }

  @Post()
  @RequireScope('admin')
  @LimitPerKey()
  @BodyRoute()
  @ApiOperation({ summary: 'Add a pack to the catalog (scope admin)' })
  @ApiHeader({
    name: 'Idempotency-Key',
    required: false,
    description: 'A repeat of the same request answers the first result; another request: 409',
  })
  @ApiCreatedResponse({ type: CreditPackChangeResponse })
  @ApiResponse({ status: 400, description: 'validation_failed, errors[] naming each bad field' })
  @ApiResponse({
    status: 409,
    description:
      'credit_pack_exists (the packId is taken, also by a retired pack: use PUT), idempotency_key_reused, concurrency_conflict',
  })
  async create(
    @Body() body: CreateCreditPackRequest,
    @Req() request: AuthenticatedRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<CreditPackChangeResponse> {
    const context = callerContext(request, 'credit-pack.create', body.packId, body);
    const { pack, created } = await this.commandBus.execute(
      new ChangeCreditPack({ kind: 'create', pack: packOf(body.packId, body) }, context),
    );
    // A repeat under the same Idempotency-Key answers as the first did: 201.
    void reply.status(created ? 201 : 200);
    return pack;
  }

  @Put(':packId')
  @RequireScope('admin')
  @LimitPerKey()
  @BodyRoute()
  @PACK_ID_PARAM
  @ApiOperation({
    summary: 'Create or replace a pack (scope admin): 201 created, 200 replaced',
    description:
      'The body is the whole pack: a field left out takes its default (bonusCredits 0, popular false, active true, no stripePriceId, no window, never expiring). A PUT of the pack as it is writes nothing.',
  })
  @ApiCreatedResponse({ type: CreditPackChangeResponse, description: 'The pack was created' })
  @ApiOkResponse({ type: CreditPackChangeResponse, description: 'The pack was replaced' })
  @ApiResponse({ status: 400, description: 'validation_failed, errors[] naming each bad field' })
  @ApiResponse({ status: 409, description: 'idempotency_key_reused, concurrency_conflict' })
  async put(
    @Param('packId', PackIdPipe) packId: string,
    @Body() body: PutCreditPackRequest,
    @Req() request: AuthenticatedRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<CreditPackChangeResponse> {
    if (body.packId !== undefined && body.packId !== packId)
      throw new HttpProblemException(
        validationProblem([
          { field: 'packId', message: "must be the path's packId (or left out)" },
        ]),
      );
    const context = callerContext(request, 'credit-pack.put', packId, body);
    const { pack, created } = await this.commandBus.execute(
      new ChangeCreditPack({ kind: 'put', pack: packOf(packId, body) }, context),
    );
    void reply.status(created ? 201 : 200);
    return pack;
  }

  @Delete(':packId')
  @RequireScope('admin')
  @LimitPerKey()
  @HttpCode(200)
  @PACK_ID_PARAM
  @ApiOperation({
    summary: 'Retire a pack (scope admin): no longer sold or listed, never forgotten',
    description:
      'Answers the pack, now inactive. Sessions created before still credit what they recorded. PUT with active: true brings it back.',
  })
  @ApiOkResponse({ type: CreditPackChangeResponse })
  @ApiResponse({ status: 404, description: 'not_found: the catalog never had this pack' })
  @ApiResponse({ status: 409, description: 'concurrency_conflict' })
  async retire(
    @Param('packId', PackIdPipe) packId: string,
    @Req() request: AuthenticatedRequest,
  ): Promise<CreditPackChangeResponse> {
    const context = callerContext(request, 'credit-pack.retire', packId, null);
    const { pack } = await this.commandBus.execute(
      new ChangeCreditPack({ kind: 'retire', packId }, context),
    );
    return pack;
  }

  @Get(':packId/history')
  @RequireScope('finance')
  @PACK_ID_PARAM
  @ApiOperation({
    summary: 'Every change to a pack, oldest first: who (API key), when, what (scope finance)',
  })
  @ApiOkResponse({ type: CreditPackHistoryResponse })
  @ApiResponse({ status: 404, description: 'not_found: the catalog never had this pack' })
  history(@Param('packId', PackIdPipe) packId: string): Promise<CreditPackHistoryResponse> {
    return this.queryBus.execute(new GetCreditPackHistory(packId));
  }
}

/** The whole pack a request describes: what it leaves out takes its default. */
function packOf(packId: string, body: CreditPackFields): CreditPack {
  return {
    packId,
    name: body.name,
    credits: body.credits,
    bonusCredits: body.bonusCredits ?? 0,
    price: { minor: body.price.minor, currency: body.price.currency },
    stripePriceId: body.stripePriceId ?? null,
    popular: body.popular ?? false,
    active: body.active ?? true,
    availableFrom: normalizeInstant(body.availableFrom),
    availableUntil: normalizeInstant(body.availableUntil),
    expiresAfterDays: body.expiresAfterDays ?? null,
  };
}

function normalizeInstant(value: string | null | undefined): string | null {
  return value === undefined || value === null ? null : new Date(value).toISOString();
}
