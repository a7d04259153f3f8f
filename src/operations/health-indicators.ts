import { Inject, Injectable } from '@nestjs/common';
import {
  HealthIndicatorService,
  type HealthCheckAttempt,
  type HealthIndicatorResult,
} from '@nestjs/terminus';
import { DATABASE, type Database } from '../database/database';
import { EVENT_STORE, type EventStore } from '../event-store/event-store.port';

/** How long a readiness check may take before it counts as down (docs/operations.md "Health"). */
export const CHECK_TIMEOUT_MS = 2_000;

/**
 * The database, as terminus health indicators (the Nest convention for custom checks): readiness
 * asks the pool for an answer; liveness asks whether the embedded PostgreSQL could be kept running.
 */
@Injectable()
export class DatabaseHealthIndicator {
  constructor(
    @Inject(DATABASE) private readonly database: Database,
    private readonly health: HealthIndicatorService,
  ) {}

  /** Up when the pool answers `SELECT 1` within CHECK_TIMEOUT_MS; down with the reason otherwise. */
  answers<const Key extends string>(key: Key): HealthCheckAttempt<Key> {
    return this.health
      .check(key)
      .attempt(async () => {
        await this.database.pool.query('SELECT 1');
      })
      .withTimeout(CHECK_TIMEOUT_MS);
  }

  /**
   * Down (with the reason) once the embedded PostgreSQL died and could not be restarted. A restart
   * in progress is still up: readiness says 503 meanwhile. Always up with DATABASE_URL: an external
   * server's outages are readiness, not liveness.
   */
  keptRunning<const Key extends string>(key: Key): HealthIndicatorResult<Key> {
    const embedded = this.database.health();
    const indicator = this.health.check(key);
    return embedded.status === 'failed'
      ? indicator.down({ reason: embedded.reason })
      : indicator.up();
  }
}

/** The event store as a terminus health indicator: its own ping, bounded by CHECK_TIMEOUT_MS. */
@Injectable()
export class EventStoreHealthIndicator {
  constructor(
    @Inject(EVENT_STORE) private readonly eventStore: EventStore,
    private readonly health: HealthIndicatorService,
  ) {}

  /** Up when the event store answers its ping in time; down with the reason otherwise. */
  answers<const Key extends string>(key: Key): HealthCheckAttempt<Key> {
    return this.health
      .check(key)
      .attempt(() => this.eventStore.ping())
      .withTimeout(CHECK_TIMEOUT_MS);
  }
}
