import { Body, Controller, Get, HttpCode, Put, Query, Req } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import {
  ApiCreatedResponse,
  ApiOkResponse,
  ApiOperation,
  ApiResponse,
  ApiTags,
} from '@nestjs/swagger';
import type { AuthenticatedRequest } from '../../http/auth/api-key.guard';
import { RequireScope } from '../../http/auth/scopes.decorator';
import { AuthenticatedRoute, BodyRoute, LimitPerKey } from '../../http/route-docs';
import { PublishRateCard } from '../commands/publish-rate-card.command';
import { GetRateCard } from '../queries/get-rate-card.query';
import type { RateCard } from '../rate-card/rate-card';
import { PublishRateCardRequest, RateCardQuery, RateCardResponse } from './dto';
import { publisherOf } from './publisher';

/** The rate card (PRODUCT.md §1, docs/pricing.md): read any version, publish a new one. */
@ApiTags('pricing')
@AuthenticatedRoute()
@Controller('v1/rate-card')
export class RateCardController {
  constructor(
    private readonly commandBus: CommandBus,
    private readonly queryBus: QueryBus,
  ) {}

  @Get()
  @RequireScope('read')
  @ApiOperation({
    summary: 'The current rate card, or an older version (?version=N)',
    description:
      'Version 0 is the default card, served until the first publication. Every published version stays readable.',
  })
  @ApiOkResponse({ type: RateCardResponse })
  @ApiResponse({ status: 400, description: 'validation_failed: version is not a whole number' })
  @ApiResponse({ status: 404, description: 'not_found: no card was published with this version' })
  get(@Query() query: RateCardQuery): Promise<RateCard> {
    const version = query.version === undefined ? undefined : Number(query.version);
    return this.queryBus.execute(new GetRateCard(version));
  }

  @Put()
  @HttpCode(201)
  @RequireScope('admin')
  @BodyRoute()
  @LimitPerKey()
  @ApiOperation({
    summary: 'Publish a new rate card (the next version); it replaces the current one',
    description:
      'Quotes already given and spends already made keep the price of the version they were priced with. ' +
      'A card with problems is refused as a whole, listing every problem (errors[] naming each field), and nothing is published.',
  })
  @ApiCreatedResponse({ type: RateCardResponse })
  @ApiResponse({ status: 400, description: 'validation_failed, errors[] naming each bad field' })
  @ApiResponse({
    status: 409,
    description:
      'concurrency_conflict: other publications kept winning for COMMAND_MAX_ATTEMPTS attempts (safe to retry)',
  })
  publish(
    @Body() body: PublishRateCardRequest,
    @Req() request: AuthenticatedRequest,
  ): Promise<RateCard> {
    return this.commandBus.execute(new PublishRateCard(body.operations, publisherOf(request)));
  }
}
