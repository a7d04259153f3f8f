import { parseDoc, retarget } from './doc-blocks';

const doc = (...lines: string[]) => lines.join('\n');

describe('finding the commands of a document', () => {
  it('takes the sh and bash blocks in order, with their line and text, and nothing else', () => {
    const { blocks, problems } = parseDoc(
      doc(
        '# Title',
        '```sh',
        'KEY=dev-service-secret',
        'curl -s localhost:3000/health/ready',
        '```',
        '```json',
        '{"curl": "not run"}',
        '```',
        '```bash',
        'echo two',
        '```',
        '```text',
        'curl -s localhost:3000 (output shown as text is never run)',
        '```',
      ),
    );
    expect(problems).toEqual([]);
    expect(blocks).toEqual([
      {
        line: 2,
        code: 'KEY=dev-service-secret\ncurl -s localhost:3000/health/ready',
        mode: { kind: 'run', expect: '2xx' },
      },
      { line: 9, code: 'echo two', mode: { kind: 'run', expect: '2xx' } },
    ]);
  });

  it('reads the marker on the line before a block (blank lines between are allowed)', () => {
    const { blocks, problems } = parseDoc(
      doc(
        '<!-- doc-test: expect 4xx -->',
        '```sh',
        'curl -s localhost:3000/v1/accounts/x/balance',
        '```',
        '<!-- doc-test: skip starts the service -->',
        '',
        '```bash',
        'npm start',
        '```',
        '<!--doc-test:skip needs a Stripe account-->',
        '```sh',
        'curl -X POST localhost:3000/v1/checkout-sessions',
        '```',
      ),
    );
    expect(problems).toEqual([]);
    expect(blocks.map((block) => block.mode)).toEqual([
      { kind: 'run', expect: '4xx' },
      { kind: 'skip', reason: 'starts the service' },
      { kind: 'skip', reason: 'needs a Stripe account' },
    ]);
  });

  it('strips the indentation of a block inside a list item', () => {
    const { blocks } = parseDoc(
      doc('1. Run:', '   ```sh', '   echo one', '     echo two', '   ```'),
    );
    expect(blocks[0].code).toBe('echo one\n  echo two');
  });

  it('does not end a block at a shorter or different fence', () => {
    const { blocks } = parseDoc(doc('````sh', 'cat <<EOF', '```', 'EOF', '````'));
    expect(blocks[0].code).toBe('cat <<EOF\n```\nEOF');
  });

  it('refuses a skip of a curl block that names nothing outside this machine', () => {
    const { problems } = parseDoc(
      doc('<!-- doc-test: skip too slow -->', '```sh', 'curl localhost:3000/v1/plans', '```'),
    );
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ line: 1 });
    expect(problems[0].message).toContain('outside this machine');
  });

  it('lets a skip name any reason when curl is only in a comment line', () => {
    const { problems } = parseDoc(
      doc(
        '<!-- doc-test: skip starts the service -->',
        '```sh',
        'npm start',
        '# then: curl localhost:3000/health/ready',
        '```',
      ),
    );
    expect(problems).toEqual([]);
  });

  it('refuses a skip without a reason, an unknown marker, and a marker before no shell block', () => {
    const { problems } = parseDoc(
      doc(
        '<!-- doc-test: skip -->',
        '```sh',
        'echo',
        '```',
        '<!-- doc-test: expect 2xx -->',
        '```sh',
        'echo',
        '```',
        '<!-- doc-test: expect 4xx -->',
        '```json',
        '{}',
        '```',
        '<!-- doc-test: expect 4xx -->',
        'Some prose.',
        '```sh',
        'echo',
        '```',
      ),
    );
    expect(problems.map((problem) => problem.line)).toEqual([1, 5, 9, 13]);
    expect(problems[0].message).toContain('needs a reason');
    expect(problems[1].message).toContain('unknown doc-test marker');
    expect(problems[2].message).toContain('right before a sh or bash block');
  });

  it('refuses a curl command in an untagged or shell-like block, which would never run', () => {
    const { problems } = parseDoc(
      doc('```', 'curl localhost:3000/health/ready', '```', '```console', '$ curl x', '```'),
    );
    expect(problems.map((problem) => problem.line)).toEqual([1, 4]);
    expect(problems[0].message).toContain('tag it sh or bash');
  });

  it('reports a block never closed', () => {
    expect(parseDoc(doc('```sh', 'echo')).problems).toEqual([
      { line: 1, message: 'code block never closed' },
    ]);
  });
});

describe('pointing a block at the test instance', () => {
  it('rewrites localhost:3000 with or without http://, and nothing else', () => {
    expect(
      retarget(
        'curl localhost:3000/a http://localhost:3000/b "localhost:3000" localhost:30001 localhost:5173',
        'http://127.0.0.1:41234',
      ),
    ).toBe(
      'curl 127.0.0.1:41234/a http://127.0.0.1:41234/b "127.0.0.1:41234" localhost:30001 localhost:5173',
    );
  });
});
