import type {
  LedgerEvent,
  MergeAccountCommand,
  ReceiveTransferCommand,
  ReleaseReservationCommand,
} from '../../src/ledger';
import { evolve, initialState, toLedgerEvent } from '../../src/ledger';
import { given } from './given-when-then';
import { DAY, HOUR, MINUTE, after, granted, purchased, released, reserved } from './fixtures';
import { closed, received, sent } from './program-fixtures';

/**
 * Issue 18: the console's "release a hold" and "merge a lead" ask the operator for a reason. The
 * events keep their machine `reason`; the operator's is an optional `note`, present only when given.
 */
const NOTE = 'customer cancelled the render, ticket 4211';

const release = (note?: string): ReleaseReservationCommand => ({
  kind: 'release',
  reservationId: 'r1',
  ...(note !== undefined && { note }),
});
const merge = (note?: string): MergeAccountCommand => ({
  kind: 'merge',
  mergeId: 'm1',
  into: 'user:ann',
  ...(note !== undefined && { note }),
});
const receive = (note?: string): ReceiveTransferCommand => ({
  kind: 'receive',
  transferId: 'm1',
  from: 'lead:7',
  purpose: 'merge',
  blocks: [{ blockId: 'n1', fromBlockId: 'l1', credits: 20, category: 'promotional' }],
  ...(note !== undefined && { note }),
});

/** Events written without a note have no `note` key at all: the old shape, byte for byte. */
function expectNoNote(events: LedgerEvent[]): void {
  for (const event of events) expect(Object.keys(event.data)).not.toContain('note');
}

describe('release with an operator note', () => {
  const held = [purchased('paid', 100), reserved('r1', { paid: 20 }, after(HOUR))];

  it('records the note beside the machine reason', () => {
    given(...held)
      .when(release(NOTE), { now: after(MINUTE) })
      .then(released('r1', { paid: 20 }, 'released', { note: NOTE }));
  });

  it('without a note, writes the event as before (no note key)', () => {
    const events = given(...held)
      .when(release(), { now: after(MINUTE) })
      .then(released('r1', { paid: 20 }));
    expectNoNote(events);
  });

  it('a released hold with a note is closed like any other: a second release is refused', () => {
    given(...held, released('r1', { paid: 20 }, 'released', { note: NOTE }))
      .when(release('again'), { now: after(MINUTE) })
      .thenRejects({ code: 'reservation_closed', status: 'released' });
  });
});

describe('merge with an operator note', () => {
  const lead = [granted('l1', 20, { reason: 'lead' })];

  it("records the note on the merge's transfer and on the closing", () => {
    given(...lead)
      .when(merge(NOTE), { now: after(HOUR) })
      .then(
        sent('m1', 'user:ann', [{ blockId: 'l1', credits: 20, category: 'promotional' }], {
          purpose: 'merge',
          note: NOTE,
        }),
        closed('m1', 'user:ann', 20, NOTE),
      );
  });

  it('records the note on the closing when nothing moves', () => {
    given()
      .when(merge(NOTE), { now: after(HOUR) })
      .then(closed('m1', 'user:ann', 0, NOTE));
  });

  it("leaves the holds it releases to the merge's machine reason", () => {
    const events = given(...lead, reserved('h1', { l1: 8 }, after(HOUR)))
      .when(merge(NOTE), { now: after(MINUTE) })
      .then(
        released('h1', { l1: 8 }),
        sent('m1', 'user:ann', [{ blockId: 'l1', credits: 20, category: 'promotional' }], {
          purpose: 'merge',
          note: NOTE,
        }),
        closed('m1', 'user:ann', 20, NOTE),
      );
    expectNoNote(events.slice(0, 1));
  });

  it('without a note, writes the events as before (no note key)', () => {
    const events = given(...lead)
      .when(merge(), { now: after(HOUR) })
      .then(
        sent('m1', 'user:ann', [{ blockId: 'l1', credits: 20, category: 'promotional' }], {
          purpose: 'merge',
        }),
        closed('m1', 'user:ann', 20),
      );
    expectNoNote(events);
  });

  it('a second merge, with another note, answers the first and records nothing', () => {
    given(
      ...lead,
      sent('m1', 'user:ann', [{ blockId: 'l1', credits: 20, category: 'promotional' }], {
        purpose: 'merge',
        note: NOTE,
      }),
      closed('m1', 'user:ann', 20, NOTE),
    )
      .when({ ...merge('another reason'), mergeId: 'm2' }, { now: after(DAY) })
      .thenNoop({
        reason: 'repeated',
        answer: { firstRevision: 2, lastRevision: 2, balance: 0, available: 0, reserved: 0 },
      });
  });
});

describe("the merge's note on the receiving side", () => {
  it('is carried into the TransferReceived', () => {
    given()
      .when(receive(NOTE), { now: after(HOUR) })
      .then(
        received(
          'm1',
          'lead:7',
          [{ blockId: 'n1', fromBlockId: 'l1', credits: 20, category: 'promotional' }],
          { purpose: 'merge', note: NOTE },
        ),
      );
  });

  it('is absent when the transfer had none', () => {
    const events = given()
      .when(receive(), { now: after(HOUR) })
      .then(
        received(
          'm1',
          'lead:7',
          [{ blockId: 'n1', fromBlockId: 'l1', credits: 20, category: 'promotional' }],
          { purpose: 'merge' },
        ),
      );
    expectNoNote(events);
  });
});

describe('folding', () => {
  it('a note changes no state: the same events with and without notes fold alike', () => {
    const stream = (note?: string): LedgerEvent[] => [
      granted('l1', 30, { reason: 'lead' }),
      reserved('r1', { l1: 10 }, after(HOUR)),
      released('r1', { l1: 10 }, 'released', { note }),
      sent('m1', 'user:ann', [{ blockId: 'l1', credits: 30, category: 'promotional' }], {
        purpose: 'merge',
        note,
      }),
      closed('m1', 'user:ann', 30, note),
    ];
    const fold = (events: LedgerEvent[]) => {
      const state = initialState();
      for (const event of events) evolve(state, event);
      return state;
    };
    expect(fold(stream(NOTE))).toEqual(fold(stream()));
  });

  it('reads stored events with and without a note as written (schema 1, no upcast)', () => {
    for (const event of [
      released('r1', { paid: 20 }),
      released('r1', { paid: 20 }, 'released', { note: NOTE }),
      closed('m1', 'user:ann', 20),
      closed('m1', 'user:ann', 20, NOTE),
    ]) {
      const read = toLedgerEvent(JSON.parse(JSON.stringify(event)));
      expect(read).toEqual(event);
      expect(Object.keys(read.data)).toEqual(Object.keys(event.data));
    }
  });
});
