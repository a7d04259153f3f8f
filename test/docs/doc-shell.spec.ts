import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { DocBlock } from './doc-blocks';
import { runDocBlocks } from './doc-shell';

/**
 * The runner's shell against a tiny HTTP server whose path is the status it answers: what the curl
 * wrapper counts as a failure, and that blocks share one bash session.
 */
describe('running the blocks of a document', () => {
  let server: Server;
  let baseUrl: string;

  beforeAll(async () => {
    server = createServer((request, response) => {
      if (request.url?.startsWith('/stream')) {
        response.writeHead(200, { 'content-type': 'text/event-stream' });
        response.write('event: balance\n\n');
        return; // never ends, like the balance stream
      }
      const status = Number(/^\/(\d{3})/.exec(request.url ?? '')?.[1] ?? 200);
      response.writeHead(status, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ status, path: request.url }));
    });
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((done) => server.close(() => done())));

  let line = 0;
  const run = (code: string): DocBlock => ({
    line: ++line,
    code,
    mode: { kind: 'run', expect: '2xx' },
  });
  const expect4xx = (code: string): DocBlock => ({
    line: ++line,
    code,
    mode: { kind: 'run', expect: '4xx' },
  });
  const go = (...blocks: DocBlock[]) =>
    runDocBlocks(blocks, { baseUrl, blockTimeoutMs: 5_000, truncateAt: 200 });

  it('passes 2xx answers, keeps variables from block to block, and points localhost:3000 at the instance', async () => {
    const results = await go(
      run('ID=$(curl -s localhost:3000/201/first | jq -r .path)'),
      run('curl -s "http://localhost:3000/200$ID" -o answer.json && cat answer.json'),
    );
    expect(results.map((result) => [result.ok, result.failure])).toEqual([
      [true, ''],
      [true, ''],
    ]);
    expect(results[1].curls[0]).toMatchObject({
      status: '200',
      answer: '{"status":200,"path":"/200/201/first"}',
    });
    expect(results[1].output).toContain('/200/201/first');
  });

  it('fails a block on a 4xx, stops there, and does not run the blocks after it', async () => {
    const results = await go(
      run('curl -s localhost:3000/404/missing\necho after'),
      run('curl -s localhost:3000/200'),
    );
    expect(results[0]).toMatchObject({ ok: false, failure: 'a curl answered 404' });
    expect(results[0].curls[0].answer).toContain('"status":404');
    expect(results[0].output).not.toContain('after');
    expect(results[1]).toMatchObject({ ok: false, failure: 'not run (an earlier block failed)' });
  });

  it('under expect 4xx, passes 4xx and fails 2xx and 5xx', async () => {
    expect(
      (await go(expect4xx('curl -s localhost:3000/409; curl -sf localhost:3000/403')))[0].ok,
    ).toBe(true);
    expect((await go(expect4xx('curl -s localhost:3000/200')))[0].failure).toBe(
      'a curl answered 200; the block is marked expect 4xx',
    );
    expect((await go(expect4xx('curl -s localhost:3000/503')))[0].failure).toBe(
      'a curl answered 503',
    );
  });

  it('fails on a 5xx inside a command substitution, and on no answer at all', async () => {
    expect((await go(run('X=$(curl -s localhost:3000/500 | jq .)')))[0].failure).toBe(
      'a curl answered 500',
    );
    const [refused] = await runDocBlocks([run('curl -s http://127.0.0.1:1/')], {
      baseUrl,
      blockTimeoutMs: 5_000,
      truncateAt: 200,
    });
    expect(refused.failure).toMatch(/^a curl got no answer \(curl exit code 7\)/);
  });

  it("keeps a doc's own -w, and takes a stream cut by --max-time after a 200 as a success", async () => {
    const [result] = await go(
      run(
        `curl -s -o /dev/null -w '%{http_code}\\n' localhost:3000/204\ncurl -sN --max-time 1 localhost:3000/stream`,
      ),
    );
    expect(result).toMatchObject({ ok: true });
    expect(result.output).toContain('204');
    expect(result.output).toContain('event: balance');
  });

  it('fails a block whose other command fails (set -e), and one that outlives its timeout', async () => {
    expect((await go(run('false\ncurl -s localhost:3000/200')))[0].failure).toMatch(
      /^a command failed/,
    );
    const [slow] = await runDocBlocks([run('sleep 30')], {
      baseUrl,
      blockTimeoutMs: 500,
      truncateAt: 200,
    });
    expect(slow.failure).toBe('timed out after 500 ms');
  });

  it('ends what a block left running in the background with the document', async () => {
    const started = Date.now();
    const [result] = await go(run('sleep 30 &\nsleep 30 > /dev/null 2>&1 &\necho started'));
    expect(result).toMatchObject({ ok: true, output: 'started' });
    expect(Date.now() - started).toBeLessThan(4_000);
  });

  it('runs in a clean environment: no key of the test process leaks in', async () => {
    process.env.DOC_LEAK_CHECK = 'leaked';
    const [result] = await go(run('echo "[${DOC_LEAK_CHECK:-clean}]"'));
    delete process.env.DOC_LEAK_CHECK;
    expect(result.output).toBe('[clean]');
  });
});
