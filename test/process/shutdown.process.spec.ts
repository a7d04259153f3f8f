import { connect, type Socket } from 'node:net';
import type { Client } from 'pg';
import {
  connectTo,
  isAlive,
  postmasterOf,
  removeDataDir,
  ServiceProcess,
  temporaryDataDir,
} from './support/service-process';

const GRANT = { credits: 10, category: 'promotional', reason: 'signup' };

/**
 * Issue 11, item 7: a stop drains first. Requests in flight finish, a request arriving during the
 * drain gets 503 with Retry-After, then projectors, pools and the embedded PostgreSQL stop, in that
 * order, with no error line; and the same when Ctrl-C sends SIGINT to the whole process group.
 */
describe('stopping the service', () => {
  const dataDir = temporaryDataDir('shutdown');
  let service: ServiceProcess | undefined;
  let locker: Client | undefined;

  afterEach(async () => {
    await locker?.end().catch(() => undefined);
    locker = undefined;
    if (service && !service.hasExited) await service.stop('SIGKILL');
  });
  afterAll(() => removeDataDir(dataDir));

  it('on SIGTERM finishes the request in flight, answers newcomers 503 with Retry-After, then stops PostgreSQL with no error', async () => {
    service = await ServiceProcess.start({ dataDir });
    expect(service.listening).toBe(true);
    expect((await service.post('/v1/accounts/drain-1/grants', GRANT)).status).toBe(201);
    const postgres = postmasterOf(dataDir)!;

    // A slow client: its request has begun, its headers are not finished when the stop begins.
    const slow = await openSocket(service.port);
    slow.write('GET /v1/accounts/drain-1/balance HTTP/1.1\r\nHost: ledger\r\n');
    // A write that cannot finish yet: every append inserts into events, which the test locks.
    locker = await connectTo(dataDir);
    await locker.query('BEGIN');
    await locker.query('LOCK TABLE events IN SHARE ROW EXCLUSIVE MODE');
    const inFlight = service.post('/v1/accounts/drain-1/grants', GRANT, {
      'idempotency-key': 'drain-in-flight',
    });
    await service.waitFor(
      async () => (await locker!.query('SELECT 1 FROM pg_locks WHERE NOT granted')).rowCount! > 0,
      30_000,
      'the grant to wait on the lock',
    );

    service.child.kill('SIGTERM');
    await service.waitForLine(/SIGTERM received: stopping/);
    await service.waitFor(
      () => refusesConnections(service!.port),
      30_000,
      'the service to stop accepting connections',
    );

    slow.write('\r\n');
    const answer = await readAll(slow);
    expect(answer).toMatch(/^HTTP\/1\.1 503/);
    expect(answer).toMatch(/\r\nretry-after: 2\r\n/i);
    expect(answer).toMatch(/\r\nconnection: close\r\n/i);
    expect(answer).toContain('"code":"unavailable"');

    await locker.query('COMMIT');
    await locker.end();
    locker = undefined;
    expect((await inFlight).status).toBe(201);

    expect(await service.exited).toEqual({ code: 0, signal: null });
    expect(service.lines.join('\n')).toMatch(/stopped cleanly/);
    expect(service.problems()).toEqual([]);
    expect(isAlive(postgres.pid)).toBe(false);
  }, 120_000);

  it('on a SIGINT to its whole process group (Ctrl-C) drains before PostgreSQL stops, and keeps the data', async () => {
    service = await ServiceProcess.start({ dataDir, ownProcessGroup: true });
    const postgres = postmasterOf(dataDir)!;
    const writes = Array.from({ length: 20 }, (_, index) =>
      service!
        .post('/v1/accounts/drain-2/grants', GRANT, { 'idempotency-key': `ctrl-c-${index}` })
        .catch(() => null),
    );
    await service.waitFor(
      () => service!.lines.some((line) => line.includes('"statusCode":201')) || service!.hasExited,
      30_000,
      'a first grant',
    );
    // What a terminal does on Ctrl-C (and npm forwards it once more): the group, twice.
    process.kill(-service.pid, 'SIGINT');
    process.kill(-service.pid, 'SIGINT');

    expect(await service.exited).toEqual({ code: 0, signal: null });
    const answered = (await Promise.all(writes)).filter((write) => write !== null);
    expect(answered.length).toBeGreaterThan(0);
    expect(answered.every((write) => write.status === 201 || write.status === 503)).toBe(true);
    expect(service.problems()).toEqual([]);
    expect(isAlive(postgres.pid)).toBe(false);

    service = await ServiceProcess.start({ dataDir });
    const balance = await service.get('/v1/accounts/drain-2/balance');
    expect(balance.body.balance).toBe(10 * answered.filter((write) => write.status === 201).length);
    expect((await service.stop()).code).toBe(0);
  }, 180_000);
});

function openSocket(port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => resolve(socket));
    socket.once('error', reject);
  });
}

async function refusesConnections(port: number): Promise<boolean> {
  try {
    (await openSocket(port)).destroy();
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ECONNREFUSED';
  }
}

function readAll(socket: Socket): Promise<string> {
  return new Promise((resolve) => {
    let text = '';
    socket.on('data', (chunk) => (text += chunk.toString('utf8')));
    socket.on('close', () => resolve(text));
    socket.on('error', () => undefined);
  });
}
