import { Query } from '@nestjs/cqrs';
import type { CheckAnswer } from './account-queries';

/** Would a spend of `credits` succeed now? Reads like a spend (strongly consistent), writes nothing. */
export class CheckCredits extends Query<CheckAnswer> {
  constructor(
    readonly accountId: string,
    readonly credits: number,
  ) {
    super();
  }
}
