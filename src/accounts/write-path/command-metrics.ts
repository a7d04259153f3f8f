import { Injectable } from '@nestjs/common';
import { Counter, Histogram } from 'prom-client';
import { MetricsRegistry } from '../../observability/metrics-registry';

export type CommandResultLabel = 'ok' | 'rejected' | 'error';

/**
 * Command latency by command and result, and optimistic-concurrency conflicts (retries). Recorded
 * by the mailbox's PendingCommand only, so each command is counted once.
 */
@Injectable()
export class CommandMetrics {
  private readonly duration: Histogram<'command' | 'result'>;
  private readonly conflicts: Counter<'command'>;

  constructor(metrics: MetricsRegistry) {
    this.duration = new Histogram({
      name: 'ledger_command_duration_seconds',
      help: 'Time from a command entering its account mailbox to its answer, queueing included',
      labelNames: ['command', 'result'],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers: [metrics.registry],
    });
    this.conflicts = new Counter({
      name: 'ledger_command_conflicts_total',
      help: 'Appends that lost an optimistic-concurrency race and were retried on fresh state',
      labelNames: ['command'],
      registers: [metrics.registry],
    });
  }

  startCommand(command: string): (result: CommandResultLabel) => void {
    const stop = this.duration.startTimer({ command });
    return (result) => {
      stop({ result });
    };
  }

  conflict(command: string): void {
    this.conflicts.inc({ command });
  }
}
