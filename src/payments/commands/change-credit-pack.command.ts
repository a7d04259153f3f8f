import { Command } from '@nestjs/cqrs';
import type { CatalogChangeContext, CatalogCommand } from '../catalog/decide-catalog';
import type { CreditPackChangeResponse } from '../credit-pack.dto';

export interface CreditPackChanged {
  pack: CreditPackChangeResponse;
  /** The change created the pack: 201 (else 200). */
  created: boolean;
}

/** Create, replace or retire a pack of the catalog (scope admin); recorded with its actor. */
export class ChangeCreditPack extends Command<CreditPackChanged> {
  constructor(
    readonly change: CatalogCommand,
    readonly context: Omit<CatalogChangeContext, 'now'>,
  ) {
    super();
  }
}
