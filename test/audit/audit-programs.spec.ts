import { auditStream, type AuditedEvent } from '../../src/audit';
import { DAY, HOUR, MINUTE, T0, after } from '../ledger/fixtures';
import { streamOf } from './support';

const NOW = new Date(after(30 * DAY));
const audit = (events: AuditedEvent[]) => auditStream('acct', events, { now: NOW });

/**
 * The audit book reads the programs' events (transfers out, in, declined, returned, a merge and
 * closing) with the ledger's rules: streams the domain writes audit clean, and a broken one is
 * reported.
 */
describe('audit of transfers and merges', () => {
  const source = streamOf([
    {
      at: T0,
      command: { kind: 'grant', blockId: 'p', credits: 50, category: 'paid', reason: 'adjustment' },
    },
    {
      at: T0,
      command: {
        kind: 'grant',
        blockId: 'g',
        credits: 10,
        category: 'promotional',
        reason: 'promotion',
        expiresAt: after(DAY),
      },
    },
    {
      at: after(MINUTE),
      command: { kind: 'reserve', reservationId: 'h', credits: 5, ttlSeconds: 3600 },
    },
    {
      at: after(2 * MINUTE),
      command: { kind: 'transfer', transferId: 't1', to: 'b', credits: 20, reason: 'x' },
    },
    {
      at: after(3 * MINUTE),
      command: { kind: 'return', transferId: 't1', reason: 'account_closed' },
    },
    {
      at: after(4 * MINUTE),
      command: {
        kind: 'receive',
        transferId: 't2',
        from: 'b',
        purpose: 'transfer',
        blocks: [
          {
            blockId: 'in1',
            fromBlockId: 'x',
            credits: 4,
            category: 'promotional',
            expiresAt: after(DAY),
          },
        ],
      },
    },
    { at: after(HOUR / 2), command: { kind: 'merge', mergeId: 'm', into: 'user:z' } },
    {
      at: after(HOUR),
      command: {
        kind: 'receive',
        transferId: 't3',
        from: 'b',
        purpose: 'transfer',
        blocks: [{ blockId: 'in2', fromBlockId: 'y', credits: 3, category: 'paid' }],
      },
    },
  ]);

  it('a stream the domain wrote audits clean, every event in the timeline', () => {
    const report = audit(source);
    expect(report.violations).toEqual([]);
    expect(report.closing).toMatchObject({ balance: 0, available: 0, reserved: 0 });
    expect(report.creditsIn - report.creditsOut).toBe(0);
    expect(report.timeline.map((entry) => entry.summary).join('\n')).toMatch(
      /transfer t1 of 20 to b[\s\S]*returned[\s\S]*merged into user:z[\s\S]*declined \(account_closed\)/,
    );
  });

  it('reports a transfer returned twice or out of order', () => {
    const sent = source.findIndex((event) => event.type === 'TransferReturned');
    const twice = [...source.slice(0, sent + 1), { ...source[sent], revision: sent + 1 }];
    expect(audit(twice).violations.map((violation) => violation.rule)).toContain('duplicate_id');
  });
});
