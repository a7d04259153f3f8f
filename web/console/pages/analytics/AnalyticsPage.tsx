import { useState } from 'react';
import { readJson, type ConsoleClient } from '../../api';
import { Loaded, submitHandler, useLoad } from '../../kit';
import { AnalyticsChart } from './AnalyticsChart';
import { chartSpecs, type AnalyticsAnswers } from './chart-specs';

/** A period as the API takes it; empty: the service's default (the last 30 days by its clock). */
interface PeriodChoice {
  from: string;
  to: string;
}

const PRESETS = [7, 30, 90, 365] as const;

/** `YYYY-MM-DD` `days` days before the (exclusive) end day. */
function daysBefore(end: string, days: number): string {
  return new Date(Date.parse(`${end}T00:00:00Z`) - days * 86_400_000).toISOString().slice(0, 10);
}

async function loadAnswers(client: ConsoleClient, period: PeriodChoice): Promise<AnalyticsAnswers> {
  const range =
    (period.from ? `&from=${encodeURIComponent(period.from)}` : '') +
    (period.to ? `&to=${encodeURIComponent(period.to)}` : '');
  const get = async <T,>(path: string): Promise<T> => readJson<T>(await client.fetch(path));
  const [usageByDay, usageByOperation, purchasesByDay, purchasesByPack] = await Promise.all([
    get<AnalyticsAnswers['usageByDay']>(`/v1/analytics/usage?groupBy=day${range}`),
    get<AnalyticsAnswers['usageByOperation']>(`/v1/analytics/usage?groupBy=operation${range}`),
    get<AnalyticsAnswers['purchasesByDay']>(`/v1/analytics/purchases?groupBy=day${range}`),
    get<AnalyticsAnswers['purchasesByPack']>(`/v1/analytics/purchases?groupBy=pack${range}`),
  ]);
  return { usageByDay, usageByOperation, purchasesByDay, purchasesByPack };
}

/**
 * Analytics (UI.md "The console"): credits spent per day by operation, purchases and revenue per
 * day and per pack, active accounts per day, average credits per operation, each compared with
 * the previous period of the same length, each with a CSV of exactly what it shows. The numbers
 * are the API's (GET /v1/analytics/usage and /purchases, docs/reports.md), whole UTC days.
 */
export function AnalyticsPage(props: { client: ConsoleClient }) {
  const [period, setPeriod] = useState<PeriodChoice>({ from: '', to: '' });
  const [draft, setDraft] = useState<PeriodChoice>({ from: '', to: '' });
  const answers = useLoad(() => loadAnswers(props.client, period), [period.from, period.to]);

  const apply = (next: PeriodChoice) => {
    setDraft(next);
    setPeriod(next);
  };
  // Presets count back from the end of the period shown (the service's today by default).
  const shownTo =
    answers.state === 'ready' ? answers.data.usageByDay.period.to.slice(0, 10) : draft.to;

  return (
    <>
      <section className="c-card" aria-labelledby="analytics-period">
        <h2 id="analytics-period">Period</h2>
        <form
          className="c-form"
          data-testid="analytics-period"
          onSubmit={submitHandler(() => Promise.resolve(apply(draft)))}
        >
          <div className="c-field">
            <label htmlFor="analytics-from">From (UTC day, included)</label>
            <input
              id="analytics-from"
              type="date"
              value={draft.from}
              onChange={(event) => setDraft({ ...draft, from: event.target.value })}
            />
          </div>
          <div className="c-field">
            <label htmlFor="analytics-to">To (UTC day, excluded)</label>
            <input
              id="analytics-to"
              type="date"
              value={draft.to}
              onChange={(event) => setDraft({ ...draft, to: event.target.value })}
            />
          </div>
          <button type="submit">Show</button>
          {PRESETS.map((days) => (
            <button
              key={days}
              type="button"
              className="c-secondary"
              disabled={!shownTo}
              onClick={() => apply({ from: daysBefore(shownTo, days), to: shownTo })}
            >
              Last {days} days
            </button>
          ))}
        </form>
        {answers.state === 'ready' && (
          <p className="c-muted" style={{ margin: 0 }} data-testid="analytics-shown-period">
            Showing {answers.data.usageByDay.period.from.slice(0, 10)} to{' '}
            {answers.data.usageByDay.period.to.slice(0, 10)} (UTC days, end excluded), compared with{' '}
            {answers.data.usageByDay.previousPeriod.from.slice(0, 10)} to{' '}
            {answers.data.usageByDay.previousPeriod.to.slice(0, 10)}.
          </p>
        )}
      </section>
      <Loaded result={answers} what="analytics">
        {(data) => {
          const stamp = `${data.usageByDay.period.from.slice(0, 10)}--${data.usageByDay.period.to.slice(0, 10)}`;
          return (
            <div className="c-grid">
              {chartSpecs(data).map((spec) => (
                <AnalyticsChart
                  key={`${spec.id}-${stamp}`}
                  spec={spec}
                  filename={`analytics-${spec.id}-${stamp}.csv`}
                />
              ))}
            </div>
          );
        }}
      </Loaded>
    </>
  );
}
