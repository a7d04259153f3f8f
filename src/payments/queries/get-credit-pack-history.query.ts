import { Query } from '@nestjs/cqrs';
import type { CreditPackHistoryResponse } from '../credit-pack.dto';

/** Every change to one pack, oldest first: who, when, what (the catalog stream's events). */
export class GetCreditPackHistory extends Query<CreditPackHistoryResponse> {
  constructor(readonly packId: string) {
    super();
  }
}
