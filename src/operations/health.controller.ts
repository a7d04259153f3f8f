import { Controller, Get, Inject, Res } from '@nestjs/common';
import { ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Database, DATABASE } from '../database/database';
import { EVENT_STORE, type EventStore } from '../event-store/event-store.port';
import { Public } from '../http/auth/scopes.decorator';

const CHECK_TIMEOUT_MS = 2_000;
/** A load balancer or client polling readiness: ask again once another round of checks makes sense. */
const NOT_READY_RETRY_AFTER_SECONDS = 5;

type CheckStatus = { status: 'up' } | { status: 'down'; error: string };

@ApiTags('operations')
@Public()
@Controller('health')
export class HealthController {
  constructor(
    @Inject(DATABASE) private readonly database: Database,
    @Inject(EVENT_STORE) private readonly eventStore: EventStore,
  ) {}

  @Get('live')
  @ApiOperation({
    summary:
      'The process is worth keeping: 503 once its embedded PostgreSQL died and could not be restarted',
  })
  live(
    @Res({ passthrough: true }) reply: FastifyReply,
  ): { status: 'ok' } | { status: 'failed'; reason: string } {
    // A restart in progress is still alive: readiness already says 503 meanwhile.
    const embedded = this.database.health();
    if (embedded.status !== 'failed') return { status: 'ok' };
    void reply.status(503);
    return { status: 'failed', reason: embedded.reason };
  }

  @Get('ready')
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
    const [database, eventStore] = await Promise.all([
      check(async () => void (await this.database.pool.query('SELECT 1'))),
      check(() => this.eventStore.ping()),
    ]);
    const checks = { database, eventStore };
    const ready = Object.values(checks).every((result) => result.status === 'up');
    if (!ready) void reply.status(503).header('retry-after', String(NOT_READY_RETRY_AFTER_SECONDS));
    return { status: ready ? 'ok' : 'unavailable', checks };
  }
}

async function check(probe: () => Promise<void>): Promise<CheckStatus> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`no answer within ${CHECK_TIMEOUT_MS} ms`)),
      CHECK_TIMEOUT_MS,
    );
  });
  try {
    await Promise.race([probe(), timeout]);
    return { status: 'up' };
  } catch (error) {
    return { status: 'down', error: error instanceof Error ? error.message : 'unreachable' };
  } finally {
    clearTimeout(timer);
  }
}
