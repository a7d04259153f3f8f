import { removeDataDir, runCli, ServiceProcess, temporaryDataDir } from './support/service-process';

const ACCOUNTS = ['crash:a', 'crash:b', 'crash:c', 'crash:d'];
const START_CREDITS = 100;

/**
 * PRODUCT.md §2: "after any crash, and after recovery, credits were neither created nor
 * destroyed, and every transfer is either complete or returned to its source". The service is
 * killed with SIGKILL exactly between the two steps of many transfers: it runs first as an API
 * process that leaves the second step to the reactor (ROLE=api runs no reactor;
 * TRANSFERS_DELIVER_INLINE=false), so every transfer it acknowledged has left its source and
 * reached nobody. Restarted normally, the transfers reactor finishes each one from the log.
 */
describe('a transfer interrupted by kill -9 between its two steps', () => {
  const dataDir = temporaryDataDir('transfer-crash');
  let service: ServiceProcess | undefined;

  afterAll(async () => {
    if (service && !service.hasExited) await service.stop('SIGKILL');
    await removeDataDir(dataDir);
  });

  const total = async (running: ServiceProcess, accounts: string[]) => {
    let sum = 0;
    for (const account of accounts)
      sum += (await running.get(`/v1/accounts/${account}/balance`)).body.balance;
    return sum;
  };

  it('completes (or returns) every transfer after a restart, with the sum of balances unchanged', async () => {
    service = await ServiceProcess.start({
      dataDir,
      env: { ROLE: 'api', TRANSFERS_DELIVER_INLINE: 'false' },
    });
    expect(service.listening).toBe(true);
    for (const account of ACCOUNTS) {
      const granted = await service.post(`/v1/accounts/${account}/grants`, {
        credits: START_CREDITS,
        category: 'paid',
        reason: 'adjustment',
      });
      expect(granted.status).toBe(201);
    }
    // A lead, welcomed and merged into crash:a: its credits are in flight too, and it is closed,
    // so the transfer sent to it below will be declined and must come back.
    expect((await service.post('/v1/accounts/lead:crash/welcome', {})).status).toBe(201);
    const merge = await service.post('/v1/accounts/lead:crash/merge', { into: 'crash:a' });
    expect(merge.body).toMatchObject({ credits: 20, into: 'crash:a' });

    const sent: { transferId: string; to: string }[] = [];
    for (let n = 0; n < 24; n += 1) {
      const from = ACCOUNTS[n % ACCOUNTS.length];
      const to = n === 23 ? 'lead:crash' : ACCOUNTS[(n + 1) % ACCOUNTS.length];
      const answer = await service.post(
        '/v1/transfers',
        { from, to, credits: 1 + (n % 9), reason: `crash ${n}` },
        { 'idempotency-key': `crash-${n}` },
      );
      expect(answer.status).toBe(201);
      expect(answer.body.status).toBe('pending');
      sent.push({ transferId: answer.body.transferId, to });
    }
    const everything = [...ACCOUNTS, 'lead:crash'];
    const inFlight = Array.from({ length: 24 }, (_, n) => 1 + (n % 9)).reduce((a, b) => a + b, 0);
    // Between the steps: the credits (the merge's 20 too) have left their sources, reached nobody.
    expect(await total(service, everything)).toBe(ACCOUNTS.length * START_CREDITS - inFlight);

    service.child.kill('SIGKILL');
    await service.exited;

    service = await ServiceProcess.start({ dataDir });
    expect(service.listening).toBe(true);
    const running = service;
    const statuses = new Map<string, string>();
    await running.waitFor(
      async () => {
        for (const { transferId } of [...sent, { transferId: merge.body.mergeId }]) {
          const status = (await running.get(`/v1/transfers/${transferId}`)).body?.status;
          statuses.set(transferId, status);
        }
        return [...statuses.values()].every((status) => status !== 'pending' && status);
      },
      30_000,
      'every transfer to end',
    );
    expect(statuses.get(sent[23].transferId)).toBe('returned');
    expect(statuses.get(merge.body.mergeId)).toBe('completed');
    expect([...statuses.values()].filter((status) => status === 'completed')).toHaveLength(24);
    expect(await total(running, everything)).toBe(ACCOUNTS.length * START_CREDITS + 20);
    expect((await running.get('/v1/accounts/lead:crash/balance')).body.balance).toBe(0);

    // A repeated request after the restart answers the first transfer and moves nothing more.
    const again = await running.post(
      '/v1/transfers',
      { from: ACCOUNTS[0], to: ACCOUNTS[1], credits: 1, reason: 'crash 0' },
      { 'idempotency-key': 'crash-0' },
    );
    expect(again.body.transferId).toBe(sent[0].transferId);
    expect(await total(running, everything)).toBe(ACCOUNTS.length * START_CREDITS + 20);

    const verify = runCli(['verify'], { dataDir, cwd: dataDir });
    expect(verify.stdout).toContain('no differences');
    expect(verify.status).toBe(0);
    expect(await running.stop()).toEqual({ code: 0, signal: null });
  }, 120_000);
});
