import {
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  Tooltip,
  type ChartConfiguration,
} from 'chart.js';
import { useEffect, useId, useRef } from 'react';
import { chartCsv, type ChartSpec } from './chart-specs';

// Only what these charts use (Chart.js is tree-shaken: bars, lines, two scales, legend, tooltip).
Chart.register(
  BarController,
  BarElement,
  CategoryScale,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  Tooltip,
);

/** Colour-blind-safe palette (Okabe–Ito); the previous period is drawn dashed in grey tones. */
const COLOURS = ['#0072B2', '#E69F00', '#009E73', '#CC79A7', '#56B4E9', '#D55E00', '#F0E442'];

const visuallyHidden = {
  position: 'absolute',
  width: '1px',
  height: '1px',
  padding: 0,
  margin: '-1px',
  overflow: 'hidden',
  clip: 'rect(0, 0, 0, 0)',
  whiteSpace: 'nowrap',
  border: 0,
} as const;

function configuration(spec: ChartSpec): ChartConfiguration<'bar' | 'line', number[], string> {
  let colour = 0;
  return {
    type: 'bar',
    data: {
      labels: spec.labels,
      datasets: spec.datasets.map((dataset) => {
        const shade = dataset.previous ? '#6b7280' : COLOURS[colour++ % COLOURS.length];
        return {
          type: dataset.kind,
          label: dataset.label,
          data: dataset.data,
          backgroundColor: dataset.previous && dataset.kind === 'bar' ? '#d1d5db' : shade,
          borderColor: shade,
          borderWidth: dataset.kind === 'line' ? 2 : 0,
          borderDash: dataset.previous ? [6, 4] : [],
          pointRadius: dataset.kind === 'line' ? 0 : undefined,
          // Lines (the previous period's totals) are not part of the stack.
          stack: dataset.kind === 'line' ? 'previous' : 'current',
          order: dataset.kind === 'line' ? 0 : 1,
        };
      }),
    },
    options: {
      animation: false,
      responsive: true,
      maintainAspectRatio: false,
      interaction: { mode: 'index', intersect: false },
      scales: {
        x: { stacked: spec.stacked },
        y: { stacked: spec.stacked, beginAtZero: true },
      },
      plugins: { legend: { position: 'bottom' } },
    },
  };
}

/**
 * One chart: a canvas drawn by Chart.js, its comparison figures, a visually hidden table of the
 * same numbers (the text alternative) and a CSV download of exactly those numbers. The numbers
 * Chart.js holds after drawing are copied to `data-points` (the browser test reads what was drawn).
 */
export function AnalyticsChart({ spec, filename }: { spec: ChartSpec; filename: string }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const figure = useRef<HTMLElement>(null);
  const titleId = useId();
  const descriptionId = useId();

  useEffect(() => {
    if (!canvas.current) return;
    const chart = new Chart(canvas.current, configuration(spec));
    figure.current?.setAttribute(
      'data-points',
      JSON.stringify({
        labels: chart.data.labels,
        datasets: chart.data.datasets.map((dataset) => ({
          label: dataset.label,
          data: dataset.data,
        })),
      }),
    );
    return () => chart.destroy();
  }, [spec]);

  const downloadCsv = () => {
    const url = URL.createObjectURL(new Blob([chartCsv(spec)], { type: 'text/csv' }));
    const link = document.createElement('a');
    link.href = url;
    link.download = filename;
    document.body.appendChild(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  };

  return (
    <figure
      ref={figure}
      className="c-card"
      style={{ margin: 0 }}
      data-testid="analytics-chart"
      data-chart={spec.id}
      aria-labelledby={titleId}
    >
      <div className="c-card-head">
        <h2 id={titleId}>{spec.title}</h2>
        <button type="button" className="c-secondary" onClick={downloadCsv}>
          Download CSV<span style={visuallyHidden}> of {spec.title}</span>
        </button>
      </div>
      <p id={descriptionId} className="c-muted" style={{ margin: 0 }}>
        {spec.description}
      </p>
      {spec.totals.length > 0 && (
        <dl className="c-figures" data-testid="chart-totals">
          {spec.totals.map((total) => (
            <div key={total.label}>
              <dt>{total.label}</dt>
              <dd>
                {total.current.toLocaleString('en')}{' '}
                <span className="c-muted" style={{ fontSize: 13, fontWeight: 400 }}>
                  {comparison(total.current, total.previous)}
                </span>
              </dd>
            </div>
          ))}
        </dl>
      )}
      <div style={{ position: 'relative', height: 280 }}>
        <canvas
          ref={canvas}
          role="img"
          aria-label={`${spec.title}: chart; the same numbers are in the table that follows`}
          aria-describedby={descriptionId}
        />
      </div>
      <table style={visuallyHidden}>
        <caption>{spec.title}</caption>
        <thead>
          <tr>
            <th scope="col">{spec.labelHeader}</th>
            {spec.datasets.map((dataset) => (
              <th scope="col" key={dataset.label}>
                {dataset.label}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {spec.labels.map((label, index) => (
            <tr key={label}>
              <th scope="row">{label}</th>
              {spec.datasets.map((dataset) => (
                <td key={dataset.label}>{dataset.data[index] ?? 0}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </figure>
  );
}

/** "vs 120 in the previous period (+25%)". */
function comparison(current: number, previous: number): string {
  const change =
    previous === 0
      ? ''
      : ` (${current >= previous ? '+' : ''}${Math.round(((current - previous) / Math.abs(previous)) * 100)}%)`;
  return `vs ${previous.toLocaleString('en')} in the previous period${change}`;
}
