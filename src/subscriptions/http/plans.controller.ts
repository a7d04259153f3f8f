import { Body, Controller, Get, HttpCode, Param, Post, Put, Req } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiBody, ApiOkResponse, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { AuthenticatedRequest } from '../../http/auth/api-key.guard';
import { RequireScope } from '../../http/auth/scopes.decorator';
import { actorOf } from '../../http/request-context';
import { AuthenticatedRoute, BodyRoute, LimitPerKey } from '../../http/route-docs';
import { PathIdPipe } from '../../http/validation/path-id.pipes';
import { SavePlan } from '../commands/save-plan.command';
import type { Plan } from '../plans/plan';
import type { PlanChangeResult } from '../plans/plan-catalog';
import { PLAN_ID_PATTERN } from '../plans/plan-rules';
import { ListPlans } from '../queries/list-plans.query';

export const PlanIdPipe = new PathIdPipe('planId', PLAN_ID_PATTERN, 'is not a plan id');

const PLAN_SCHEMA = {
  type: 'object',
  required: ['name', 'creditsPerPeriod', 'price', 'rollover'],
  properties: {
    planId: { type: 'string', example: 'pro', description: '1–64 of a–z 0–9 - (POST)' },
    name: { type: 'string', example: 'Pro' },
    creditsPerPeriod: { type: 'integer', example: 1000 },
    price: {
      type: 'object',
      properties: {
        minor: { type: 'integer', example: 2900 },
        currency: { type: 'string', example: 'USD' },
      },
    },
    stripePriceId: { type: 'string', nullable: true, example: 'price_1Pro' },
    rollover: {
      type: 'object',
      properties: {
        maxCredits: { type: 'integer', example: 500 },
        expiresAfterPeriods: { type: 'integer', example: 2 },
      },
    },
  },
};

type PlanAnswer = Plan & { position?: string };

function answer({ plan, position }: PlanChangeResult): PlanAnswer {
  return position === null ? plan : { ...plan, position };
}

/**
 * Subscription plans (PRODUCT.md §4, docs/subscriptions.md): read with `read`, changed with `admin`,
 * every change kept in the stream `subscription-plans` with the key that made it.
 */
@ApiTags('subscriptions')
@AuthenticatedRoute()
@Controller('v1/plans')
export class PlansController {
  constructor(
    private readonly commandBus: CommandBus,
    private readonly queryBus: QueryBus,
  ) {}

  @Get()
  @RequireScope('read')
  @ApiOperation({ summary: 'The subscription plans, in the order they were created' })
  @ApiOkResponse({ description: '{ data: [plan] }' })
  list(): Promise<{ data: Plan[] }> {
    return this.queryBus.execute(new ListPlans());
  }

  @Post()
  @HttpCode(201)
  @RequireScope('admin')
  @LimitPerKey()
  @BodyRoute()
  @ApiBody({ schema: PLAN_SCHEMA })
  @ApiOperation({ summary: 'Create a plan (scope admin)' })
  @ApiResponse({ status: 201, description: 'The plan, with the position of the change' })
  @ApiResponse({ status: 400, description: 'validation_failed, errors[] naming each bad field' })
  @ApiResponse({
    status: 409,
    description: 'plan_exists: the planId is taken; concurrency_conflict',
  })
  async create(@Body() body: unknown, @Req() request: AuthenticatedRequest): Promise<PlanAnswer> {
    return answer(await this.commandBus.execute(new SavePlan('create', body, whoOf(request))));
  }

  @Put(':planId')
  @HttpCode(200)
  @RequireScope('admin')
  @LimitPerKey()
  @BodyRoute()
  @ApiBody({ schema: PLAN_SCHEMA })
  @ApiOperation({
    summary: 'Create or replace a plan (scope admin); the body is the whole plan',
    description:
      'A change applies to periods paid from now on; periods already paid keep the terms they were paid under. A PUT of the plan as it is writes nothing.',
  })
  @ApiResponse({ status: 200, description: 'The plan as saved' })
  @ApiResponse({ status: 400, description: 'validation_failed, errors[] naming each bad field' })
  @ApiResponse({ status: 409, description: 'concurrency_conflict' })
  async put(
    @Param('planId', PlanIdPipe) planId: string,
    @Body() body: unknown,
    @Req() request: AuthenticatedRequest,
  ): Promise<PlanAnswer> {
    return answer(await this.commandBus.execute(new SavePlan('put', body, whoOf(request), planId)));
  }
}

function whoOf(request: AuthenticatedRequest) {
  return { actor: actorOf(request), correlationId: String(request.id) };
}
