import { Query } from '@nestjs/cqrs';
import type { CreditPackListResponse } from '../credit-pack.dto';

/**
 * The credit packs for sale now (active, within their window), from the catalog; with
 * `includeInactive` (admins), every pack the catalog has, retired and scheduled ones included.
 */
export class ListCreditPacks extends Query<CreditPackListResponse> {
  constructor(readonly includeInactive = false) {
    super();
  }
}
