import { Controller, Get, Res, ServiceUnavailableException } from '@nestjs/common';
import {
  HealthCheck,
  HealthCheckService,
  type HealthCheckResult,
  type HealthIndicatorFunction,
} from '@nestjs/terminus';
import { ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Public } from '../http/auth/scopes.decorator';
import { DatabaseHealthIndicator, EventStoreHealthIndicator } from './health-indicators';

/** A load balancer or client polling readiness: ask again once another round of checks makes sense. */
const NOT_READY_RETRY_AFTER_SECONDS = 5;

/** One readiness check as the API shows it (docs/operations.md "Health"). */
type CheckStatus = { status: 'up' } | { status: 'down'; error: string };

/**
 * Liveness and readiness, checked by terminus (HealthCheckService and the indicators in
 * health-indicators.ts). The answers keep this service's documented shape rather than terminus's
 * own (`{ status, info, error, details }`): `{ status: 'ok' | 'unavailable', checks }` for
 * readiness, with Retry-After on 503, and `{ status: 'ok' | 'failed', reason }` for liveness.
 */
@ApiTags('operations')
@Public()
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly database: DatabaseHealthIndicator,
    private readonly eventStore: EventStoreHealthIndicator,
  ) {}

  @Get('live')
  @HealthCheck({ noCache: true, swaggerDocumentation: false })
  @ApiOperation({
    summary:
      'The process is worth keeping: 503 once its embedded PostgreSQL died and could not be restarted',
  })
  async live(
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<{ status: 'ok' } | { status: 'failed'; reason: string }> {
    const result = await this.check([() => this.database.keptRunning('embeddedPostgres')]);
    const embedded = result.details.embeddedPostgres;
    if (embedded?.status !== 'down') return { status: 'ok' };
    void reply.status(503);
    return { status: 'failed', reason: textOf(embedded.reason) };
  }

  @Get('ready')
  @HealthCheck({ noCache: true, swaggerDocumentation: false })
  @ApiOperation({ summary: 'The database and the event store answer (503 otherwise)' })
  @ApiResponse({ status: 200, description: 'Ready: every check is up' })
  @ApiResponse({
    status: 503,
    description: 'Not ready: the failing checks and why',
    headers: {
      'Retry-After': { description: 'Seconds before asking again', schema: { type: 'integer' } },
    },
  })
  async ready(
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<{ status: 'ok' | 'unavailable'; checks: Record<string, CheckStatus> }> {
    const result = await this.check([
      () => this.database.answers('database'),
      () => this.eventStore.answers('eventStore'),
    ]);
    const checks = {
      database: statusOf(result, 'database'),
      eventStore: statusOf(result, 'eventStore'),
    };
    // Not ready while any check is down, and while the application shuts down (terminus's own).
    const ready = result.status === 'ok';
    if (!ready) void reply.status(503).header('retry-after', String(NOT_READY_RETRY_AFTER_SECONDS));
    return { status: ready ? 'ok' : 'unavailable', checks };
  }

  /** terminus's verdict, down or not: it throws a 503 carrying the result when a check is down. */
  private async check(indicators: HealthIndicatorFunction[]): Promise<HealthCheckResult> {
    try {
      return await this.health.check(indicators);
    } catch (error) {
      if (error instanceof ServiceUnavailableException)
        return error.getResponse() as HealthCheckResult;
      throw error;
    }
  }
}

function statusOf(result: HealthCheckResult, key: string): CheckStatus {
  const detail = result.details[key];
  if (detail?.status === 'up') return { status: 'up' };
  return { status: 'down', error: textOf(detail?.message) };
}

/** A reason from an indicator's details (typed `any` by terminus): the text, or a placeholder. */
function textOf(value: unknown): string {
  return typeof value === 'string' && value.length > 0 ? value : 'unreachable';
}
