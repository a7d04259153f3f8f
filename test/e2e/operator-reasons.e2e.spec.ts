import { ManualClock } from '../../src/shared/clock';
import { TEST_KEYS, startTestApp, type TestApp } from '../support/test-app';

const NO_BACKGROUND_WORKER = { WORKER_INTERVAL_MS: '3600000' };
const grantKey = { key: TEST_KEYS.granter };
const finance = { key: TEST_KEYS.finance };
const admin = { key: TEST_KEYS.admin };
const REASON = 'customer cancelled the render, ticket 4211';

interface RawEvent {
  revision: number;
  position: string;
  type: string;
  data: Record<string, unknown>;
  metadata: { actor: { kind: string; id: string } };
}

interface Row {
  type: string;
  credits: number;
  description: string | null;
  detail: Record<string, unknown>;
}

/** Bad reasons, each refused as the refund's reason is: 400 validation_failed naming `reason`. */
const BAD_REASONS: unknown[] = ['', 'x'.repeat(501), 42, null, ['a'], 'a\u0000b'];

/**
 * Issue 18: the operator's reason on "release a hold" and "merge a lead", over real HTTP on the
 * real PostgreSQL store. The reason is optional (the external checks release with no body); when
 * given it is the events' `note`, shown by the history rows, the raw events and the audit.
 */
