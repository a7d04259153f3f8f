import {
  BACKWARDS,
  END,
  FORWARDS,
  StreamNotFoundError,
  jsonEvent,
  type EventStoreDBClient,
} from '@eventstore/db-client';
import {
  ClaimHeldElsewhereError,
  NO_STREAM_REVISION,
  WrongExpectedRevisionError,
  type NewEvent,
  type StreamRevision,
} from '../event-store.port';
import {
  toEsdbExpectedRevision,
  toEventData,
  toRecordedEvent,
  translateError,
} from './eventstoredb-translation';

/** The type of every event in a claim stream; the stream's last event says who holds the claim. */
export const CLAIM_EVENT_TYPE = 'StreamClaimed';

/** Rounds of "read the claim, write it" lost to other claimers before the append gives up. */
export const MAX_CLAIM_ROUNDS = 10;

/**
 * What a claim stream records: the holder's append itself (expectation and events, exactly as
 * sent). Whoever finds the claim can settle it by sending that very append again.
 */
export interface ClaimRecord {
  holderStreamId: string;
  expectedRevision: StreamRevision;
  events: NewEvent[];
}

/**
 * How a record's "no stream" expectation is stored: claim streams written before the port
 * counted a missing stream as NO_STREAM_REVISION hold this, and every version must read every
 * record, so it stays the stored form.
 */
const STORED_NO_STREAM = 'no_stream';

/**
 * Claims on EventStoreDB (AppendOptions.claim). db-client cannot append to two streams atomically,
 * so a claim is a stream of its own, named by the claim, written BEFORE the holder's append:
 *
 * 1. Read the claim stream's last event. None: create the stream (NO_STREAM) with our record. Only
 *    one creator can win; a loser reads again.
 * 2. Someone's record is there. Settle it by sending its append again, same event ids, same
 *    expected revision: the server writes it if the holder's stream is still where the record
 *    says (the holder crashed, or has not got there yet: either way this is the append it meant),
 *    acknowledges it if it is there already, or refuses it. Then the event at the record's first
 *    revision tells: the record's own first event there means the append LANDED — the claim is the
 *    holder's for good (ClaimHeldElsewhereError, or no obstacle if the holder is us). Anything else
 *    means that append can never happen (its revision is taken): the record is DEAD, and we write
 *    ours after it, expecting the claim stream's revision we read (a loser reads again).
 * 3. Only then does the caller send its own append.
 *
 * So a claim is never held by an append that did not happen, and no crash leaves a value blocked:
 * the next claimer finishes or discards what the crashed one started. Two appends can never both
 * land with the same claim: the second claimer writes its record only after the first record is
 * proven dead, and a dead record's append can no longer be written by anyone.
 */
export class EventStoreDbClaims {
  constructor(private readonly client: EventStoreDBClient) {}

  async claim(
    streamId: string,
    claim: string,
    expectedRevision: StreamRevision,
    events: readonly NewEvent[],
  ): Promise<void> {
    if (claim.startsWith('$'))
      throw new TypeError(
        `claim must not start with "$" (a system stream name): ${JSON.stringify(claim)}`,
      );
    const mine: ClaimRecord = {
      holderStreamId: streamId,
      expectedRevision,
      events: events.map(({ eventId, type, data, metadata }) => ({
        eventId,
        type,
        data,
        metadata,
      })),
    };
    let lastSeen: StreamRevision = NO_STREAM_REVISION;
    for (let round = 1; round <= MAX_CLAIM_ROUNDS; round++) {
      const held = await this.readClaim(claim);
      lastSeen = held ? held.revision : NO_STREAM_REVISION;
      if (held && isSameAppend(held.record, mine)) return; // our own record: a retried append
      if (held && (await this.hasLanded(held.record))) {
        if (held.record.holderStreamId === streamId) return;
        throw new ClaimHeldElsewhereError(streamId, claim, held.record.holderStreamId);
      }
      if (await this.tryWrite(claim, mine, held ? held.revision : NO_STREAM_REVISION)) return;
    }
    // Every round lost to another claimer: a lost race like any other, the caller may retry.
    const now = await this.readClaim(claim);
    throw new WrongExpectedRevisionError(claim, lastSeen, now ? now.revision : NO_STREAM_REVISION);
  }

