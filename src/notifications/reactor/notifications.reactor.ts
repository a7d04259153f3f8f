import type { PoolClient } from 'pg';
import { blockChanges } from '../../../projections/ledger/effects';
import type { Projection, ProjectedEvent } from '../../../projections/projection';
import type { LedgerEvent } from '../../ledger/events';
import { crossedAlerts, type BalanceAlert } from '../alerts/alert-rules';
import { effectiveSettings, type AlertSettings } from '../alerts/alert-settings';
import { noticeAt } from '../alerts/expiry-notice';
import type { EmailTemplateName } from '../email/email-templates';
import { derivedId } from '../outbox/message-ids';
import { writeOutbox, type OutgoingEmail, type OutgoingMessage } from '../outbox/outbox-writer';
import { ledgerFact } from '../webhooks/ledger-facts';
import { foldReactorAccount, newReactorAccount } from './account-fold';
import {
  loadAccounts,
  loadContacts,
  loadSettings,
  publishedFrom,
  writeAccounts,
  writeNoticeChanges,
  type Contact,
  type NoticeChanges,
  type ReactorAccount,
} from './reactor-store';

export const NOTIFICATIONS_REACTOR = 'notifications';

export interface NotificationsReactorOptions {
  lowBalanceThreshold: number;
  expiringNoticeDays: number;
  emailsEnabled: boolean;
  /** The clock's now, for the outbox rows' due time. */
  now: () => Date;
}

/**
 * The reactor of PRODUCT.md §5 (registered with ReactorRegistry: its own checkpoint, stored in the
 * same transaction as everything `apply` writes). Per batch it folds each account's available
 * credits and last top-up (its own table: no read of a projection that runs on another checkpoint),
 * and writes, in that transaction:
 * - the ledger facts and the balance alerts as webhook messages (outbox), and the emails;
 * - the expiry notices of blocks with an expiry (the notice worker sends credits.expiring).
 * An event already folded (revision at or below the account's) is skipped, so a batch applied again
 * changes nothing. Events recorded before `notification_start.published_from` (a ledger older than
 * this feature) are folded silently: nobody receives years of old facts on the first start.
 */
export class NotificationsReactor implements Projection {
  readonly name = NOTIFICATIONS_REACTOR;
  readonly tables = [] as const;
  readonly description =
    'notifications: webhook and email outboxes, balance alerts, expiry notices';
  private start: Date | null = null;

  constructor(private readonly options: NotificationsReactorOptions) {}

  async apply(client: PoolClient, events: readonly ProjectedEvent[]): Promise<void> {
    if (events.length === 0) return;
    this.start ??= await publishedFrom(client);
    const accountIds = [...new Set(events.map((event) => event.accountId))];
    // One connection runs one query at a time: in turn.
    const accounts = await loadAccounts(client, accountIds);
    const stored = await loadSettings(client, accountIds);
    const contacts = this.options.emailsEnabled
      ? await loadContacts(client, accountIds)
      : new Map<string, Contact>();
    const changed = new Map<string, ReactorAccount>();
    const messages: OutgoingMessage[] = [];
    const emails: OutgoingEmail[] = [];
    const notices: NoticeChanges = { opened: [], deltas: new Map(), expired: [] };
    for (const projected of events) {
      const before =
        changed.get(projected.accountId) ??
        accounts.get(projected.accountId) ??
        newReactorAccount(projected.accountId);
      if (projected.revision <= before.revision) continue;
      const settings = effectiveSettings(stored.get(projected.accountId), this.options);
      const after = foldReactorAccount(before, projected.event, projected.revision);
      changed.set(projected.accountId, after);
      recordNoticeChanges(notices, projected, settings);
      if (projected.recordedAt.getTime() < this.start.getTime()) continue;
      const alerts = crossedAlerts(before, after, settings);
      messages.push(...messagesOf(projected, after, alerts));
      const contact = contacts.get(projected.accountId);
      if (contact) emails.push(...emailsOf(projected, after, alerts, contact));
    }
    await writeAccounts(client, [...changed.values()]);
    await writeNoticeChanges(client, notices);
    await writeOutbox(client, { messages, emails }, this.options.now());
  }
}

function balances(account: ReactorAccount): Record<string, number> {
  return { balance: account.available + account.reserved, available: account.available };
}

