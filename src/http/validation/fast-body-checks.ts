import { Injectable, type Type } from '@nestjs/common';
import type { FastBodyCheck } from './fast-body-check';
import type { FastBodyCheckLookup } from './validation.pipe';

/**
 * The fast checks of hot routes' bodies, by DTO class, for the global validation pipe. A feature
 * module registers its own (AccountsModule: the spend), so the pipe knows no feature's DTOs.
 */
@Injectable()
export class FastBodyChecks {
  private readonly byDto = new Map<Type<unknown>, FastBodyCheck<object>>();

  register<T extends object>(dto: Type<T>, check: FastBodyCheck<T>): void {
    this.byDto.set(dto, check);
  }

  /** The map itself, read by the pipe on every body: checks registered later are seen too. */
  get lookup(): FastBodyCheckLookup {
    return this.byDto;
  }
}
