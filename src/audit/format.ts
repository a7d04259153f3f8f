import type { AuditReport, TimelineEntry } from './audit';

export type AuditFormat = 'table' | 'csv' | 'json';
export const AUDIT_FORMATS: readonly AuditFormat[] = ['table', 'csv', 'json'];

/**
 * The report as text. `table` is for people: the timeline, the closing balances and every
 * violation. `csv` is the timeline only (one header row, RFC 4180 quoting), so that it loads as is
 * into a spreadsheet; the verdict goes to stderr (formatVerdict). `json` is everything.
 */
export function formatReport(report: AuditReport, format: AuditFormat): string {
  switch (format) {
    case 'json':
      return `${JSON.stringify(report, null, 2)}\n`;
    case 'csv':
      return formatCsv(report.timeline);
    case 'table':
      return `${formatTable(report)}\n${formatVerdict(report)}`;
  }
}

/** The closing balances, the warnings and the violations (or that there are none). */
export function formatVerdict(report: AuditReport): string {
  const { closing } = report;
  const lines = [
    `${report.at ? 'at' : 'as of'} ${closing.asOf}: balance ${closing.balance}, available ${closing.available}, reserved ${closing.reserved} ` +
      `(revision ${closing.revision}; credits in ${report.creditsIn}, out ${report.creditsOut})`,
  ];
  for (const warning of report.warnings)
    lines.push(`warning at revision ${warning.revision}: ${warning.message}`);
  if (report.violations.length === 0) {
    lines.push(
      `invariants: all hold (${report.timeline.length} event${report.timeline.length === 1 ? '' : 's'} checked)`,
    );
  } else {
    lines.push(
      `invariants: ${report.violations.length} violation${report.violations.length === 1 ? '' : 's'}`,
    );
    for (const violation of report.violations) {
      lines.push(
        `  ${violation.revision === null ? 'stream' : `revision ${violation.revision}`} [${violation.rule}] ${violation.message}`,
      );
    }
  }
  return `${lines.join('\n')}\n`;
}

const COLUMNS: { title: string; value: (entry: TimelineEntry) => string; right?: boolean }[] = [
  { title: 'REV', value: (entry) => String(entry.revision), right: true },
  { title: 'OCCURRED AT', value: (entry) => entry.occurredAt },
  { title: 'TYPE', value: (entry) => entry.type },
  { title: 'CHANGE', value: (entry) => signed(entry.change), right: true },
  { title: 'BALANCE', value: (entry) => String(entry.balance), right: true },
  { title: 'AVAILABLE', value: (entry) => String(entry.available), right: true },
  { title: 'RESERVED', value: (entry) => String(entry.reserved), right: true },
  { title: 'DETAIL', value: (entry) => entry.summary },
];

function formatTable(report: AuditReport): string {
  const header = `account ${report.accountId}${report.at ? `, events up to ${report.at}` : ''}\n`;
  if (report.timeline.length === 0) return `${header}(no events)\n`;
  const cells = report.timeline.map((entry) => COLUMNS.map((column) => column.value(entry)));
  const widths = COLUMNS.map((column, index) =>
    Math.max(column.title.length, ...cells.map((row) => row[index].length)),
  );
  const line = (values: string[]) =>
    values
      .map((value, index) =>
        index === COLUMNS.length - 1
          ? value
          : COLUMNS[index].right
            ? value.padStart(widths[index])
            : value.padEnd(widths[index]),
      )
      .join('  ')
      .trimEnd();
  return `${header}${[line(COLUMNS.map((column) => column.title)), ...cells.map(line)].join('\n')}\n`;
}

const CSV_FIELDS: (keyof Omit<TimelineEntry, 'actor'>)[] = [
  'revision',
  'occurredAt',
  'type',
  'change',
  'balance',
  'available',
  'reserved',
  'eventId',
  'position',
  'summary',
];

function formatCsv(timeline: readonly TimelineEntry[]): string {
  const rows = [
    CSV_FIELDS.join(','),
    ...timeline.map((entry) => CSV_FIELDS.map((field) => csvCell(entry[field])).join(',')),
  ];
  return `${rows.join('\r\n')}\r\n`;
}

function csvCell(value: string | number | null): string {
  if (value === null) return '';
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

function signed(value: number): string {
  return value > 0 ? `+${value}` : String(value);
}
