import {
  Component,
  useCallback,
  useEffect,
  useRef,
  useState,
  type FormEvent,
  type ReactNode,
} from 'react';
import { ConsoleApiError } from './api';

/** The console's small shared kit: loading and error states, tables, form fields, formats. */

export type Loaded<T> =
  { state: 'loading' } | { state: 'error'; error: unknown } | { state: 'ready'; data: T };

/** Runs `load` when `deps` change (and on reload()); a stale answer never overwrites a newer one. */
export function useLoad<T>(
  load: () => Promise<T>,
  deps: readonly unknown[],
): Loaded<T> & { reload: () => void } {
  const [result, setResult] = useState<Loaded<T>>({ state: 'loading' });
  const [round, setRound] = useState(0);
  const latest = useRef(0);
  useEffect(() => {
    const call = ++latest.current;
    setResult({ state: 'loading' });
    load().then(
      (data) => call === latest.current && setResult({ state: 'ready', data }),
      (error: unknown) => call === latest.current && setResult({ state: 'error', error }),
    );
    // `deps` are the caller's: `load` is a new closure on every render.
  }, [...deps, round]);
  const reload = useCallback(() => setRound((value) => value + 1), []);
  return { ...result, reload };
}

/** A form's submit: pending while it runs, the error it ended with, then the answer. */
export function useAction<A extends unknown[], T>(
  run: (...args: A) => Promise<T>,
): {
  pending: boolean;
  error: unknown;
  result: T | undefined;
  submit: (...args: A) => Promise<T | undefined>;
  reset: () => void;
} {
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<unknown>(undefined);
  const [result, setResult] = useState<T | undefined>(undefined);
  const submit = async (...args: A) => {
    setPending(true);
    setError(undefined);
    try {
      const answer = await run(...args);
      setResult(answer);
      return answer;
    } catch (caught) {
      setError(caught);
      setResult(undefined);
      return undefined;
    } finally {
      setPending(false);
    }
  };
  const reset = () => {
    setError(undefined);
    setResult(undefined);
  };
  return { pending, error, result, submit, reset };
}

export function Loading({ what }: { what: string }) {
  return (
    <p className="c-muted" role="status">
      Loading {what}…
    </p>
  );
}

