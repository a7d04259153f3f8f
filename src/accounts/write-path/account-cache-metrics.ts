import { Injectable } from '@nestjs/common';
import { Counter, Gauge } from 'prom-client';
import { MetricsRegistry } from '../../observability/metrics-registry';
import { AccountRepository } from './account-repository';

/**
 * The account state cache on /metrics, read when scraped: how many states, their estimated heap
 * against ACCOUNT_CACHE_MAX_MB, and evictions. Evictions climbing under steady traffic mean the
 * cache is too small for the accounts in use: each evicted account's next command reloads it.
 */
@Injectable()
export class AccountCacheMetrics {
  constructor(repository: AccountRepository, metrics: MetricsRegistry) {
    const registers = [metrics.registry];
    new Gauge({
      name: 'ledger_account_cache_states',
      help: 'Account states cached in this process',
      registers,
      collect() {
        this.set(repository.cacheStats().states);
      },
    });
    new Gauge({
      name: 'ledger_account_cache_estimated_bytes',
      help: 'Estimated heap of the cached account states (bounded by ACCOUNT_CACHE_MAX_MB)',
      registers,
      collect() {
        this.set(repository.cacheStats().estimatedBytes);
      },
    });
    let idledCounted = 0;
    new Counter({
      name: 'ledger_account_cache_idled_total',
      help: 'Cached account states that forgot their remembered spends on leaving the active ones',
      registers,
      collect() {
        const { idled } = repository.cacheStats();
        this.inc(idled - idledCounted);
        idledCounted = idled;
      },
    });
    let evictionsCounted = 0;
    new Counter({
      name: 'ledger_account_cache_evictions_total',
      help: 'Account states dropped from the cache to stay within its limits',
      registers,
      collect() {
        const { evictions } = repository.cacheStats();
        this.inc(evictions - evictionsCounted);
        evictionsCounted = evictions;
      },
    });
  }
}
