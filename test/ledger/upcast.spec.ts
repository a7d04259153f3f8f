import {
  UnknownLedgerEventError,
  UnsupportedSchemaVersionError,
  toLedgerEvent,
} from '../../src/ledger';
import { purchased, reserved, spent } from './fixtures';

describe('toLedgerEvent', () => {
  it('reads a current event as it was written', () => {
    const event = purchased('b1', 100);
    expect(toLedgerEvent(JSON.parse(JSON.stringify(event)))).toEqual(event);
  });

  it('reads spends and holds from before priced operations existed, and priced ones, as written (schema 1)', () => {
    const plain = spent('s1', { b1: 5 });
    expect(toLedgerEvent(JSON.parse(JSON.stringify(plain)))).toEqual(plain);
    expect(toLedgerEvent(JSON.parse(JSON.stringify(plain))).data).not.toHaveProperty('operation');
    const hold = reserved('r1', { b1: 5 }, '2026-01-01T01:00:00.000Z');
    const pricedHold = {
      ...hold,
      data: {
        ...hold.data,
        operation: { operationId: 'render', quantity: 61, dimensions: {}, rateCardVersion: 4 },
        quote: { quoteId: 'q1', expiresAt: '2026-01-01T00:10:00.000Z' },
      },
    };
    expect(toLedgerEvent(JSON.parse(JSON.stringify(pricedHold)))).toEqual(pricedHold);
  });

  it('throws a clear error for an unknown type', () => {
    expect(() =>
      toLedgerEvent({ type: 'CreditsTeleported', data: {}, metadata: { schemaVersion: 1 } }),
    ).toThrow(UnknownLedgerEventError);
    expect(() =>
      toLedgerEvent({ type: 'CreditsTeleported', data: {}, metadata: { schemaVersion: 1 } }),
    ).toThrow(/unknown ledger event type "CreditsTeleported"/);
  });

  it('throws for a schema version it cannot read', () => {
    const { type, data, metadata } = purchased('b1', 100);
    expect(() =>
      toLedgerEvent({ type, data, metadata: { ...metadata, schemaVersion: 2 } }),
    ).toThrow(UnsupportedSchemaVersionError);
    expect(() =>
      toLedgerEvent({ type, data, metadata: { ...metadata, schemaVersion: undefined } }),
    ).toThrow(UnsupportedSchemaVersionError);
  });

  it('throws when data or metadata is not an object', () => {
    expect(() =>
      toLedgerEvent({ type: 'CreditsExpired', data: null, metadata: { schemaVersion: 1 } }),
    ).toThrow(/data is not an object/);
    expect(() => toLedgerEvent({ type: 'CreditsExpired', data: {}, metadata: 'x' })).toThrow(
      /metadata is not an object/,
    );
  });
});
