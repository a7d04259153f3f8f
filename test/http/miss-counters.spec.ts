import { LocalMissCounters } from '../../src/http/rate-limits/miss-counters';
import { ManualClock } from '../../src/shared/clock';

describe('LocalMissCounters (wrong gift codes per account)', () => {
  const clock = new ManualClock('2026-03-01T12:00:00.000Z');
  const counters = new LocalMissCounters('wrong gift codes per account', 5, 60, clock, 3);

  it('blocks a subject once it has its misses, until the window that began with the first miss ends', async () => {
    for (let miss = 0; miss < 4; miss++) await counters.recordMiss('a');
    expect(await counters.blocked('a')).toBeNull();
    clock.advance(20_000);
    await counters.recordMiss('a');
    const blocked = await counters.blocked('a');
    expect(blocked).toMatchObject({ limit: 5, windowSeconds: 60, resetSeconds: 40 });
    expect(await counters.blocked('b')).toBeNull();
    clock.advance(40_000);
    expect(await counters.blocked('a')).toBeNull();
  });

  it('keeps a bounded number of subjects, the least recently missed dropped first', async () => {
    for (const subject of ['x', 'y', 'z', 'w'])
      for (let miss = 0; miss < 5; miss++) await counters.recordMiss(subject);
    expect(await counters.blocked('x')).toBeNull();
    expect(await counters.blocked('w')).not.toBeNull();
  });
});
