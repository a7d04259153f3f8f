import type { AuditReport } from '../../pending-routes';

/**
 * The audit report as the service gives it (the CLI's `ledger audit`, as JSON): each part under
 * its own heading, violations and warnings first, the whole report below for a copy.
 */
export function AuditView({ report }: { report: AuditReport }) {
  const violations = asList(report.violations);
  const warnings = asList(report.warnings);
  return (
    <div data-testid="audit-report">
      <p className={violations.length === 0 ? 'c-ok' : 'c-error'} role="status">
        {violations.length === 0 ? 'No violations.' : `${violations.length} violations.`}{' '}
        {warnings.length > 0 ? `${warnings.length} warnings.` : ''}
      </p>
      {violations.length > 0 && <Items title="Violations" items={violations} />}
      {warnings.length > 0 && <Items title="Warnings" items={warnings} />}
      {Object.entries(report)
        .filter(([key]) => key !== 'violations' && key !== 'warnings')
        .map(([key, value]) => (
          <details key={key} open={key === 'summary'}>
            <summary>{key}</summary>
            <pre>{JSON.stringify(value, null, 2)}</pre>
          </details>
        ))}
    </div>
  );
}

function Items({ title, items }: { title: string; items: unknown[] }) {
  return (
    <>
      <h3>{title}</h3>
      <ul>
        {items.map((item, index) => (
          <li key={index}>{typeof item === 'string' ? item : JSON.stringify(item)}</li>
        ))}
      </ul>
    </>
  );
}

function asList(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}