describe("operator's reason on release and merge", () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp({
      clock: new ManualClock('2026-03-01T12:00:00.000Z'),
      env: NO_BACKGROUND_WORKER,
    });
  });
  afterAll(() => t?.close());

  const grant = async (account: string, credits: number) => {
    const answer = await t.http.post(
      `/v1/accounts/${account}/grants`,
      { credits, category: 'paid', reason: 'adjustment' },
      grantKey,
    );
    expect(answer.status).toBe(201);
  };
  const hold = async (account: string, credits: number): Promise<string> => {
    const answer = await t.http.post(`/v1/accounts/${account}/reservations`, { credits });
    expect(answer.status).toBe(201);
    return answer.body.reservationId;
  };
  const releasePath = (account: string, reservationId: string) =>
    `/v1/accounts/${account}/reservations/${reservationId}/release`;
  const eventsOf = async (account: string): Promise<RawEvent[]> =>
    (await t.http.get(`/v1/accounts/${account}/events`, finance)).body.data;
  /** History once the projection has read `position` (the write's). */
  const historyAfter = async (account: string, position: string): Promise<Row[]> => {
    const page = await t.http.get(
      `/v1/accounts/${account}/transactions?after=${encodeURIComponent(position)}`,
    );
    expect(page.status).toBe(200);
    return page.body.data;
  };
  const auditSummaries = async (account: string): Promise<string[]> => {
    const audit = await t.http.get(`/v1/accounts/${account}/audit`, finance);
    expect(audit.status).toBe(200);
    return audit.body.timeline.map((entry: { summary: string }) => entry.summary);
  };

  describe('release', () => {
    it('with no body, and with {}, works exactly as before: no note anywhere', async () => {
      const account = 'reasons-release-plain';
      await grant(account, 50);
      const first = await hold(account, 10);
      const second = await hold(account, 5);
      const bare = await t.http.post(releasePath(account, first));
      expect(bare.status).toBe(200);
      expect(bare.body).toMatchObject({ reservationId: first, released: 10, revision: 3 });
      const empty = await t.http.post(releasePath(account, second), {});
      expect(empty.status).toBe(200);
      expect(empty.body).toMatchObject({ reservationId: second, released: 5, revision: 4 });
      const releases = (await eventsOf(account)).filter((e) => e.type === 'ReservationReleased');
      expect(releases).toHaveLength(2);
      for (const event of releases) expect(Object.keys(event.data)).not.toContain('note');
      const rows = await historyAfter(account, empty.body.position);
      expect(rows.filter((row) => row.type === 'release').map((row) => row.description)).toEqual([
        null,
        null,
      ]);
    });

    it('with a reason: recorded as the event note, in the history row, the audit and the actor', async () => {
      const account = 'reasons-release-noted';
      await grant(account, 50);
      const reservationId = await hold(account, 20);
      const released = await t.http.post(
        releasePath(account, reservationId),
        { reason: REASON },
        admin,
      );
      expect(released.status).toBe(200);
      expect(released.body).toMatchObject({ reservationId, released: 20, available: 50 });
      const event = (await eventsOf(account))[released.body.revision];
      expect(event).toMatchObject({
        type: 'ReservationReleased',
        data: { reservationId, credits: 20, reason: 'released', note: REASON },
        metadata: { actor: { kind: 'admin', id: 'ops' } },
      });
      const [row] = await historyAfter(account, released.body.position);
      // A release moves no balance (held credits count in it): the row's credits are 0.
      expect(row).toMatchObject({
        type: 'release',
        credits: 0,
        description: REASON,
        detail: { reservationId, credits: 20 },
      });
      expect(await auditSummaries(account)).toContainEqual(
        expect.stringContaining(`released (released) note "${REASON}"`),
      );
    });

    it('refuses a bad reason with 400 validation_failed naming reason, and writes nothing', async () => {
      const account = 'reasons-release-bad';
      await grant(account, 50);
      const reservationId = await hold(account, 10);
      for (const reason of BAD_REASONS) {
        expectReasonRefused(
          reason,
          await t.http.post(releasePath(account, reservationId), { reason }),
        );
      }
      const unknown = await t.http.post(releasePath(account, reservationId), { why: 'x' });
      expect(unknown.status).toBe(400);
      expect(unknown.body.errors).toEqual([{ field: 'why', message: expect.any(String) }]);
      expect((await eventsOf(account)).map((event) => event.type)).toEqual([
        'CreditsGranted',
        'CreditsReserved',
      ]);
      // The hold is still open: a good release goes through.
      const good = await t.http.post(releasePath(account, reservationId), { reason: 'ok' });
      expect(good.status).toBe(200);
    });

    it('takes the reason into the idempotency request: another reason under the same key is another request', async () => {
      const account = 'reasons-release-idem';
      await grant(account, 50);
      const reservationId = await hold(account, 10);
      const headers = { 'Idempotency-Key': 'release-with-reason' };
      const first = await t.http.post(
        releasePath(account, reservationId),
        { reason: 'a' },
        {
          headers,
        },
      );
      expect(first.status).toBe(200);
      const again = await t.http.post(
        releasePath(account, reservationId),
        { reason: 'a' },
        {
          headers,
        },
      );
      expect(again.status).toBe(200);
      expect(again.headers.get('idempotent-replayed')).toBe('true');
      expect(again.body).toEqual(first.body);
      const other = await t.http.post(
        releasePath(account, reservationId),
        { reason: 'b' },
        {
          headers,
        },
      );
      expect(other.status).toBe(409);
      expect(other.body.code).toBe('idempotency_key_reused');
      const bare = await t.http.post(releasePath(account, reservationId), undefined, { headers });
      expect(bare.status).toBe(409);
      expect(bare.body.code).toBe('idempotency_key_reused');

      // No body and {} are the same request, as they always were.
      const next = await hold(account, 5);
      const plainKey = { 'Idempotency-Key': 'release-plain' };
      const none = await t.http.post(releasePath(account, next), undefined, { headers: plainKey });
      expect(none.status).toBe(200);
      const empty = await t.http.post(releasePath(account, next), {}, { headers: plainKey });
      expect(empty.status).toBe(200);
      expect(empty.headers.get('idempotent-replayed')).toBe('true');
      expect(
        (await eventsOf(account)).filter((e) => e.type === 'ReservationReleased'),
      ).toHaveLength(2);
    });
  });

  describe('merge', () => {
    const merge = (lead: string, body: unknown, headers: Record<string, string> = {}) =>
      t.http.post(`/v1/accounts/${lead}/merge`, body, { ...grantKey, headers });

    it("with a reason: the note is on the lead's transfer and closing, and on the user's side", async () => {
      const lead = 'lead:reasons-noted';
      const user = 'user:reasons-noted';
      await grant(lead, 30);
      const merged = await merge(lead, { into: user, reason: REASON });
      expect(merged.status).toBe(201);
      expect(merged.body).toMatchObject({ credits: 30, into: user });
      const leadEvents = await eventsOf(lead);
      expect(leadEvents.slice(1).map((event) => [event.type, event.data.note])).toEqual([
        ['TransferSent', REASON],
        ['AccountClosed', REASON],
      ]);
      expect(leadEvents[1].data).toMatchObject({ reason: 'merge', purpose: 'merge' });
      const rows = await historyAfter(lead, merged.body.position);
      expect(rows.slice(0, 2).map((row) => [row.type, row.description])).toEqual([
        ['closure', REASON],
        ['transfer', REASON],
      ]);

      const received = (await eventsOf(user)).find((event) => event.type === 'TransferReceived');
      expect(received?.data).toMatchObject({ transferId: merged.body.mergeId, note: REASON });
      const [userRow] = await historyAfter(user, received!.position);
      expect(userRow).toMatchObject({ type: 'transfer', credits: 30, description: REASON });
      expect(await auditSummaries(lead)).toContainEqual(
        expect.stringContaining(`note "${REASON}"`),
      );
    });

    it('without a reason: the events have no note, as before', async () => {
      const lead = 'lead:reasons-plain';
      const merged = await merge(lead, { into: 'user:reasons-plain' });
      expect(merged.status).toBe(201);
      const [closed] = await eventsOf(lead);
      expect(closed.type).toBe('AccountClosed');
      expect(Object.keys(closed.data)).not.toContain('note');
    });

    it('refuses a bad reason with 400 validation_failed naming reason, and writes nothing', async () => {
      const lead = 'lead:reasons-bad';
      await grant(lead, 10);
      for (const reason of BAD_REASONS) {
        expectReasonRefused(reason, await merge(lead, { into: 'user:reasons-bad', reason }));
      }
      expect((await eventsOf(lead)).map((event) => event.type)).toEqual(['CreditsGranted']);
      expect((await eventsOf('user:reasons-bad')).length).toBe(0);
    });

    it('takes the reason into the idempotency request', async () => {
      const lead = 'lead:reasons-idem';
      await grant(lead, 10);
      const headers = { 'Idempotency-Key': 'merge-with-reason' };
      const first = await merge(lead, { into: 'user:reasons-idem', reason: 'a' }, headers);
      expect(first.status).toBe(201);
      const other = await merge(lead, { into: 'user:reasons-idem', reason: 'b' }, headers);
      expect(other.status).toBe(409);
      expect(other.body.code).toBe('idempotency_key_reused');
    });
  });
});

/** A 400 validation_failed whose errors name `reason` and nothing else. */
function expectReasonRefused(
  reason: unknown,
  answer: { status: number; body: { code?: string; errors?: Array<{ field: string }> } },
): void {
  expect({ reason, status: answer.status, code: answer.body.code }).toEqual({
    reason,
    status: 400,
    code: 'validation_failed',
  });
  expect(answer.body.errors?.map((error) => error.field)).toEqual(['reason']);
}
