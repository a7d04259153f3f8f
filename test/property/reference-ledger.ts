/**
 * A deliberately simple model of one account, written from LEDGER.md alone (no import from
 * src/ledger): a list of lots, a list of holds, a list of spends. Nothing is cached or indexed;
 * every answer is recomputed from the lists, and every command works on a copy that is kept only
 * when the command is accepted. The property tests drive the real domain and this model with the
 * same commands and compare every answer.
 */
export type Category = 'paid' | 'promotional';

export interface Lot {
  id: string;
  category: Category;
  credits: number;
  left: number;
  grantedAt: number;
  expiresAt: number | null;
  /** A CreditsExpired was written for it: whatever comes back to it is lost. */
  dead: boolean;
  purchaseId?: string;
}

export interface Part {
  lot: string;
  credits: number;
}

export interface Hold {
  id: string;
  /** What is still held, per lot, in the order drawn. */
  parts: Part[];
  deadline: number;
  status: 'open' | 'captured' | 'released' | 'expired';
}

export interface Spend {
  id: string;
  /** What can still be refunded, per lot, in the order drawn. */
  parts: Part[];
}

export interface Purchase {
  id: string;
  lot: string;
  credits: number;
  providerRef: string;
  reversed: number;
  /** The account right after it: what a repeat of it answers. */
  answer: Totals;
}

export interface Totals {
  balance: number;
  available: number;
  reserved: number;
}

export interface Remembered {
  hash: string;
  answer: Totals;
}

export interface Account {
  lots: Lot[];
  holds: Hold[];
  spends: Spend[];
  purchases: Purchase[];
  creditsIn: number;
  creditsOut: number;
  keys: Record<string, Remembered>;
}

export type Command =
  | { kind: 'grant'; blockId: string; credits: number; category: Category; expiresAt?: number }
  | {
      kind: 'purchase';
      blockId: string;
      purchaseId: string;
      credits: number;
      providerRef: string;
      expiresAt?: number;
    }
  | { kind: 'spend'; spendId: string; credits: number }
  | { kind: 'refund'; refundId: string; spendId: string; credits?: number }
  | { kind: 'reserve'; reservationId: string; credits: number; ttlSeconds: number }
  | { kind: 'capture'; reservationId: string; spendId: string; credits?: number }
  | { kind: 'release'; reservationId: string }
  | { kind: 'expire' }
  | { kind: 'reverse'; providerRef: string; credits?: number; totalCredits?: number };

export type Answer =
  | { kind: 'accepted'; remembered: boolean }
  /** A repeat of a purchase (same reference, same figures): the first one's answer. */
  | { kind: 'noop'; answer: Totals }
  | { kind: 'replayed'; answer: Totals }
  | { kind: 'rejected'; code: string; details?: Record<string, number> };

export function emptyAccount(): Account {
  return { lots: [], holds: [], spends: [], purchases: [], creditsIn: 0, creditsOut: 0, keys: {} };
}

function copy(account: Account): Account {
  return structuredClone(account);
}

function sum(parts: readonly { credits: number }[]): number {
  let total = 0;
  for (const part of parts) total += part.credits;
  return total;
}

export function isGone(lot: Lot, now: number): boolean {
  return lot.dead || (lot.expiresAt !== null && lot.expiresAt <= now);
}

/** Credits in lots and in open holds, as stored (nothing settled). */
export function totals(account: Account): Totals {
  const available = sum(account.lots.map((lot) => ({ credits: lot.left })));
  const reserved = sum(
    account.holds.filter((hold) => hold.status === 'open').flatMap((hold) => hold.parts),
  );
  return { balance: available + reserved, available, reserved };
}

/**
 * What is due at `now`, done: holds past their deadline give everything back to their lots, then
 * every lot past its expiry loses what it has.
 */
export function settle(account: Account, now: number): Account {
  const next = copy(account);
  for (const hold of next.holds) {
    if (hold.status === 'open' && hold.deadline <= now) {
      giveBack(next, hold.parts);
      hold.parts = [];
      hold.status = 'expired';
    }
  }
  for (const lot of next.lots) {
    if (lot.left > 0 && isGone(lot, now)) {
      next.creditsOut += lot.left;
      lot.left = 0;
      lot.dead = true;
    }
  }
  return next;
}

/** The account as seen at `now`. */
export function viewAt(account: Account, now: number): Totals {
  return totals(settle(account, now));
}

/** Remaining credits per lot as seen at `now` (lots with nothing left omitted). */
export function lotsAt(account: Account, now: number): Record<string, number> {
  const result: Record<string, number> = {};
  for (const lot of settle(account, now).lots) if (lot.left > 0) result[lot.id] = lot.left;
  return result;
}

