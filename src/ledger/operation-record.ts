import type { OperationRecord } from './events';

/** A copy that shares nothing with the command or event it came from (states are folded in place). */
export function copyOperation(operation: OperationRecord): OperationRecord {
  return {
    operationId: operation.operationId,
    quantity: operation.quantity,
    dimensions: { ...operation.dimensions },
    rateCardVersion: operation.rateCardVersion,
  };
}
