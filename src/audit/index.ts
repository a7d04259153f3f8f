export {
  auditStream,
  type AuditHold,
  type AuditLot,
  type AuditOptions,
  type AuditReport,
  type AuditSummary,
  type TimelineEntry,
} from './audit';
export type { AuditedEvent, AuditRule, AuditWarning, Violation } from './audited-event';
export { AUDIT_FORMATS, formatReport, formatVerdict, type AuditFormat } from './format';
export { readAccountStream } from './read-account-stream';
export { auditAccount, StreamTooLongError, type AuditAccountOptions } from './audit-account';
