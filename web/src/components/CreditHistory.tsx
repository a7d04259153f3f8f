import { formatCredits, formatDate, formatSignedCredits } from '../format';
import { useCreditHistory } from '../hooks/useCreditHistory';

const TYPE_LABELS: Record<string, string> = {
  purchase: 'Purchase',
  grant: 'Grant',
  spend: 'Spend',
  refund: 'Refund',
  expiry: 'Expiry',
  reservation: 'Hold',
  release: 'Hold released',
  reversal: 'Reversal',
};

/** The history page (UI.md): newest first, a page at a time. */
export function CreditHistory({ pageSize = 20 }: { pageSize?: number }) {
  const history = useCreditHistory({ pageSize });
  return (
    <section
      className="cw-root cw-card"
      aria-labelledby="cw-history-title"
      data-testid="history-page"
    >
      <h2 id="cw-history-title">Credit history</h2>
      {history.error && (
        <div className="cw-error" role="alert">
          <span>The history could not be loaded: {history.error.message}</span>
          <button type="button" className="cw-button" onClick={history.reload}>
            Try again
          </button>
        </div>
      )}
      <table className="cw-table" aria-busy={history.loading}>
        <caption className="cw-visually-hidden">
          Transactions, newest first, page {history.page}
        </caption>
        <thead>
          <tr>
            <th scope="col">Date</th>
            <th scope="col">Type</th>
            <th scope="col">Description</th>
            <th scope="col" className="cw-num">
              Credits
            </th>
            <th scope="col" className="cw-num">
              Balance after
            </th>
          </tr>
        </thead>
        <tbody>
          {history.rows.map((row) => (
            <tr key={row.id} data-testid="history-row" data-type={row.type}>
              <td>
                <time dateTime={row.occurredAt}>{formatDate(row.occurredAt)}</time>
              </td>
              <td>{TYPE_LABELS[row.type] ?? row.type}</td>
              <td>{row.description ?? ''}</td>
              <td className={`cw-num ${row.credits < 0 ? 'cw-minus' : 'cw-plus'}`}>
                {formatSignedCredits(row.credits)}
              </td>
              <td className="cw-num">{formatCredits(row.balanceAfter)}</td>
            </tr>
          ))}
          {!history.loading && history.rows.length === 0 && !history.error && (
            <tr>
              <td colSpan={5} className="cw-muted">
                No transactions yet.
              </td>
            </tr>
          )}
        </tbody>
      </table>
      <nav className="cw-pager" aria-label="History pages">
        <button
          type="button"
          className="cw-button cw-button-quiet"
          disabled={!history.hasPrevious}
          onClick={history.previous}
        >
          Newer
        </button>
        <span className="cw-muted">Page {history.page}</span>
        <button
          type="button"
          className="cw-button cw-button-quiet"
          data-testid="history-next"
          disabled={!history.hasNext}
          onClick={history.next}
        >
          Older
        </button>
      </nav>
    </section>
  );
}
