/**
 * A progress line for long operations (rebuild). On a terminal: one line redrawn in place, at most
 * ten times a second, with a bar when the total is known. Otherwise (logs, CI, pipes): a plain
 * line every few seconds. Always ends with a summary line.
 */
export class ProgressLine {
  private readonly started: number;
  private lastDraw = 0;
  private drawn = false;

  constructor(
    private readonly out: NodeJS.WritableStream,
    private readonly interactive: boolean,
    private readonly label: string,
    private total: number | null,
    private readonly now: () => number = () => performance.now(),
    private readonly plainEveryMs = 2_000,
  ) {
    this.started = now();
  }

  setTotal(total: number | null): void {
    this.total = total;
  }

  update(done: number): void {
    const now = this.now();
    if (now - this.lastDraw < (this.interactive ? 100 : this.plainEveryMs)) return;
    this.lastDraw = now;
    if (this.interactive) {
      this.out.write(`\r\x1b[2K${this.render(done, now)}`);
      this.drawn = true;
    } else {
      this.out.write(`${this.render(done, now)}\n`);
    }
  }

  /** The summary line; returns the elapsed seconds. */
  finish(done: number, note = 'done'): number {
    const now = this.now();
    const seconds = (now - this.started) / 1000;
    if (this.interactive && this.drawn) this.out.write('\r\x1b[2K');
    this.out.write(
      `${this.label}: ${note}, ${formatCount(done)} events in ${seconds.toFixed(1)} s (${formatCount(rate(done, seconds))} events/s)\n`,
    );
    return seconds;
  }

  render(done: number, now = this.now()): string {
    const seconds = (now - this.started) / 1000;
    const perSecond = rate(done, seconds);
    const parts = [this.label];
    if (this.total !== null && this.total > 0) {
      const fraction = Math.min(1, done / this.total);
      if (this.interactive) {
        const width = 24;
        const filled = Math.round(fraction * width);
        parts.push(`[${'#'.repeat(filled)}${'-'.repeat(width - filled)}]`);
      }
      parts.push(
        `${Math.floor(fraction * 100)}%`,
        `${formatCount(done)}/${formatCount(this.total)} events`,
      );
      parts.push(`${formatCount(perSecond)} events/s`);
      if (perSecond > 0 && done < this.total)
        parts.push(`ETA ${Math.ceil((this.total - done) / perSecond)} s`);
    } else {
      parts.push(`${formatCount(done)} events`, `${formatCount(perSecond)} events/s`);
    }
    return parts.join('  ');
  }
}

function rate(done: number, seconds: number): number {
  return seconds > 0 ? Math.round(done / seconds) : 0;
}

export function formatCount(value: number): string {
  return Math.round(value)
    .toString()
    .replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}
