import { Injectable } from '@nestjs/common';
import { AppConfig, type CreditPack } from '../config/app-config';

const DAY_MS = 86_400_000;

/**
 * The packs users can buy (CREDIT_PACKS, or API.md's default catalog). The price of a checkout and
 * the credits of a purchase always come from here, never from a request.
 */
@Injectable()
export class CreditPackCatalog {
  private readonly byId: Map<string, CreditPack>;

  constructor(config: AppConfig) {
    this.byId = new Map(config.creditPacks.map((pack) => [pack.packId, pack]));
  }

  list(): CreditPack[] {
    return [...this.byId.values()];
  }

  find(packId: string): CreditPack | undefined {
    return this.byId.get(packId);
  }

  /** When credits bought at `purchasedAt` expire, or undefined for packs whose credits never do. */
  expiresAt(pack: CreditPack, purchasedAt: Date): string | undefined {
    return pack.expiresAfterDays === null
      ? undefined
      : new Date(purchasedAt.getTime() + pack.expiresAfterDays * DAY_MS).toISOString();
  }
}
