const MS_PER_DAY = 86_400_000;

/**
 * When credits.expiring is due for a block expiring at `expiresAt`: `expiringDays` before it.
 * The reactor records it when the block opens; the notice worker sends it then if the block still
 * holds credits and has not expired. A block that opens already inside the window is noticed at
 * once (its notice time is in the past).
 */
export function noticeAt(expiresAt: string, expiringDays: number): Date {
  return new Date(new Date(expiresAt).getTime() - expiringDays * MS_PER_DAY);
}

/** Whether a recorded notice is still worth sending at `now`. */
export function noticeStillDue(
  notice: { remaining: number; expiresAt: Date; noticeAt: Date },
  now: Date,
): boolean {
  return (
    notice.remaining > 0 &&
    notice.noticeAt.getTime() <= now.getTime() &&
    notice.expiresAt.getTime() > now.getTime()
  );
}
