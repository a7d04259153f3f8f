import { Query } from '@nestjs/cqrs';
import type { CreditPackListResponse } from '../dto';

/** The credit packs for sale, from the server's catalog. */
export class ListCreditPacks extends Query<CreditPackListResponse> {}