  /** The last record of a claim stream and its revision; null when nobody ever claimed it. */
  async readClaim(claim: string): Promise<{ record: ClaimRecord; revision: number } | null> {
    const read = this.client.readStream(claim, {
      direction: BACKWARDS,
      fromRevision: END,
      maxCount: 1,
    });
    try {
      for await (const resolved of read) {
        const event = toRecordedEvent(resolved);
        return { record: parseRecord(event.data, claim), revision: event.revision };
      }
    } catch (error) {
      if (error instanceof StreamNotFoundError) return null;
      throw translateError(error, { streamId: claim });
    }
    return null;
  }

  /** Sends the record's append again, then looks at what holds its first revision. */
  private async hasLanded(record: ClaimRecord): Promise<boolean> {
    const { holderStreamId, expectedRevision, events } = record;
    try {
      const result = await this.client.appendToStream(holderStreamId, events.map(toEventData), {
        expectedRevision: toEsdbExpectedRevision(expectedRevision),
      });
      if (result.success) return true;
    } catch (error) {
      const translated = translateError(error, {
        streamId: holderStreamId,
        expected: expectedRevision,
      });
      if (!(translated instanceof WrongExpectedRevisionError)) throw translated;
    }
    const first = expectedRevision + 1;
    const read = this.client.readStream(holderStreamId, {
      direction: FORWARDS,
      fromRevision: BigInt(first),
      maxCount: 1,
    });
    try {
      for await (const resolved of read)
        return toRecordedEvent(resolved).eventId.toLowerCase() === events[0].eventId.toLowerCase();
    } catch (error) {
      if (error instanceof StreamNotFoundError) return false;
      throw translateError(error, { streamId: holderStreamId });
    }
    return false;
  }

  /** True when our record was written; false when another claimer wrote first. */
  private async tryWrite(
    claim: string,
    record: ClaimRecord,
    expected: StreamRevision,
  ): Promise<boolean> {
    try {
      const result = await this.client.appendToStream(
        claim,
        [jsonEvent({ type: CLAIM_EVENT_TYPE, data: storedRecord(record) })],
        { expectedRevision: toEsdbExpectedRevision(expected) },
      );
      return result.success;
    } catch (error) {
      const translated = translateError(error, { streamId: claim, expected });
      if (translated instanceof WrongExpectedRevisionError) return false;
      throw translated;
    }
  }
}

function isSameAppend(a: ClaimRecord, b: ClaimRecord): boolean {
  return (
    a.holderStreamId === b.holderStreamId &&
    a.expectedRevision === b.expectedRevision &&
    a.events[0]?.eventId.toLowerCase() === b.events[0]?.eventId.toLowerCase()
  );
}

function storedRecord(record: ClaimRecord): Record<string, unknown> {
  const { expectedRevision } = record;
  return {
    ...record,
    expectedRevision: expectedRevision === NO_STREAM_REVISION ? STORED_NO_STREAM : expectedRevision,
  };
}

function parseRecord(data: Record<string, unknown>, claim: string): ClaimRecord {
  const { holderStreamId, expectedRevision, events } = data;
  const revisionOk =
    expectedRevision === STORED_NO_STREAM ||
    (Number.isSafeInteger(expectedRevision) && (expectedRevision as number) >= 0);
  if (
    typeof holderStreamId !== 'string' ||
    !revisionOk ||
    !Array.isArray(events) ||
    events.length === 0
  ) {
    throw new Error(`claim stream ${claim}: its last event is not a claim record`);
  }
  return {
    holderStreamId,
    expectedRevision:
      expectedRevision === STORED_NO_STREAM ? NO_STREAM_REVISION : (expectedRevision as number),
    events: events as NewEvent[],
  };
}
