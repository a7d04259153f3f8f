import { KeyedSerializer, QueueFullError } from '../../src/accounts/write-path/keyed-serializer';

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('KeyedSerializer', () => {
  it('runs tasks of one key one at a time, in order', async () => {
    const serializer = new KeyedSerializer(10);
    const log: string[] = [];
    const task = (name: string) => async () => {
      log.push(`start ${name}`);
      await tick();
      log.push(`end ${name}`);
    };
    await Promise.all([
      serializer.run('a', task('1')),
      serializer.run('a', task('2')),
      serializer.run('a', task('3')),
    ]);
    expect(log).toEqual(['start 1', 'end 1', 'start 2', 'end 2', 'start 3', 'end 3']);
  });

  it('runs different keys concurrently', async () => {
    const serializer = new KeyedSerializer(10);
    let running = 0;
    let most = 0;
    const task = async () => {
      running += 1;
      most = Math.max(most, running);
      await tick();
      running -= 1;
    };
    await Promise.all(['a', 'b', 'c'].map((key) => serializer.run(key, task)));
    expect(most).toBe(3);
  });

  it('keeps going after a failed task and forgets idle keys', async () => {
    const serializer = new KeyedSerializer(10);
    await expect(
      serializer.run('a', async () => {
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    await expect(serializer.run('a', async () => 'next')).resolves.toBe('next');
    await tick();
    expect(serializer.activeKeys).toBe(0);
  });

  it('refuses more than the queue limit for one key', async () => {
    const serializer = new KeyedSerializer(2);
    let release!: () => void;
    const blocker = new Promise<void>((resolve) => (release = resolve));
    const first = serializer.run('a', () => blocker);
    const second = serializer.run('a', async () => 'second');
    await expect(serializer.run('a', async () => 'third')).rejects.toBeInstanceOf(QueueFullError);
    await expect(serializer.run('b', async () => 'other key')).resolves.toBe('other key');
    release();
    await first;
    await expect(second).resolves.toBe('second');
  });
});
