import { Injectable, Logger, type MessageEvent, type OnModuleDestroy } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { Gauge, Counter } from 'prom-client';
import { Observable, type Subscriber } from 'rxjs';
import type { BalanceAnswer } from '../accounts/queries/account-queries';
import { GetBalance } from '../accounts/queries/get-balance.query';
import { AppConfig } from '../config/app-config';
import { MetricsRegistry } from '../observability/metrics-registry';
import { Clock } from '../shared/clock';
import { AccountChanges } from './account-changes';
import { BalanceStreamsFullError } from './errors';
import type { WatchBalanceOptions } from './watch-balance.query';

/** The SSE event name (PRODUCT.md §5, API.md "Notifications"). */
export const BALANCE_EVENT = 'balance';

/**
 * The open balance streams of this process, at most BALANCE_STREAM_MAX_CONNECTIONS. Each stream
 * sends the balance answer (the `GET …/balance` body, strongly consistent) when it opens and again
 * whenever AccountChanges says its account changed and the answer's revision moved; a comment line
 * every BALANCE_STREAM_HEARTBEAT_SECONDS in between keeps proxies from closing it.
 *
 * A slot is taken when the stream is asked for and given back whichever way it ends: the client
 * leaves (before or after the first event), its token expires, the application stops.
 */
@Injectable()
export class BalanceStreams implements OnModuleDestroy {
  private readonly logger = new Logger('LiveBalance');
  private readonly open = new Set<() => void>();
  private readonly gauge: Gauge;
  private readonly refused: Counter;

  constructor(
    private readonly config: AppConfig,
    private readonly changes: AccountChanges,
    private readonly queryBus: QueryBus,
    private readonly clock: Clock,
    metrics: MetricsRegistry,
  ) {
    this.gauge = new Gauge({
      name: 'ledger_balance_streams_open',
      help: 'Balance streams (Server-Sent Events) open in this process',
      registers: [metrics.registry],
    });
    this.refused = new Counter({
      name: 'ledger_balance_streams_refused_total',
      help: 'Balance streams refused because BALANCE_STREAM_MAX_CONNECTIONS were open',
      registers: [metrics.registry],
    });
  }

  get openCount(): number {
    return this.open.size;
  }

  /**
   * Takes a slot, starts listening for changes, reads the balance (a failure here is still an
   * ordinary problem response: no header is sent yet), then hands over the stream.
   */
  async watch(accountId: string, options: WatchBalanceOptions): Promise<Observable<MessageEvent>> {
    const { maxConnections, heartbeatSeconds } = this.config.balanceStream;
    if (this.open.size >= maxConnections) {
      this.refused.inc();
      throw new BalanceStreamsFullError(maxConnections);
    }
    let subscriber: Subscriber<MessageEvent> | null = null;
    const timers: NodeJS.Timeout[] = [];
    let changedBeforeStart = false;
    let lastRevision: number | null = null;
    let reading = false;
    let readAgain = false;

    const refresh = async (): Promise<void> => {
      if (reading) {
        readAgain = true;
        return;
      }
      reading = true;
      try {
        do {
          readAgain = false;
          const answer = await this.balance(accountId);
          if (!subscriber || subscriber.closed) return;
          if (answer.revision !== lastRevision) {
            lastRevision = answer.revision;
            subscriber.next({ type: BALANCE_EVENT, data: answer });
          }
        } while (readAgain);
      } catch (error) {
        // The next change or heartbeat tries again; the stream stays open.
        readAgain = false;
        lastRevision = null;
        this.logger.warn(`reading the balance for a stream failed: ${(error as Error).message}`);
      } finally {
        reading = false;
      }
    };

    const stopListening = this.changes.listen(accountId, () => {
      if (subscriber) void refresh();
      else changedBeforeStart = true;
    });
    const close = (): void => {
      if (!this.open.delete(close)) return;
      this.gauge.set(this.open.size);
      stopListening();
      for (const timer of timers) clearTimeout(timer);
      subscriber?.complete();
    };
    this.open.add(close);
    this.gauge.set(this.open.size);
    options.signal?.addEventListener('abort', close, { once: true });

    let first: BalanceAnswer;
    try {
      first = await this.balance(accountId);
    } catch (error) {
      close();
      throw error;
    }

    return new Observable<MessageEvent>((stream) => {
      if (!this.open.has(close)) {
        stream.complete();
        return undefined;
      }
      subscriber = stream;
      lastRevision = first.revision;
      stream.next({ type: BALANCE_EVENT, data: first });
      timers.push(
        setInterval(() => {
          stream.next({ comment: 'heartbeat' });
          // A read that failed earlier is tried again here.
          if (lastRevision === null) void refresh();
        }, heartbeatSeconds * 1000),
      );
      if (options.until) {
        const remainingMs = Math.max(0, options.until.getTime() - this.clock.now().getTime());
        // setTimeout's ceiling is about 24.8 days; tokens live a day at most.
        timers.push(setTimeout(close, Math.min(remainingMs, 2 ** 31 - 1)));
      }
      if (changedBeforeStart) void refresh();
      return close;
    });
  }

  /** Every stream ends (the HTTP server is closing): EventSources reconnect to another instance. */
  closeAll(): void {
    for (const close of [...this.open]) close();
  }

  onModuleDestroy(): void {
    this.closeAll();
  }

  private balance(accountId: string): Promise<BalanceAnswer> {
    return this.queryBus.execute(new GetBalance(accountId));
  }
}