/** The API's problem `detail` (and field errors), never a blank page. */
export function ErrorMessage({ error }: { error: unknown }) {
  if (error === undefined || error === null) return null;
  const message =
    error instanceof Error ? error.message : typeof error === 'string' ? error : 'Unexpected error';
  const fields = error instanceof ConsoleApiError ? error.errors : [];
  return (
    <div className="c-error" role="alert" data-testid="console-error">
      <p>{message}</p>
      {fields.length > 0 && (
        <ul>
          {fields.map((field, index) => (
            <li key={index}>
              <code>{field.field}</code>: {field.message}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

/** Loading, error or the content: what every read shows. */
export function Loaded<T>({
  result,
  what,
  children,
}: {
  result: Loaded<T>;
  what: string;
  children: (data: T) => ReactNode;
}) {
  if (result.state === 'loading') return <Loading what={what} />;
  if (result.state === 'error') return <ErrorMessage error={result.error} />;
  return <>{children(result.data)}</>;
}

export interface Column<R> {
  header: string;
  cell: (row: R) => ReactNode;
  numeric?: boolean;
}

export function DataTable<R>({
  caption,
  columns,
  rows,
  rowKey,
  rowTestId,
  empty = 'Nothing yet',
  testId,
}: {
  caption: string;
  columns: Column<R>[];
  rows: readonly R[];
  rowKey: (row: R, index: number) => string;
  rowTestId?: string;
  empty?: string;
  testId?: string;
}) {
  return (
    <div className="c-table-wrap" data-testid={testId}>
      <table className="c-table">
        <caption>{caption}</caption>
        <thead>
          <tr>
            {columns.map((column) => (
              <th key={column.header} scope="col" className={column.numeric ? 'c-num' : undefined}>
                {column.header}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.length === 0 && (
            <tr>
              <td colSpan={columns.length} className="c-muted">
                {empty}
              </td>
            </tr>
          )}
          {rows.map((row, index) => (
            <tr key={rowKey(row, index)} data-testid={rowTestId}>
              {columns.map((column) => (
                <td key={column.header} className={column.numeric ? 'c-num' : undefined}>
                  {column.cell(row)}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** A labelled control: the label names it for screen readers and tests alike. */
export function Field({
  label,
  children,
  hint,
}: {
  label: string;
  children: (id: string) => ReactNode;
  hint?: string;
}) {
  const id = `f-${label.toLowerCase().replace(/[^a-z0-9]+/g, '-')}-${useStableId()}`;
  return (
    <div className="c-field">
      <label htmlFor={id}>{label}</label>
      {children(id)}
      {hint && <small className="c-muted">{hint}</small>}
    </div>
  );
}

/** What the API takes as a reason or description (500 characters). */
export const MAX_REASON_CHARS = 500;

/** The required reason every console action asks for. */
export function ReasonField({
  label,
  testId,
  value,
  onChange,
  hint,
  autoFocus,
}: {
  label: string;
  testId: string;
  value: string;
  onChange: (value: string) => void;
  hint?: string;
  autoFocus?: boolean;
}) {
  return (
    <Field label={label} hint={hint}>
      {(id) => (
        <input
          id={id}
          data-testid={testId}
          required
          autoFocus={autoFocus}
          maxLength={MAX_REASON_CHARS}
          value={value}
          onChange={(event) => onChange(event.target.value)}
        />
      )}
    </Field>
  );
}

/** A whole number of credits, at least 1. */
export function CreditsField({
  label,
  testId,
  value,
  onChange,
  required = true,
  hint,
}: {
  label: string;
  testId: string;
  value: string;
  onChange: (value: string) => void;
  required?: boolean;
  hint?: string;
}) {
  return (
    <Field label={label} hint={hint}>
      {(id) => (
        <input
          id={id}
          data-testid={testId}
          type="number"
          min={1}
          step={1}
          required={required}
          value={value}
          onChange={(event) => onChange(event.target.value)}
        />
      )}
    </Field>
  );
}

let nextId = 0;
function useStableId(): number {
  const [id] = useState(() => (nextId += 1));
  return id;
}

export function Section({
  title,
  children,
  testId,
  actions,
}: {
  title: string;
  children: ReactNode;
  testId?: string;
  actions?: ReactNode;
}) {
  return (
    <section className="c-card" data-testid={testId} aria-label={title}>
      <div className="c-card-head">
        <h2>{title}</h2>
        {actions}
      </div>
      {children}
    </section>
  );
}

/** Who did it, as recorded in the event's metadata: `admin ops`, `apiKey svc`. */
export function ActorLabel({ actor }: { actor: unknown }) {
  const { kind, id } = (actor && typeof actor === 'object' ? actor : {}) as {
    kind?: string;
    id?: string;
  };
  if (!kind) return <span className="c-muted">unknown</span>;
  return (
    <span className="c-actor" data-testid="actor">
      {kind}
      {id ? ` ${id}` : ''}
    </span>
  );
}

export function formatInstant(iso: string | null | undefined): string {
  if (!iso) return '—';
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : date.toISOString().replace('.000Z', 'Z');
}

export function formatCredits(credits: number, signed = false): string {
  const text = Math.abs(credits).toLocaleString('en-US');
  if (!signed) return credits < 0 ? `−${text}` : text;
  return credits > 0 ? `+${text}` : credits < 0 ? `−${text}` : '0';
}

/** Minor units in the currency's own exponent (JPY has none, USD two). */
export function formatMoney(money: { minor: number; currency: string } | undefined): string {
  if (!money) return '—';
  try {
    const format = new Intl.NumberFormat('en-US', { style: 'currency', currency: money.currency });
    const digits = format.resolvedOptions().maximumFractionDigits ?? 2;
    return format.format(money.minor / 10 ** digits);
  } catch {
    return `${money.minor} ${money.currency} (minor units)`;
  }
}

/** A form's onSubmit: no page load, and the async work's own errors are its state's, not React's. */
export function submitHandler(run: () => Promise<unknown>): (event: FormEvent) => void {
  return (event) => {
    event.preventDefault();
    void run();
  };
}

/** A page that throws while rendering shows what went wrong, never a blank page. */
export class PageBoundary extends Component<{ children: ReactNode }, { error: unknown }> {
  override state: { error: unknown } = { error: undefined };

  static getDerivedStateFromError(error: unknown): { error: unknown } {
    return { error };
  }

  override render(): ReactNode {
    if (this.state.error !== undefined)
      return (
        <section className="c-card" aria-label="Error">
          <ErrorMessage error={this.state.error} />
          <p>
            <button type="button" onClick={() => this.setState({ error: undefined })}>
              Try again
            </button>
          </p>
        </section>
      );
    return this.props.children;
  }
}
