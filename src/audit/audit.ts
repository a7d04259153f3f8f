import { evolve, initialState, viewAt } from '../ledger/decider';
import type { Actor, BlockCategory, BlockSource, LedgerEvent } from '../ledger/events';
import type { LedgerOptions, LedgerState } from '../ledger/state';
import { toLedgerEvent } from '../ledger/upcast';
import type { AuditedEvent, AuditRule, AuditWarning, Violation } from './audited-event';
import { AuditBook, type BookView, type CreditsOutByKind, type HoldStatus } from './book';
import { summarize } from './summary';

/** One line of the timeline: an event and the account right after it. */
export interface TimelineEntry {
  revision: number;
  eventId: string | null;
  position: string | null;
  occurredAt: string;
  type: string;
  /** What the event did to the balance: + credits in, − credits out, 0 for holds and releases. */
  change: number;
  balance: number;
  available: number;
  reserved: number;
  /** One human line: ids, amounts, blocks, reasons. */
  summary: string;
  /** Who wrote it (the event's metadata): an API key, Stripe, the system, an admin. */
  actor: Actor | null;
}

/** A block as the audit's book has it at the end of the fold. */
export interface AuditLot {
  blockId: string;
  category: BlockCategory;
  source: BlockSource;
  credits: number;
  remaining: number;
  grantedAt: string;
  expiresAt: string | null;
  /** A CreditsExpired was recorded for it. */
  expired: boolean;
}

export interface AuditHold {
  reservationId: string;
  /** Credits still held (0 once closed). */
  credits: number;
  expiresAt: string;
  status: HoldStatus;
}

/** The figures of the report in one place (the console's and finance's first look). */
export interface AuditSummary {
  events: number;
  creditsIn: number;
  creditsOut: number;
  /** creditsOut by what took them: adjustments are never counted as spent. */
  out: CreditsOutByKind;
  violations: number;
  warnings: number;
}

export interface AuditReport {
  accountId: string;
  /** The instant the stream was folded up to; null for the whole stream. */
  at: string | null;
  timeline: TimelineEntry[];
  /**
   * The account at `at` (or at the audit's `now`), as GET …/balance?at= answers it: blocks past
   * their expiresAt count as gone even where no CreditsExpired was written yet.
   */
  closing: BookView & { asOf: string; revision: number };
  creditsIn: number;
  creditsOut: number;
  summary: AuditSummary;
  lots: AuditLot[];
  holds: AuditHold[];
  violations: Violation[];
  warnings: AuditWarning[];
}

export interface AuditOptions {
  /** Fold only the events that occurred at or before this instant (as balance?at= does). */
  at?: Date;
  /** The instant of the closing view when `at` is not given. */
  now: Date;
  ledgerOptions?: Partial<LedgerOptions>;
}

/**
 * The audit of one account stream (pure): the timeline, and every invariant of LEDGER.md checked
 * after each event and at the end of each append. Two books are kept side by side: the audit's own
 * (AuditBook, built from the events with the rules of LEDGER.md) and the domain's fold (evolve, as
 * the service uses it); any disagreement between them is a violation too.
 */
export function auditStream(
  accountId: string,
  events: Iterable<AuditedEvent>,
  options: AuditOptions,
): AuditReport {
  const book = new AuditBook();
  const domain = new DomainFold(initialState(options.ledgerOptions));
  const violations: Violation[] = [];
  const warnings: AuditWarning[] = [];
  const timeline: TimelineEntry[] = [];
  const atMs = options.at?.getTime() ?? null;
  let expectedRevision = 0;
  let lastOccurredMs = Number.NEGATIVE_INFINITY;
  let appendKey: string | null = null;
  let appendAtMs = 0;
  let appendRevision = -1;

  const endAppend = () => {
    if (appendKey === null) return;
    book.checkAppendEnd(appendAtMs, (rule, message) =>
      violations.push({ revision: appendRevision, rule, message }),
    );
    appendKey = null;
  };

  for (const recorded of events) {
    const revision = recorded.revision;
    const report = (rule: AuditRule, message: string) =>
      violations.push({ revision, rule, message });
    if (atMs !== null && rawOccurredMs(recorded) > atMs) break;
    if (revision !== expectedRevision) {
      report(
        'revision_gap',
        revision > expectedRevision
          ? `revision ${revision} comes after ${expectedRevision - 1}: revisions ${expectedRevision} to ${revision - 1} are missing`
          : `revision ${revision} comes after ${expectedRevision - 1}: repeated or out of order`,
      );
    }
    expectedRevision = revision + 1;
    let event: LedgerEvent;
    try {
      event = toLedgerEvent(recorded);
    } catch (error) {
      report('unreadable_event', error instanceof Error ? error.message : String(error));
      continue;
    }
    const occurredMs = Date.parse(event.metadata.occurredAt);
    if (occurredMs < lastOccurredMs) {
      warnings.push({
        revision,
        message: `occurredAt ${event.metadata.occurredAt} is before the previous event's; ?at= folds stop at the first event after the instant`,
      });
    }
    lastOccurredMs = Math.max(lastOccurredMs, occurredMs);

    const key = `${String(event.metadata.correlationId)}\u0000${event.metadata.occurredAt}`;
    if (key !== appendKey) endAppend();
    appendKey = key;
    appendAtMs = occurredMs;
    appendRevision = revision;

    let change: number;
    try {
      change = book.apply(event, revision, report);
    } catch (error) {
      // A field the event's type requires is missing or of the wrong kind.
      report(
        'unreadable_event',
        `malformed ${event.type}: ${error instanceof Error ? error.message : String(error)}`,
      );
      change = 0;
    }
    const totals = book.totals;
    checkTotals(book, totals, report);
    domain.fold(event, totals, report);
    timeline.push({
      revision,
      eventId: recorded.eventId ?? null,
      position: recorded.position ?? null,
      occurredAt: event.metadata.occurredAt,
      type: event.type,
      change,
      ...totals,
      summary: safely(() => summarize(event)),
      actor: actorOf(event),
    });
  }
  endAppend();

  const asOfMs = atMs ?? options.now.getTime();
  const closing = book.viewAt(asOfMs);
  domain.compareView(asOfMs, closing, (rule, message) =>
    violations.push({ revision: null, rule, message }),
  );
  return {
    accountId,
    at: options.at?.toISOString() ?? null,
    timeline,
    closing: {
      ...closing,
      asOf: new Date(asOfMs).toISOString(),
      revision: timeline.at(-1)?.revision ?? -1,
    },
    creditsIn: book.creditsIn,
    creditsOut: book.creditsOut,
    summary: {
      events: timeline.length,
      creditsIn: book.creditsIn,
      creditsOut: book.creditsOut,
      out: { ...book.out },
      violations: violations.length,
      warnings: warnings.length,
    },
    lots: [...book.lots.values()].map((lot) => ({
      blockId: lot.blockId,
      category: lot.category,
      source: lot.source,
      credits: lot.credits,
      remaining: lot.remaining,
      grantedAt: isoOrNull(lot.grantedAtMs) ?? '',
      expiresAt: isoOrNull(lot.expiresAtMs),
      expired: lot.expired,
    })),
    holds: [...book.holds.values()].map((hold) => ({
      reservationId: hold.reservationId,
      credits: hold.credits,
      expiresAt: isoOrNull(hold.deadlineMs) ?? '',
      status: hold.status,
    })),
    violations,
    warnings,
  };
}

