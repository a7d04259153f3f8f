import {
  UnknownLedgerEventError,
  UnsupportedSchemaVersionError,
  toLedgerEvent,
} from '../../src/ledger';
import { purchased } from './fixtures';

describe('toLedgerEvent', () => {
  it('reads a current event as it was written', () => {
    const event = purchased('b1', 100);
    expect(toLedgerEvent(JSON.parse(JSON.stringify(event)))).toEqual(event);
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