function messagesOf(
  projected: ProjectedEvent,
  after: ReactorAccount,
  alerts: BalanceAlert[],
): OutgoingMessage[] {
  const { accountId, eventId, event } = projected;
  const timestamp = event.metadata.occurredAt;
  const messages: OutgoingMessage[] = [];
  const fact = ledgerFact(event, accountId);
  if (fact) {
    messages.push({
      id: derivedId('msg', eventId, fact.type),
      type: fact.type,
      accountId,
      timestamp,
      data: {
        accountId,
        ...fact.data,
        ...(fact.withBalances === false ? {} : balances(after)),
      },
    });
  }
  for (const alert of alerts) {
    const { key, type, ...rest } = alert;
    messages.push({
      id: derivedId('msg', eventId, type, key),
      type,
      accountId,
      timestamp,
      data: { accountId, ...rest, balance: after.available + after.reserved },
    });
  }
  return messages;
}

function emailsOf(
  projected: ProjectedEvent,
  after: ReactorAccount,
  alerts: BalanceAlert[],
  contact: Contact,
): OutgoingEmail[] {
  const { accountId, eventId, event } = projected;
  const base = { accountId, to: contact.address };
  const common = { name: contact.name ?? accountId, accountId, available: after.available };
  const emails: OutgoingEmail[] = [];
  const welcome = welcomeCredits(event);
  if (event.type === 'CreditsPurchased') {
    const { amountPaid } = event.data;
    emails.push({
      ...base,
      id: derivedId('eml', eventId, 'purchase-receipt'),
      template: 'purchase-receipt',
      data: {
        ...common,
        credits: event.data.credits,
        amountPaid: `${(amountPaid.minor / 100).toFixed(2)} ${amountPaid.currency}`,
        packId: event.data.packId ?? '—',
        purchaseId: event.data.purchaseId,
      },
    });
  } else if (welcome !== null) {
    emails.push({
      ...base,
      id: derivedId('eml', eventId, 'welcome'),
      template: 'welcome',
      data: { ...common, credits: welcome },
    });
  }
  const notice = lifecycleEmail(event);
  if (notice)
    emails.push({
      ...base,
      id: derivedId('eml', eventId, notice.template),
      template: notice.template,
      data: { ...common, ...notice.data },
    });
  // One email for the event, however many lines it crossed.
  if (alerts.length > 0) {
    emails.push({
      ...base,
      id: derivedId('eml', eventId, 'low-balance'),
      template: 'low-balance',
      data: {
        ...common,
        thresholds: alerts
          .map((alert) =>
            alert.type === 'balance.depleted' ? 'depleted' : `below ${alert.threshold}`,
          )
          .join(', '),
      },
    });
  }
  return emails;
}

/** The subscription and auto top-up notices (PRODUCT.md §5), from their events. */
function lifecycleEmail(
  event: LedgerEvent,
): { template: EmailTemplateName; data: Record<string, unknown> } | null {
  switch (event.type) {
    case 'SubscriptionRenewed':
      return {
        template: 'subscription-renewed',
        data: {
          planId: event.data.plan.planId,
          credits: event.data.credits,
          rolloverCredits: event.data.rollover?.credits ?? 0,
          periodEnd: event.data.periodEnd.slice(0, 10),
        },
      };
    case 'SubscriptionCanceled':
      return {
        template: 'subscription-canceled',
        data: { planId: event.data.planId ?? '—', endedAt: event.data.endedAt.slice(0, 10) },
      };
    case 'AutoTopUpFailed':
      return {
        template: 'auto-top-up-failed',
        data: {
          packId: event.data.packId,
          reason: event.data.reason,
          nextStep: event.data.disabled
            ? `After ${event.data.consecutiveFailures} failures in a row, automatic top-up is now off: update your payment method and turn it on again.`
            : 'We will try again the next time your balance falls below your threshold.',
        },
      };
    default:
      return null;
  }
}

function welcomeCredits(event: LedgerEvent): number | null {
  return event.type === 'CreditsGranted' && event.data.reason === 'signup'
    ? event.data.credits
    : null;
}

function recordNoticeChanges(
  notices: NoticeChanges,
  projected: ProjectedEvent,
  settings: AlertSettings,
): void {
  const { accountId } = projected;
  for (const change of blockChanges(projected.event)) {
    if (change.kind === 'open') {
      if (change.block.expiresAt === null) continue;
      notices.opened.push({
        accountId,
        blockId: change.block.blockId,
        expiresAt: change.block.expiresAt,
        noticeAt: noticeAt(change.block.expiresAt, settings.expiringDays),
        credits: change.block.credits,
      });
    } else if (change.kind === 'expire') {
      notices.expired.push({ accountId, blockId: change.blockId });
    } else {
      const key = `${accountId}\u0000${change.blockId}`;
      const delta = notices.deltas.get(key) ?? { accountId, blockId: change.blockId, credits: 0 };
      delta.credits += change.credits;
      notices.deltas.set(key, delta);
    }
  }
}
