import type { WelcomeCreditsCommand } from '../../src/ledger';
import { given } from './given-when-then';
import { DAY, HOUR, after, granted, spent } from './fixtures';

const welcome = (overrides: Partial<WelcomeCreditsCommand> = {}): WelcomeCreditsCommand => ({
  kind: 'welcome',
  blockId: 'w1',
  credits: 100,
  reason: 'signup',
  expiresAt: after(365 * DAY),
  ...overrides,
});

describe('welcome credits', () => {
  it('grants the policy as promotional credits with its reason', () => {
    given()
      .when(welcome(), { now: after(HOUR) })
      .then(granted('w1', 100, { reason: 'signup', expiresAt: after(365 * DAY) }));
  });

  it('for a lead, with reason lead', () => {
    given()
      .when(welcome({ reason: 'lead', credits: 20 }), { now: after(HOUR) })
      .then(granted('w1', 20, { reason: 'lead', expiresAt: after(365 * DAY) }));
  });

  it('once ever: a repeat answers the first grant, the account as it was right after it', () => {
    given(granted('w0', 100, { reason: 'signup' }), spent('s1', { w0: 40 }))
      .when(welcome({ blockId: 'w2' }), { now: after(DAY) })
      .thenNoop({
        reason: 'repeated',
        answer: { firstRevision: 0, lastRevision: 0, balance: 100, available: 100, reserved: 0 },
      });
  });

  it('other grants do not count as the welcome', () => {
    given(granted('p1', 5, { reason: 'promotion' }))
      .when(welcome(), { now: after(HOUR) })
      .then(granted('w1', 100, { reason: 'signup', expiresAt: after(365 * DAY) }));
  });
});
