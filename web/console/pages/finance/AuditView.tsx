import { ActorLabel, DataTable, formatCredits, formatInstant } from '../../kit';
import type { AuditReport } from '../../console-routes';
import { Figures } from '../accounts/BalancePanel';

/**
 * The audit report (what `ledger audit` prints): violations and warnings first, the figures, where
 * the credits went, every lot with its source, the holds, and the timeline with each event's actor.
 */
export function AuditView({ report }: { report: AuditReport }) {
  const { summary } = report;
  return (
    <div data-testid="audit-report" className="c-stack-lg">
      <p className={report.violations.length === 0 ? 'c-ok' : 'c-error'} role="status">
        {report.accountId}: {summary.events} events,{' '}
        {report.violations.length === 0
          ? 'no violations'
          : `${report.violations.length} violations`}
        , {report.warnings.length} warnings (as of {formatInstant(report.closing.asOf)}).
      </p>
      {report.violations.length > 0 && (
        <DataTable
          caption="Violations"
          rows={report.violations}
          rowKey={(_, index) => String(index)}
          columns={[
            { header: 'Revision', numeric: true, cell: (row) => row.revision ?? 'stream' },
            { header: 'Rule', cell: (row) => <code>{row.rule}</code> },
            { header: 'Message', cell: (row) => row.message },
          ]}
        />
      )}
      {report.warnings.length > 0 && (
        <DataTable
          caption="Warnings"
          rows={report.warnings}
          rowKey={(_, index) => String(index)}
          columns={[
            { header: 'Revision', numeric: true, cell: (row) => row.revision },
            { header: 'Message', cell: (row) => row.message },
          ]}
        />
      )}
      <Figures balance={report.closing} />
      <DataTable
        caption="Credits in and out"
        rows={[summary]}
        rowKey={() => 'summary'}
        columns={[
          { header: 'In', numeric: true, cell: (row) => formatCredits(row.creditsIn) },
          { header: 'Out', numeric: true, cell: (row) => formatCredits(row.creditsOut) },
          { header: 'Spent', numeric: true, cell: (row) => formatCredits(row.out.spent) },
          { header: 'Adjusted', numeric: true, cell: (row) => formatCredits(row.out.adjusted) },
          { header: 'Expired', numeric: true, cell: (row) => formatCredits(row.out.expired) },
          { header: 'Reversed', numeric: true, cell: (row) => formatCredits(row.out.reversed) },
          {
            header: 'Gift escrow',
            numeric: true,
            cell: (row) => formatCredits(row.out.giftEscrow),
          },
          {
            header: 'Transferred',
            numeric: true,
            cell: (row) => formatCredits(row.out.transferred),
          },
        ]}
      />
      <DataTable
        caption="Lots (every block, with its source)"
        rows={report.lots}
        rowKey={(lot) => lot.blockId}
        columns={[
          { header: 'Block', cell: (lot) => <code>{lot.blockId}</code> },
          { header: 'Category', cell: (lot) => lot.category },
          { header: 'Source', cell: (lot) => lot.source },
          { header: 'Credits', numeric: true, cell: (lot) => formatCredits(lot.credits) },
          { header: 'Remaining', numeric: true, cell: (lot) => formatCredits(lot.remaining) },
          { header: 'Granted', cell: (lot) => formatInstant(lot.grantedAt) },
          {
            header: 'Expires',
            cell: (lot) =>
              `${lot.expiresAt ? formatInstant(lot.expiresAt) : 'never'}${lot.expired ? ' (expired)' : ''}`,
          },
        ]}
      />
      <DataTable
        caption="Holds"
        rows={report.holds}
        rowKey={(hold) => hold.reservationId}
        empty="No holds"
        columns={[
          { header: 'Reservation', cell: (hold) => <code>{hold.reservationId}</code> },
          { header: 'Held', numeric: true, cell: (hold) => formatCredits(hold.credits) },
          { header: 'Expires', cell: (hold) => formatInstant(hold.expiresAt) },
          { header: 'Status', cell: (hold) => <span className="c-tag">{hold.status}</span> },
        ]}
      />
      <DataTable
        caption="Timeline"
        rows={report.timeline}
        rowKey={(entry) => String(entry.revision)}
        columns={[
          { header: 'Rev.', numeric: true, cell: (entry) => entry.revision },
          { header: 'When', cell: (entry) => formatInstant(entry.occurredAt) },
          { header: 'Event', cell: (entry) => <code>{entry.type}</code> },
          { header: 'Change', numeric: true, cell: (entry) => formatCredits(entry.change, true) },
          { header: 'Balance', numeric: true, cell: (entry) => formatCredits(entry.balance) },
          { header: 'Available', numeric: true, cell: (entry) => formatCredits(entry.available) },
          { header: 'Reserved', numeric: true, cell: (entry) => formatCredits(entry.reserved) },
          { header: 'What', cell: (entry) => entry.summary },
          { header: 'By', cell: (entry) => <ActorLabel actor={entry.actor} /> },
        ]}
      />
    </div>
  );
}
