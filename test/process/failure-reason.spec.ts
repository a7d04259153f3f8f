import { failureReason } from '../../src/app/failure-reason';
import { EmbeddedPostgresError } from '../../src/database/embedded-postgres-error';

/** What `credits ledger failed to start:` and `ledger:` print: a reason, never `undefined` or a stack. */
describe('failureReason', () => {
  it('says something for a rejection without a value (what embedded-postgres used to do)', () => {
    expect(failureReason(undefined)).toBe(
      'failed without saying why (nothing was thrown with the failure)',
    );
    expect(failureReason(null)).not.toMatch(/null|undefined/);
  });

  it('gives the message without the stack, and the cause when it adds something', () => {
    const cause = Object.assign(new Error('spawn /x/initdb EACCES'), { code: 'EACCES' });
    const reason = failureReason(new EmbeddedPostgresError('initdb could not be run.', { cause }));
    expect(reason).toBe('initdb could not be run. (cause: spawn /x/initdb EACCES)');
    expect(reason).not.toMatch(/\n\s+at /);
  });

  it('reads the inner errors of a connection refused on every address (an empty message)', () => {
    const refused = (address: string) =>
      Object.assign(new Error(`connect ECONNREFUSED ${address}`), { code: 'ECONNREFUSED' });
    expect(
      failureReason(new AggregateError([refused('::1:5432'), refused('127.0.0.1:5432')], '')),
    ).toBe('connect ECONNREFUSED ::1:5432; connect ECONNREFUSED 127.0.0.1:5432');
  });

  it('prints other values as they are', () => {
    expect(failureReason('plain text')).toBe('plain text');
    expect(failureReason({ code: 42 })).toBe('{ code: 42 }');
  });
});
