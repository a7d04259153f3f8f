import { timeOrderedUuid } from '../../src/shared/time-ordered-uuid';

const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('timeOrderedUuid', () => {
  it('is a version 7 UUID whose first 48 bits are the Unix time in milliseconds', () => {
    const nowMs = Date.UTC(2026, 10, 22, 6, 0, 0, 123);
    const id = timeOrderedUuid(nowMs);
    expect(id).toMatch(UUID_V7);
    expect(parseInt(id.replace('-', '').slice(0, 12), 16)).toBe(nowMs);
    expect(timeOrderedUuid(0).startsWith('00000000-0000-7')).toBe(true);
    expect(timeOrderedUuid(2 ** 48 - 1).startsWith('ffffffff-ffff-7')).toBe(true);
    // The time part is kept from one id to the next: back to an earlier instant, it is that one's.
    expect(timeOrderedUuid(nowMs).slice(0, 13)).toBe(id.slice(0, 13));
    expect(timeOrderedUuid(nowMs + 1).slice(0, 13)).not.toBe(id.slice(0, 13));
  });

  it('sorts by time (as text and as PostgreSQL uuid), and never repeats within a millisecond', () => {
    const ids = Array.from({ length: 3_000 }, (_, index) =>
      timeOrderedUuid(1_700_000_000_000 + Math.floor(index / 1_000)),
    );
    for (const id of ids) expect(id).toMatch(UUID_V7);
    const milliseconds = ids.map((id) => id.slice(0, 13));
    expect([...milliseconds].sort()).toEqual(milliseconds);
    expect(new Set(ids).size).toBe(ids.length);
  });
});
