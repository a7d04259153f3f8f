import type { GlobalPosition } from '../event-store/event-store.port';

/** A request of the programs that cannot be done as asked (400 `validation_failed`, naming `field`). */
export class InvalidProgramRequestError extends Error {
  constructor(
    readonly field: string,
    readonly reason: string,
  ) {
    super(`${field}: ${reason}`);
    this.name = 'InvalidProgramRequestError';
  }
}

/** No transfer (or merge) with this id has been projected (404 `not_found`). */
export class TransferNotFoundError extends Error {
  constructor(readonly transferId: string) {
    super(`no transfer ${transferId}`);
    this.name = 'TransferNotFoundError';
  }
}

/** `?after=` was not reached by the transfers projection in time (503, retry shortly). */
export class TransfersNotCaughtUpError extends Error {
  constructor(
    readonly position: GlobalPosition,
    readonly projectedPosition: GlobalPosition | null,
    readonly timeoutMs: number,
  ) {
    super(`the transfers have not reached position ${position} within ${timeoutMs} ms`);
    this.name = 'TransfersNotCaughtUpError';
  }
}
