export * from './events';
export * from './commands';
export * from './state';
export * from './rejections';
export * from './limits';
export * from './decider';
export { LedgerInvariantError } from './errors';
export { IDEMPOTENCY_PRUNE_INTERVAL } from './idempotency';
export { EXPIRY_ACTOR } from './decide/metadata';
export {
  toLedgerEvent,
  type StoredLedgerEvent,
  UnknownLedgerEventError,
  UnsupportedSchemaVersionError,
} from './upcast';
export { purchaseRefClaim, sameFigures, type PurchaseFigures } from './purchase-ref';