/** Lots a spend may use at `now`, in LEDGER.md drawdown order. */
function usable(account: Account, now: number): Lot[] {
  return account.lots
    .filter((lot) => lot.left > 0 && !isGone(lot, now))
    .sort(
      (a, b) =>
        (a.expiresAt ?? Infinity) - (b.expiresAt ?? Infinity) ||
        (a.category === b.category ? 0 : a.category === 'promotional' ? -1 : 1) ||
        a.grantedAt - b.grantedAt ||
        (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
    );
}

/** Takes up to `credits` from `lots` in their order. */
function take(lots: Lot[], credits: number): Part[] {
  const parts: Part[] = [];
  let wanted = credits;
  for (const lot of lots) {
    if (wanted === 0) break;
    const part = Math.min(lot.left, wanted);
    if (part > 0) {
      lot.left -= part;
      parts.push({ lot: lot.id, credits: part });
      wanted -= part;
    }
  }
  return parts;
}

function lotNamed(account: Account, id: string): Lot {
  const lot = account.lots.find((candidate) => candidate.id === id);
  if (!lot) throw new Error(`reference: no lot ${id}`);
  return lot;
}

function giveBack(account: Account, parts: readonly Part[]): void {
  for (const part of parts) lotNamed(account, part.lot).left += part.credits;
}

/** Credits returned to lots that are gone are lost at once. */
function giveBackAndExpire(account: Account, parts: readonly Part[], now: number): void {
  giveBack(account, parts);
  for (const part of parts) {
    const lot = lotNamed(account, part.lot);
    if (isGone(lot, now) && lot.left > 0) {
      account.creditsOut += lot.left;
      lot.left = 0;
      lot.dead = true;
    }
  }
}

/** `credits` from the end of `parts` (last drawn first); `parts` keeps the rest. */
function takeFromEnd(parts: Part[], credits: number): Part[] {
  const taken: Part[] = [];
  let wanted = credits;
  for (let index = parts.length - 1; index >= 0 && wanted > 0; index--) {
    const part = Math.min(parts[index].credits, wanted);
    parts[index].credits -= part;
    wanted -= part;
    if (part > 0) taken.push({ lot: parts[index].lot, credits: part });
  }
  return taken;
}

/** `credits` from the front of `parts` (first drawn first); `parts` keeps the rest. */
function takeFromFront(parts: Part[], credits: number): Part[] {
  const taken: Part[] = [];
  let wanted = credits;
  for (const entry of parts) {
    if (wanted === 0) break;
    const part = Math.min(entry.credits, wanted);
    entry.credits -= part;
    wanted -= part;
    if (part > 0) taken.push({ lot: entry.lot, credits: part });
  }
  return taken;
}

function holdProblem(account: Account, reservationId: string, now: number): Answer | null {
  const hold = account.holds.find((candidate) => candidate.id === reservationId);
  if (!hold) return { kind: 'rejected', code: 'not_found' };
  if (hold.status === 'expired' || (hold.status === 'open' && hold.deadline <= now))
    return { kind: 'rejected', code: 'reservation_expired' };
  if (hold.status !== 'open') return { kind: 'rejected', code: 'reservation_closed' };
  return null;
}

/**
 * Runs a command at `now` with an optional idempotency key (and the hash of its request). Returns
 * the answer and the account afterwards (the same object when nothing was written).
 */
export function run(
  account: Account,
  command: Command,
  now: number,
  key?: { key: string; hash: string },
): { answer: Answer; account: Account } {
  if (key && account.keys[key.key]) {
    const remembered = account.keys[key.key];
    if (remembered.hash === key.hash)
      return { answer: { kind: 'replayed', answer: remembered.answer }, account };
    return { answer: { kind: 'rejected', code: 'idempotency_key_reused' }, account };
  }
  const outcome = decide(account, command, now);
  if (outcome.kind !== 'accepted') return { answer: outcome, account };
  const { next, wroteOwnEvents } = outcome;
  if (key && wroteOwnEvents) next.keys[key.key] = { hash: key.hash, answer: totals(next) };
  return {
    answer: { kind: 'accepted', remembered: Boolean(key && wroteOwnEvents) },
    account: next,
  };
}

type Decided =
  | Exclude<Answer, { kind: 'accepted' } | { kind: 'replayed' }>
  | { kind: 'accepted'; next: Account; wroteOwnEvents: boolean };

function decide(account: Account, command: Command, now: number): Decided {
  switch (command.kind) {
    case 'grant':
    case 'purchase': {
      const earlier =
        command.kind === 'purchase'
          ? account.purchases.find((purchase) => purchase.providerRef === command.providerRef)
          : undefined;
      // The figures are the credits (the workload pays 10 per credit, always through one provider).
      if (earlier)
        return earlier.credits === command.credits
          ? { kind: 'noop', answer: earlier.answer }
          : { kind: 'rejected', code: 'purchase_conflict' };
      if (command.expiresAt !== undefined && command.expiresAt <= now)
        return { kind: 'rejected', code: 'invalid_expiry' };
      const next = settle(account, now);
      next.lots.push({
        id: command.blockId,
        category: command.kind === 'purchase' ? 'paid' : command.category,
        credits: command.credits,
        left: command.credits,
        grantedAt: now,
        expiresAt: command.expiresAt ?? null,
        dead: false,
      });
      if (command.kind === 'purchase') {
        next.purchases.push({
          id: command.purchaseId,
          lot: command.blockId,
          credits: command.credits,
          providerRef: command.providerRef,
          reversed: 0,
          answer: totals(next),
        });
      }
      next.creditsIn += command.credits;
      return { kind: 'accepted', next, wroteOwnEvents: true };
    }
    case 'spend':
    case 'reserve': {
      const next = settle(account, now);
      const available = totals(next).available;
      if (available < command.credits)
        return {
          kind: 'rejected',
          code: 'insufficient_credits',
          details: { available, required: command.credits },
        };
      const parts = take(usable(next, now), command.credits);
      if (command.kind === 'spend') {
        next.spends.push({ id: command.spendId, parts });
        next.creditsOut += command.credits;
      } else {
        next.holds.push({
          id: command.reservationId,
          parts,
          deadline: now + command.ttlSeconds * 1000,
          status: 'open',
        });
      }
      return { kind: 'accepted', next, wroteOwnEvents: true };
    }
    case 'refund': {
      const spend = account.spends.find((candidate) => candidate.id === command.spendId);
      if (!spend) return { kind: 'rejected', code: 'not_found' };
      const refundable = sum(spend.parts);
      if (refundable === 0) return { kind: 'rejected', code: 'spend_fully_refunded' };
      const credits = command.credits ?? refundable;
      if (credits > refundable || credits === 0)
        return { kind: 'rejected', code: 'refund_exceeds_spend', details: { refundable } };
      const next = settle(account, now);
      const nextSpend = next.spends.find((candidate) => candidate.id === command.spendId)!;
      const back = takeFromEnd(nextSpend.parts, credits);
      nextSpend.parts = nextSpend.parts.filter((part) => part.credits > 0);
      next.creditsIn += credits;
      giveBackAndExpire(next, back, now);
      return { kind: 'accepted', next, wroteOwnEvents: true };
    }
    case 'capture':
    case 'release': {
      const problem = holdProblem(account, command.reservationId, now);
      if (problem) return problem as Decided;
      const held = sum(account.holds.find((hold) => hold.id === command.reservationId)!.parts);
      const credits = command.kind === 'capture' ? (command.credits ?? held) : 0;
      if (credits > held)
        return { kind: 'rejected', code: 'capture_exceeds_hold', details: { held } };
      const next = settle(account, now);
      const hold = next.holds.find((candidate) => candidate.id === command.reservationId)!;
      if (command.kind === 'capture') {
        const spent = takeFromFront(hold.parts, credits);
        next.spends.push({ id: command.spendId, parts: spent });
        next.creditsOut += credits;
      }
      const rest = hold.parts.filter((part) => part.credits > 0);
      hold.parts = [];
      hold.status = command.kind === 'capture' ? 'captured' : 'released';
      giveBackAndExpire(next, rest, now);
      return { kind: 'accepted', next, wroteOwnEvents: true };
    }
    case 'expire':
      return { kind: 'accepted', next: settle(account, now), wroteOwnEvents: false };
    case 'reverse': {
      const purchase = account.purchases.find(
        (candidate) => candidate.providerRef === command.providerRef,
      );
      if (!purchase) return { kind: 'rejected', code: 'not_found' };
      const total = command.totalCredits ?? purchase.reversed + (command.credits ?? 0);
      const toReverse = Math.min(total, purchase.credits) - purchase.reversed;
      const next = settle(account, now);
      if (toReverse <= 0) return { kind: 'accepted', next, wroteOwnEvents: false };
      const lots = usable(next, now);
      const ownFirst = [
        ...lots.filter((lot) => lot.id === purchase.lot),
        ...lots.filter((lot) => lot.id !== purchase.lot),
      ];
      const removed = sum(take(ownFirst, toReverse));
      next.creditsOut += removed;
      next.purchases.find((candidate) => candidate.id === purchase.id)!.reversed += toReverse;
      return { kind: 'accepted', next, wroteOwnEvents: true };
    }
  }
}

/** Every deadline and expiry instant of the account still ahead of `now`, for clock moves that land on them. */
export function upcomingInstants(account: Account, now: number): number[] {
  const instants = [
    ...account.lots
      .filter((lot) => lot.expiresAt !== null && !lot.dead)
      .map((lot) => lot.expiresAt!),
    ...account.holds.filter((hold) => hold.status === 'open').map((hold) => hold.deadline),
  ];
  return instants.filter((instant) => instant > now).sort((a, b) => a - b);
}
