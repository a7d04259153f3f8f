import { Injectable, PipeTransform } from '@nestjs/common';
import { ACCOUNT_ID_PATTERN } from '../../ledger/limits';
import { HttpProblemException } from '../errors/http-problem.exception';
import { validationProblem } from '../errors/problem';

/** Checks a path parameter against its pattern; a bad id is a 400, never silently altered. */
@Injectable()
export class PathIdPipe implements PipeTransform<string, string> {
  constructor(
    private readonly field: string,
    private readonly pattern: RegExp,
    private readonly message: string,
  ) {}

  transform(value: string): string {
    if (typeof value !== 'string' || !this.pattern.test(value)) {
      throw new HttpProblemException(
        validationProblem([{ field: this.field, message: this.message }]),
      );
    }
    return value;
  }
}

export const AccountIdPipe = new PathIdPipe(
  'accountId',
  ACCOUNT_ID_PATTERN,
  'must be 1–128 characters of A–Z a–z 0–9 . _ : @ -, and not . or ..',
);
export const ReservationIdPipe = new PathIdPipe(
  'reservationId',
  /^[A-Za-z0-9._:@-]{1,200}$/,
  'is not a reservation id',
);
