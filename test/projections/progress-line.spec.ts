import { PassThrough } from 'node:stream';
import { formatCount, ProgressLine } from '../../projections/ops/progress-line';

function capture(): { stream: PassThrough; text: () => string } {
  const stream = new PassThrough();
  const chunks: string[] = [];
  stream.on('data', (chunk) => chunks.push(String(chunk)));
  return { stream, text: () => chunks.join('') };
}

describe('ProgressLine', () => {
  it('redraws one line on a terminal, with a bar, events/s and an ETA', () => {
    let now = 0;
    const out = capture();
    const line = new ProgressLine(out.stream, true, 'rebuild accounts', 10_000, () => now);
    now = 1_000;
    line.update(2_500);
    now = 1_050; // throttled: not redrawn
    line.update(2_600);
    now = 2_000;
    line.update(5_000);
    expect(out.text()).toBe(
      '\r\x1b[2Krebuild accounts  [######------------------]  25%  2,500/10,000 events  2,500 events/s  ETA 3 s' +
        '\r\x1b[2Krebuild accounts  [############------------]  50%  5,000/10,000 events  2,500 events/s  ETA 2 s',
    );
    now = 4_000;
    line.finish(10_000, 'replayed');
    expect(
      out
        .text()
        .endsWith('\r\x1b[2Krebuild accounts: replayed, 10,000 events in 4.0 s (2,500 events/s)\n'),
    ).toBe(true);
  });

  it('prints plain lines every few seconds when not a terminal, and copes with an unknown total', () => {
    let now = 0;
    const out = capture();
    const line = new ProgressLine(out.stream, false, 'rebuild transactions', null, () => now);
    now = 2_000;
    line.update(1_000);
    now = 3_000;
    line.update(1_500); // within 2 s of the last line
    now = 4_000;
    line.update(4_000);
    line.finish(4_000);
    expect(out.text().split('\n')).toEqual([
      'rebuild transactions  1,000 events  500 events/s',
      'rebuild transactions  4,000 events  1,000 events/s',
      'rebuild transactions: done, 4,000 events in 4.0 s (1,000 events/s)',
      '',
    ]);
    expect(formatCount(1234567)).toBe('1,234,567');
  });
});
