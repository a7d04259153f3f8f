import type { Pool } from 'pg';
import type { Clock } from '../../shared/clock';
import {
  dueDeliveries,
  claim,
  disableEndpoint,
  recordAttempt,
  type ClaimedDelivery,
} from './deliveries-store';
import { postJson, type SendResult } from './http-sender';
import { afterAttempt, isSuccess, shouldDisable } from './retry-policy';
import { signedHeaders } from './signature';

export interface DeliveryWorkerOptions {
  retryScheduleSeconds: readonly number[];
  timeoutMs: number;
  concurrencyPerEndpoint: number;
  maxInFlight: number;
  disableAfterFailingSeconds: number;
  allowPrivateUrls: boolean;
}

export interface DeliveryObserver {
  attempted(result: 'succeeded' | 'retry' | 'failed'): void;
  disabled(endpointId: string): void;
}

/** Extra time a claim lasts beyond the attempt's own deadline (recording its outcome). */
const LEASE_MARGIN_MS = 1_000;

/**
 * Sends due webhook deliveries. Each round claims what fits in the free slots — at most
 * `concurrencyPerEndpoint` attempts in flight per endpoint and `maxInFlight` in all — and starts
 * them without waiting: an attempt that hangs holds one slot of its own endpoint until its
 * deadline, never a round, so one slow endpoint never delays another's deliveries.
 */
export class WebhookDeliveryWorker {
  private readonly inFlight = new Map<string, number>();
  private readonly attempts = new Set<Promise<void>>();

  constructor(
    private readonly pool: Pool,
    private readonly clock: Clock,
    private readonly options: DeliveryWorkerOptions,
    private readonly observer: DeliveryObserver,
  ) {}

  get busy(): number {
    return this.attempts.size;
  }

  /** Starts the attempts that are due and fit; returns how many it started. */
  async runOnce(): Promise<number> {
    const free = this.options.maxInFlight - this.attempts.size;
    if (free <= 0) return 0;
    const now = this.clock.now();
    const candidates = await dueDeliveries(
      this.pool,
      now,
      this.options.concurrencyPerEndpoint,
      free * 2,
    );
    const planned = new Map<string, number>();
    const chosen: string[] = [];
    for (const candidate of candidates) {
      const used =
        (this.inFlight.get(candidate.endpointId) ?? 0) + (planned.get(candidate.endpointId) ?? 0);
      if (used >= this.options.concurrencyPerEndpoint || chosen.length >= free) continue;
      planned.set(candidate.endpointId, (planned.get(candidate.endpointId) ?? 0) + 1);
      chosen.push(candidate.id);
    }
    const leaseUntil = new Date(now.getTime() + this.options.timeoutMs + LEASE_MARGIN_MS);
    const claimed = await claim(this.pool, chosen, now, leaseUntil);
    for (const delivery of claimed) this.start(delivery);
    return claimed.length;
  }

  /** Waits for the attempts in flight (shutdown: each ends by its deadline). */
  async drain(): Promise<void> {
    await Promise.allSettled([...this.attempts]);
  }

  private start(delivery: ClaimedDelivery): void {
    this.inFlight.set(delivery.endpointId, (this.inFlight.get(delivery.endpointId) ?? 0) + 1);
    const attempt = this.attempt(delivery)
      .catch(() => {
        // Recording failed (database down): the lease ends and the delivery is sent again.
      })
      .finally(() => {
        const left = (this.inFlight.get(delivery.endpointId) ?? 1) - 1;
        if (left === 0) this.inFlight.delete(delivery.endpointId);
        else this.inFlight.set(delivery.endpointId, left);
        this.attempts.delete(attempt);
      });
    this.attempts.add(attempt);
  }

  private async attempt(delivery: ClaimedDelivery): Promise<void> {
    const timestampSeconds = Math.floor(this.clock.now().getTime() / 1000);
    const headers = signedHeaders(
      delivery.secret,
      delivery.messageId,
      timestampSeconds,
      delivery.body,
    );
    const result: SendResult = await postJson(delivery.url, headers, delivery.body, {
      timeoutMs: this.options.timeoutMs,
      allowPrivate: this.options.allowPrivateUrls,
    });
    const now = this.clock.now();
    const outcome = afterAttempt(
      isSuccess(result.statusCode),
      delivery.scheduleStep,
      this.options.retryScheduleSeconds,
      now,
    );
    const failingSince = await recordAttempt(this.pool, delivery, outcome, result, now);
    this.observer.attempted(outcome.status === 'pending' ? 'retry' : outcome.status);
    if (
      outcome.status !== 'succeeded' &&
      shouldDisable(failingSince, now, this.options.disableAfterFailingSeconds)
    ) {
      await disableEndpoint(this.pool, delivery.endpointId, now);
      this.observer.disabled(delivery.endpointId);
    }
  }
}
