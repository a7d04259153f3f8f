import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
import { AppConfig, type ProcessRole } from '../../src/config/app-config';
import { DATABASE, type Database } from '../../src/database/database';
import { EVENT_STORE, type EventStore } from '../../src/event-store/event-store.port';
import { PROJECTIONS } from '../registry';
import { createLiveLogTail, createProjectorSource } from '../runtime/create-source';
import type { LiveLogTail } from '../runtime/live-tail';
import { Projector, type ProjectorObserver } from '../runtime/projector';
import { ProjectionMetrics } from './projection-metrics';
import { ProjectionWaiter } from './projection-waiter';
import { ReactorRegistry } from './reactor-registry';

/** The roles that run projectors (ARCHITECTURE.md "Processes"): `all` (npm start) and `projector`. */
export function runsProjectors(role: ProcessRole): boolean {
  return role === 'all' || role === 'projector';
}

/**
 * Starts one projector per projection and per registered reactor when the process role includes projecting, and stops them
 * (finishing the batch in flight, releasing the locks) when the application closes, before the
 * database is closed.
 */
@Injectable()
export class ProjectionRuntime implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('Projector');
  private projectors: Projector[] = [];
  private tail: LiveLogTail | null = null;

  constructor(
    private readonly config: AppConfig,
    @Inject(DATABASE) private readonly database: Database,
    @Inject(EVENT_STORE) private readonly eventStore: EventStore,
    private readonly metrics: ProjectionMetrics,
    private readonly waiter: ProjectionWaiter,
    private readonly reactors: ReactorRegistry,
  ) {}

  onApplicationBootstrap(): void {
    if (!runsProjectors(this.config.role)) return;
    const observer: ProjectorObserver = {
      committed: (projection, info) => {
        this.metrics.committed(projection, info);
        this.waiter.committed(projection, info.position);
      },
      passed: (projection, position) => this.waiter.committed(projection, position),
      activeChanged: (projection, active) => this.metrics.activeChanged(projection, active),
      failed: (projection) => this.metrics.failed(projection),
    };
    const log = {
      log: (message: string) => this.logger.log(message),
      warn: (message: string) => this.logger.warn(message),
      error: (message: string, error?: unknown) => this.logger.error({ err: error }, message),
    };
    const sourceContext = { eventStore: this.eventStore, pool: this.database.pool, log: log.warn };
    // One read of the log for all of them (each falls back to its own when it lags or fails).
    const tail = createLiveLogTail(sourceContext, () => this.metrics.sharedReadDropped());
    this.tail = tail;
    this.projectors = [...PROJECTIONS, ...this.reactors.list()].map(
      (projection) =>
        new Projector({
          projection,
          source: tail ? tail.consumer() : createProjectorSource(sourceContext),
          connectionString: this.database.connectionString,
          applicationName: `credits-ledger-projector-${projection.name}`,
          timings: {
            batchSize: this.config.projectionBatchSize,
            idleMaxMs: this.config.projectionIdlePollMs,
            standbyRetryMs: this.config.projectionStandbyRetryMs,
          },
          log,
          observer,
        }),
    );
    for (const projector of this.projectors) projector.start();
    this.waiter.attachLocalProjectors((name) => this.projector(name)?.wake());
  }

  /** This process's projector of that projection (none in the api role). */
  projector(name: string): Projector | undefined {
    return this.projectors.find((projector) => projector.name === name);
  }

  async onModuleDestroy(): Promise<void> {
    const projectors = this.projectors;
    this.projectors = [];
    await Promise.all(projectors.map((projector) => projector.stop()));
    await this.tail?.close();
    this.tail = null;
  }
}

/** Everything the projections add to the application (projections/nest/projections.module.ts). */
export const PROJECTION_PROVIDERS = [
  ProjectionMetrics,
  ProjectionWaiter,
  ReactorRegistry,
  ProjectionRuntime,
];
