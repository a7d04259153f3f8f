import {
  auditAccount,
  auditStream,
  AUDIT_FORMATS,
  formatReport,
  formatVerdict,
  type AuditFormat,
} from '../../audit';
import { ACCOUNT_ID_PATTERN } from '../../ledger/limits';
import { formatPayments, PaymentsBook } from '../../audit/payments';
import type { GlobalPosition } from '../../event-store/event-store.port';
import { toLedgerEvent } from '../../ledger/upcast';
import { UsageError, type CliCommand, type CliContext } from '../cli-command';

/** An instant with a time and an offset (2026-03-01T00:00:00Z, …+02:00): the same as the API's ?at=. */
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:\d{2})$/;

export interface AuditArguments {
  accountId: string;
  at?: Date;
  format: AuditFormat;
}

export interface PaymentsArguments {
  from: Date | null;
  to: Date | null;
  format: AuditFormat;
}

/**
 * `ledger audit <accountId> [--at <instant>] [--format table|csv|json]`: the account's timeline
 * (every event up to --at with the balance, available and reserved after it) and a check of the
 * stream's invariants (src/audit, docs/audit.md). Exit code 0 when every invariant holds, 1 on any
 * violation, 2 on a usage error.
 */
export const auditCommand: CliCommand = {
  name: 'audit',
  summary:
    "Print an account's timeline (balance, available, reserved after each event) and check its invariants; exit 1 on a violation",
  usage:
    'audit <accountId> [--at <instant>] [--format table|csv|json]\n       audit --payments [--from <instant>] [--to <instant>] [--format table|csv|json]',
  async run(args, context) {
    if (args.includes('--payments')) return runPayments(parsePaymentsArguments(args), context);
    const { accountId, at, format } = parseAuditArguments(args);
    const eventStore = await context.eventStore();
    const options = {
      at,
      now: new Date(),
      ledgerOptions: {
        idempotencyRetentionMs: context.config.idempotencyRetentionMs,
        recentSpendsKept: context.config.recentSpendsPerAccount,
      },
    };
    // The same code as GET …/audit (src/audit/audit-account.ts), without its bound on the stream.
    const report =
      (await auditAccount(eventStore, accountId, options)) ?? auditStream(accountId, [], options);
    context.stdout.write(formatReport(report, format));
    // The machine formats keep stdout parseable; the verdict goes to stderr for people and logs.
    if (format !== 'table') context.stderr.write(formatVerdict(report));
    return report.violations.length === 0 ? 0 : 1;
  },
};

/**
 * `ledger audit --payments [--from] [--to]`: money in, refunded, disputed, reinstated and the
 * shortfall over [from, to), summed from every account's ledger events (docs/audit.md "Payments").
 */
async function runPayments(args: PaymentsArguments, context: CliContext): Promise<number> {
  const eventStore = await context.eventStore();
  const book = new PaymentsBook(args);
  let after: GlobalPosition | null = null;
  for (;;) {
    const { events, lastPosition } = await eventStore.readAll({
      after,
      maxCount: 2_000,
      streamPrefix: 'credits-',
    });
    for (const recorded of events) {
      if (
        recorded.type !== 'CreditsPurchased' &&
        recorded.type !== 'PurchaseReversed' &&
        recorded.type !== 'ReversalUndone'
      )
        continue;
      book.add(recorded.streamId.slice('credits-'.length), toLedgerEvent(recorded));
    }
    if (lastPosition === null) break;
    after = lastPosition;
  }
  context.stdout.write(formatPayments(book.summary(), args.format));
  return 0;
}

export function parsePaymentsArguments(args: readonly string[]): PaymentsArguments {
  const parsed: PaymentsArguments = { from: null, to: null, format: 'table' };
  for (let index = 0; index < args.length; index++) {
    const arg = args[index];
    if (arg === '--payments') continue;
    const option = /^--(from|to|format)(?:=(.*))?$/.exec(arg);
    if (!option) throw new UsageError(`unexpected argument ${arg} with --payments`);
    const value = option[2] ?? args[++index];
    if (value === undefined) throw new UsageError(`--${option[1]} needs a value`);
    if (option[1] === 'format') parsed.format = parseFormat(value);
    else parsed[option[1] as 'from' | 'to'] = parseInstant(value, option[1]);
  }
  if (parsed.from && parsed.to && parsed.from >= parsed.to)
    throw new UsageError('--from must be before --to');
  return parsed;
}

export function parseAuditArguments(args: readonly string[]): AuditArguments {
  let accountId: string | undefined;
  let at: Date | undefined;
  let format: AuditFormat = 'table';
  for (let index = 0; index < args.length; index++) {
    const arg = args[index];
    const option = /^--(at|format)(?:=(.*))?$/.exec(arg);
    if (option) {
      const value = option[2] ?? args[++index];
      if (value === undefined) throw new UsageError(`--${option[1]} needs a value`);
      if (option[1] === 'at') at = parseInstant(value, 'at');
      else format = parseFormat(value);
    } else if (arg.startsWith('-')) {
      throw new UsageError(`unknown option ${arg}`);
    } else if (accountId === undefined) {
      accountId = arg;
    } else {
      throw new UsageError(`unexpected argument ${arg}`);
    }
  }
  if (accountId === undefined) throw new UsageError('which account? give its id');
  if (!ACCOUNT_ID_PATTERN.test(accountId))
    throw new UsageError(
      `account id ${JSON.stringify(accountId)} must be 1–128 characters of A–Z a–z 0–9 . _ : @ -`,
    );
  return { accountId, ...(at && { at }), format };
}

function parseInstant(value: string, name: string): Date {
  const ms = Date.parse(value);
  if (!ISO_INSTANT.test(value) || Number.isNaN(ms))
    throw new UsageError(
      `--${name} ${JSON.stringify(value)} is not an ISO-8601 instant with an offset, such as 2026-03-01T00:00:00Z`,
    );
  return new Date(ms);
}

function parseFormat(value: string): AuditFormat {
  if (!(AUDIT_FORMATS as readonly string[]).includes(value))
    throw new UsageError(`--format must be one of ${AUDIT_FORMATS.join(', ')}`);
  return value as AuditFormat;
}
