import { epochMs, isDue, isoAt } from '../../src/ledger/instants';

/**
 * epochMs and isoAt keep their last answer (a command reads the same instants again and again):
 * whatever the order of the calls, each answer is the one Date gives for that input.
 */
describe('instants', () => {
  const isoTexts = [
    '2026-12-01T07:26:29.239Z',
    '2026-12-01T07:26:29.240Z',
    '1970-01-01T00:00:00.000Z',
    'not an instant',
    '2026-12-01T07:26:29.239Z',
  ];

  it('parses each ISO text as Date.parse does, repeated or not', () => {
    const inOrder = [...isoTexts, ...isoTexts.slice().reverse(), isoTexts[0], isoTexts[0]];
    for (const text of inOrder) expect(Object.is(epochMs(text), Date.parse(text))).toBe(true);
  });

  it('prints each instant as Date does, repeated or not, and still refuses an invalid one', () => {
    const instants = [0, 1_764_570_000_000, 1_764_570_000_001, 1_764_570_000_000, 0, 0, 8.64e15];
    for (const ms of instants) expect(isoAt(ms)).toBe(new Date(ms).toISOString());
    // Twice: a failed print leaves nothing behind that a second call could answer from.
    expect(() => isoAt(Number.NaN)).toThrow(RangeError);
    expect(() => isoAt(Number.NaN)).toThrow(RangeError);
    expect(isoAt(0)).toBe('1970-01-01T00:00:00.000Z');
  });

  it('compares deadlines after parsing them', () => {
    expect(isDue('2026-12-01T07:26:29.239Z', Date.parse('2026-12-01T07:26:29.239Z'))).toBe(true);
    expect(isDue('2026-12-01T07:26:29.239Z', Date.parse('2026-12-01T07:26:29.238Z'))).toBe(false);
    expect(isDue(null, Number.MAX_SAFE_INTEGER)).toBe(false);
  });
});
