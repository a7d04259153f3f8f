import { given } from './given-when-then';
import {
  DAY,
  HOUR,
  after,
  expired,
  granted,
  purchased,
  released,
  reserved,
  spent,
} from './fixtures';

describe('expire', () => {
  it('expires every block past its time, in drawdown order, and each hold past its deadline', () => {
    given(
      granted('b', 10, { expiresAt: after(2 * DAY) }),
      granted('a', 20, { expiresAt: after(DAY) }),
      granted('later', 5, { expiresAt: after(10 * DAY) }),
      purchased('paid', 100),
      reserved('r1', { paid: 7 }, after(HOUR)),
    )
      .when({ kind: 'expire' }, { now: after(3 * DAY) })
      .then(released('r1', { paid: 7 }, 'expired'), expired('a', 20), expired('b', 10));
  });

  it('accepts with no events when nothing is due', () => {
    given(granted('a', 20, { expiresAt: after(DAY) }))
      .when({ kind: 'expire' }, { now: after(HOUR) })
      .then();
  });

  it('is idempotent per block: an expired block is not expired again', () => {
    given(granted('a', 20, { expiresAt: after(DAY) }), expired('a', 20, { at: after(DAY) }))
      .when({ kind: 'expire' }, { now: after(2 * DAY) })
      .then();
  });

  it('skips a due block that holds nothing', () => {
    given(granted('a', 20, { expiresAt: after(DAY) }), spent('s1', { a: 20 }))
      .when({ kind: 'expire' }, { now: after(2 * DAY) })
      .then();
  });

  it('writes expiry events as the system', () => {
    const [event] = given(granted('a', 20, { expiresAt: after(DAY) }))
      .when(
        { kind: 'expire' },
        { now: after(2 * DAY), correlationId: 'job-1', causationId: 'tick-9' },
      )
      .acceptedEvents();
    expect(event.metadata).toEqual({
      occurredAt: after(2 * DAY),
      correlationId: 'job-1',
      causationId: 'tick-9',
      actor: { kind: 'system', id: 'expiry' },
      schemaVersion: 1,
    });
  });
});
