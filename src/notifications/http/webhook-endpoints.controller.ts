import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import {
  ApiAcceptedResponse,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiResponse,
  ApiTags,
} from '@nestjs/swagger';
import { RequireScope } from '../../http/auth/scopes.decorator';
import { AuthenticatedRoute, BodyRoute, LimitPerKey } from '../../http/route-docs';
import {
  CreateWebhookEndpoint,
  DeleteWebhookEndpoint,
  RetryWebhookDelivery,
} from '../commands/webhook-endpoint.commands';
import { ListWebhookDeliveries, ListWebhookEndpoints } from '../queries/webhook-endpoint.queries';
import {
  CreatedWebhookEndpointResponse,
  CreateWebhookEndpointRequest,
  DeliveriesQuery,
  DeliveryListResponse,
  WebhookEndpointListResponse,
} from './dto';
import { DeliveryIdPipe, EndpointIdPipe } from './id-pipes';

const NOT_FOUND = ApiResponse({ status: 404, description: 'not_found' });

/** Outbound webhooks (PRODUCT.md §5, docs/notifications.md); scope admin. */
@ApiTags('notifications')
@AuthenticatedRoute()
@RequireScope('admin')
@Controller('v1/webhook-endpoints')
export class WebhookEndpointsController {
  constructor(
    private readonly commandBus: CommandBus,
    private readonly queryBus: QueryBus,
  ) {}

  @Post()
  @BodyRoute()
  @LimitPerKey()
  @ApiOperation({
    summary: 'Subscribe a URL to event types; the signing secret is in this answer only',
    description:
      'Deliveries follow Standard Webhooks: webhook-id, webhook-timestamp, webhook-signature (v1, HMAC-SHA256 of "id.timestamp.body").',
  })
  @ApiCreatedResponse({ type: CreatedWebhookEndpointResponse })
  @ApiResponse({
    status: 400,
    description:
      'validation_failed; url_not_allowed: not http(s), or resolves to a loopback, private, link-local or metadata address',
  })
  create(@Body() body: CreateWebhookEndpointRequest): Promise<CreatedWebhookEndpointResponse> {
    return this.commandBus.execute(
      new CreateWebhookEndpoint(body.url, body.events, body.description ?? null),
    );
  }

  @Get()
  @ApiOperation({ summary: 'The webhook endpoints (without their secrets)' })
  @ApiOkResponse({ type: WebhookEndpointListResponse })
  async list(): Promise<WebhookEndpointListResponse> {
    return { data: await this.queryBus.execute(new ListWebhookEndpoints()) };
  }

  @Delete(':id')
  @HttpCode(204)
  @LimitPerKey()
  @ApiOperation({ summary: 'Delete an endpoint and its deliveries' })
  @ApiNoContentResponse()
  @NOT_FOUND
  async delete(@Param('id', EndpointIdPipe) id: string): Promise<void> {
    await this.commandBus.execute(new DeleteWebhookEndpoint(id));
  }

  @Get(':id/deliveries')
  @ApiOperation({ summary: "The endpoint's deliveries, newest first (limit 1–200, default 50)" })
  @ApiOkResponse({ type: DeliveryListResponse })
  @NOT_FOUND
  async deliveries(
    @Param('id', EndpointIdPipe) id: string,
    @Query() query: DeliveriesQuery,
  ): Promise<DeliveryListResponse> {
    return { data: await this.queryBus.execute(new ListWebhookDeliveries(id, query.limit ?? 50)) };
  }

  @Post(':id/deliveries/:deliveryId/retry')
  @HttpCode(202)
  @LimitPerKey()
  @ApiOperation({
    summary: 'Send a delivery again now, with a fresh retry schedule (enables a disabled endpoint)',
  })
  @ApiAcceptedResponse({ description: 'Queued; the delivery is pending' })
  @NOT_FOUND
  async retry(
    @Param('id', EndpointIdPipe) id: string,
    @Param('deliveryId', DeliveryIdPipe) deliveryId: string,
  ): Promise<{ id: string; status: 'pending' }> {
    await this.commandBus.execute(new RetryWebhookDelivery(id, deliveryId));
    return { id: deliveryId, status: 'pending' };
  }
}
