export { auditStream, type AuditOptions, type AuditReport, type TimelineEntry } from './audit';
export type { AuditedEvent, AuditRule, AuditWarning, Violation } from './audited-event';
export { AUDIT_FORMATS, formatReport, formatVerdict, type AuditFormat } from './format';
export { readAccountStream } from './read-account-stream';