function isoOrNull(ms: number | null): string | null {
  return ms === null || !Number.isFinite(ms) ? null : new Date(ms).toISOString();
}

/** The actor as stored, when it has the expected shape (the audit reads events, it does not trust them). */
function actorOf(event: LedgerEvent): Actor | null {
  const actor = event.metadata.actor as Partial<Actor> | undefined;
  return actor && typeof actor.kind === 'string' && typeof actor.id === 'string'
    ? { kind: actor.kind, id: actor.id }
    : null;
}

function safely(describe: () => string): string {
  try {
    return describe();
  } catch {
    return '(malformed)';
  }
}

/** The event's occurredAt as stored (NaN when there is none to read). */
function rawOccurredMs(recorded: AuditedEvent): number {
  const metadata = recorded.metadata as { occurredAt?: unknown } | null;
  return typeof metadata?.occurredAt === 'string' ? Date.parse(metadata.occurredAt) : Number.NaN;
}

/** LEDGER.md invariants 1 and 2 after every event, and every block within its bounds. */
function checkTotals(
  book: AuditBook,
  totals: BookView,
  report: (rule: AuditRule, message: string) => void,
): void {
  if (totals.available < 0) report('negative_available', `available is ${totals.available}`);
  if (totals.reserved < 0) report('negative_reserved', `reserved is ${totals.reserved}`);
  const net = book.creditsIn - book.creditsOut;
  if (totals.balance !== net) {
    report(
      'balance_equation',
      `balance is ${totals.balance} but credits in − credits out is ${book.creditsIn} − ${book.creditsOut} = ${net}`,
    );
  }
  for (const blockId of book.touched) {
    const lot = book.lots.get(blockId)!;
    if (lot.remaining < 0)
      report('negative_block', `block ${blockId} holds ${lot.remaining} credits`);
    if (lot.remaining > lot.credits)
      report(
        'block_overfilled',
        `block ${blockId} holds ${lot.remaining} credits, more than the ${lot.credits} it was created with`,
      );
  }
}

/** The domain's own fold, compared with the audit's book after every event. */
class DomainFold {
  private failed = false;

  constructor(private readonly state: LedgerState) {}

  fold(
    event: LedgerEvent,
    expected: BookView,
    report: (rule: AuditRule, message: string) => void,
  ): void {
    if (this.failed) return;
    try {
      evolve(this.state, event);
    } catch (error) {
      this.failed = true;
      report(
        'domain_fold',
        `the ledger cannot fold this event (${error instanceof Error ? error.message : String(error)}); later events are checked by the audit's book only`,
      );
      return;
    }
    const folded = { available: this.state.unexpiredRemaining, reserved: this.state.reserved };
    if (folded.available !== expected.available || folded.reserved !== expected.reserved) {
      report(
        'domain_fold',
        `the ledger's fold gives available ${folded.available}, reserved ${folded.reserved}; the events give ${expected.available}, ${expected.reserved}`,
      );
    }
  }

  compareView(
    atMs: number,
    expected: BookView,
    report: (rule: AuditRule, message: string) => void,
  ): void {
    if (this.failed) return;
    const view = viewAt(this.state, new Date(atMs));
    if (
      view.balance !== expected.balance ||
      view.available !== expected.available ||
      view.reserved !== expected.reserved
    ) {
      report(
        'domain_fold',
        `at ${new Date(atMs).toISOString()} the ledger's view gives balance ${view.balance}, available ${view.available}, reserved ${view.reserved}; ` +
          `the events give ${expected.balance}, ${expected.available}, ${expected.reserved}`,
      );
    }
  }
}
