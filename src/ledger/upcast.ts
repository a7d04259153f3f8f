import type { LedgerEvent, LedgerEventMetadata, LedgerEventType } from './events';
import { CURRENT_SCHEMA_VERSION, LEDGER_EVENT_TYPES } from './events';

/** An event as stored: type, data and metadata, shapes not yet trusted. */
export interface StoredLedgerEvent {
  type: string;
  data: unknown;
  metadata: unknown;
}

export class UnknownLedgerEventError extends Error {
  constructor(readonly eventType: string) {
    super(`unknown ledger event type "${eventType}"; is the stream written by a newer version?`);
    this.name = 'UnknownLedgerEventError';
  }
}

export class UnsupportedSchemaVersionError extends Error {
  constructor(
    readonly eventType: string,
    readonly schemaVersion: unknown,
  ) {
    super(
      `ledger event ${eventType} has schemaVersion ${String(schemaVersion)}; ` +
        `this version reads 1 to ${CURRENT_SCHEMA_VERSION}`,
    );
    this.name = 'UnsupportedSchemaVersionError';
  }
}

/** Lifts an event's data from one schema version to the next. */
type Upcaster = (data: Record<string, unknown>) => Record<string, unknown>;

/**
 * `UPCASTERS[type][v]` turns version v into v + 1. Empty while every stored event is version 1:
 * when a shape changes, add the step here, bump CURRENT_SCHEMA_VERSION, and never rewrite the store.
 */
const UPCASTERS: Partial<Record<LedgerEventType, Record<number, Upcaster>>> = {};

/**
 * The one place where stored events become LedgerEvents (LEDGER.md: "an old event shape is upcast in
 * one place when read"). The result is always CURRENT_SCHEMA_VERSION.
 */
export function toLedgerEvent(stored: StoredLedgerEvent): LedgerEvent {
  const type = knownType(stored.type);
  const data = objectOf(stored.data, type, 'data');
  const metadata = objectOf(stored.metadata, type, 'metadata');
  const version = schemaVersionOf(type, metadata);
  return {
    type,
    data: upcastData(type, data, version),
    metadata: {
      ...metadata,
      schemaVersion: CURRENT_SCHEMA_VERSION,
    } as unknown as LedgerEventMetadata,
  } as LedgerEvent;
}

function knownType(type: string): LedgerEventType {
  if (!(LEDGER_EVENT_TYPES as readonly string[]).includes(type))
    throw new UnknownLedgerEventError(type);
  return type as LedgerEventType;
}

function objectOf(value: unknown, type: string, part: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new TypeError(`ledger event ${type}: ${part} is not an object`);
  }
  return value as Record<string, unknown>;
}

function schemaVersionOf(type: string, metadata: Record<string, unknown>): number {
  const version = metadata.schemaVersion;
  if (
    !Number.isInteger(version) ||
    (version as number) < 1 ||
    (version as number) > CURRENT_SCHEMA_VERSION
  ) {
    throw new UnsupportedSchemaVersionError(type, version);
  }
  return version as number;
}

function upcastData(
  type: LedgerEventType,
  data: Record<string, unknown>,
  fromVersion: number,
): Record<string, unknown> {
  let current = data;
  for (let version = fromVersion; version < CURRENT_SCHEMA_VERSION; version += 1) {
    const step = UPCASTERS[type]?.[version];
    // No step means the shape did not change for this type in that version.
    if (step) current = step(current);
  }
  return current;
}
