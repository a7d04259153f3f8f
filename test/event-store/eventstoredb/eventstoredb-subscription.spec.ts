import {
  EventStoreDbSubscriptionSource,
  backoffDelay,
  type SubscriptionDrop,
  type SubscriptionMessage,
} from '../../../src/event-store/eventstoredb/eventstoredb-subscription';
import { FakeSubscribeClient, eventually, position, resolvedEvent } from './fakes';

function describeMessage(message: SubscriptionMessage): string {
  return message.kind === 'event'
    ? `${message.event.streamId}@${message.event.revision}`
    : `checkpoint ${message.position}`;
}

interface SetupOptions {
  from?: string | null;
  maxBuffered?: number;
  handler?: (message: SubscriptionMessage) => Promise<void>;
}

function setup(options: SetupOptions = {}) {
  const client = new FakeSubscribeClient();
  const seen: string[] = [];
  const drops: SubscriptionDrop[] = [];
  const delays: number[] = [];
  const source = new EventStoreDbSubscriptionSource(client, {
    from: options.from ?? null,
    streamPrefix: 'credits-',
    ...(options.maxBuffered === undefined ? {} : { maxBuffered: options.maxBuffered }),
    handler:
      options.handler ??
      (async (message) => {
        seen.push(describeMessage(message));
      }),
    onDrop: (drop) => drops.push(drop),
    sleep: async (ms) => {
      delays.push(ms);
    },
  });
  return { client, seen, drops, delays, source };
}

describe('backoffDelay', () => {
  it('doubles from the initial delay and stays bounded', () => {
    const backoff = { initialMs: 100, maxMs: 1000 };
    expect([1, 2, 3, 4, 5, 6, 50, 5000].map((attempt) => backoffDelay(attempt, backoff))).toEqual([
      100, 200, 400, 800, 1000, 1000, 1000, 1000,
    ]);
    expect(backoffDelay(0, backoff)).toBe(100);
  });
});

describe('EventStoreDbSubscriptionSource (fake client)', () => {
  it('subscribes to $all from the stored checkpoint, filtered on the credits- prefix', async () => {
    const { client, source } = setup({ from: 'esdb-120-110' });
    source.start();
    const subscription = await client.nth(1);
    expect(subscription.options.fromPosition).toEqual(position(120, 110));
    expect(subscription.options.resolveLinkTos).toBe(false);
    expect(subscription.options.filter).toMatchObject({
      filterOn: 'streamName',
      prefixes: ['credits-'],
    });
    expect(typeof subscription.options.filter?.checkpointReached).toBe('function');
    await source.stop();
  });

  it('starts from the beginning without a checkpoint', async () => {
    const { client, source } = setup();
    source.start();
    expect((await client.nth(1)).options.fromPosition).toBe('start');
    await source.stop();
  });

  it('hands events and checkpoints to the handler in log order, one at a time', async () => {
    let running = 0;
    let overlapped = false;
    const seen: string[] = [];
    const { client, source } = setup({
      maxBuffered: 2, // paused after two: the rest wait in the stream's own buffer
      handler: async (message) => {
        running += 1;
        overlapped ||= running > 1;
        await new Promise((resolve) => setTimeout(resolve, 3)); // a slow projector transaction
        seen.push(describeMessage(message));
        running -= 1;
      },
    });
    source.start();
    const subscription = await client.nth(1);
    subscription.write(resolvedEvent('credits-a', 0, 10));
    subscription.write(resolvedEvent('credits-b', 0, 20));
    subscription.write(resolvedEvent('credits-a', 1, 30));
    subscription.write(resolvedEvent('credits-b', 1, 40));
    expect(subscription.readableLength).toBeGreaterThan(0);
    // The checkpoint arrives while events still wait in the stream: it must not overtake them,
    // or the projector would store a position past events it never applied.
    await subscription.checkpoint(position(45));
    subscription.write(resolvedEvent('credits-c', 0, 50));
    await eventually(() => seen.length === 6);
    expect(seen).toEqual([
      'credits-a@0',
      'credits-b@0',
      'credits-a@1',
      'credits-b@1',
      'checkpoint esdb-45-45',
      'credits-c@0',
    ]);
    expect(overlapped).toBe(false);
    expect(source.position).toBe('esdb-50-50');
    await source.stop();
  });

  it('resubscribes after a drop from the last handled position, with bounded backoff', async () => {
    const { client, seen, drops, delays, source } = setup();
    source.start();
    const first = await client.nth(1);
    first.write(resolvedEvent('credits-a', 0, 10));
    await first.checkpoint(position(25));
    await eventually(() => seen.length === 2);
    first.fail(new Error('connection reset'));

    const second = await client.nth(2);
    expect(second.options.fromPosition).toEqual(position(25));
    expect(first.unsubscribe).toHaveBeenCalled();
    // The server may hand back the record at the resume position: not handled twice.
    second.write(resolvedEvent('credits-a', 0, 10));
    second.write(resolvedEvent('credits-a', 1, 30));
    await eventually(() => seen.length === 3);
    expect(seen).toEqual(['credits-a@0', 'checkpoint esdb-25-25', 'credits-a@1']);
    expect(drops[0]).toMatchObject({ attempt: 1, delayMs: 100, resumeFrom: 'esdb-25-25' });
    expect((drops[0].error as Error).message).toBe('connection reset');

    // Drops with no progress in between back off further; progress resets the backoff.
    second.fail();
    (await client.nth(3)).fail();
    (await client.nth(4)).fail();
    const fifth = await client.nth(5);
    expect(delays).toEqual([100, 100, 200, 400]);
    fifth.write(resolvedEvent('credits-b', 0, 40));
    await eventually(() => seen.length === 4);
    fifth.end(); // a subscription that ends is a drop too
    await client.nth(6);
    expect(delays).toEqual([100, 100, 200, 400, 100]);
    expect(client.subscriptions[5].options.fromPosition).toEqual(position(40));
    await source.stop();
  });

  it('retries an event whose handler failed, and never repeats one that succeeded', async () => {
    const applied: string[] = [];
    let failOnce = true;
    const { client, drops, source } = setup({
      handler: async (message) => {
        if (message.kind !== 'event') return;
        if (message.event.revision === 1 && failOnce) {
          failOnce = false;
          throw new Error('projection transaction failed');
        }
        applied.push(describeMessage(message));
      },
    });
    source.start();
    const first = await client.nth(1);
    first.write(resolvedEvent('credits-a', 0, 10));
    first.write(resolvedEvent('credits-a', 1, 20));
    first.write(resolvedEvent('credits-a', 2, 30)); // dropped with the subscription, redelivered
    const second = await client.nth(2);
    expect(second.options.fromPosition).toEqual(position(10));
    expect((drops[0].error as Error).message).toBe('projection transaction failed');
    second.write(resolvedEvent('credits-a', 1, 20));
    second.write(resolvedEvent('credits-a', 2, 30));
    await eventually(() => applied.length === 3);
    expect(applied).toEqual(['credits-a@0', 'credits-a@1', 'credits-a@2']);
    await source.stop();
  });

  it('never moves the position backwards on a stale checkpoint, and ignores other streams', async () => {
    const { client, seen, source } = setup();
    source.start();
    const subscription = await client.nth(1);
    subscription.write(resolvedEvent('credits-a', 0, 100));
    await eventually(() => seen.length === 1);
    await subscription.checkpoint(position(90));
    await subscription.checkpoint(position(100));
    subscription.write(resolvedEvent('other-x', 0, 110));
    await subscription.checkpoint(position(120));
    await eventually(() => seen.length === 2);
    expect(seen).toEqual(['credits-a@0', 'checkpoint esdb-120-120']);
    await source.stop();
  });

  it('stops: waits for the handler in flight, unsubscribes, and does not resubscribe', async () => {
    let release: () => void = () => undefined;
    const handled: string[] = [];
    const { client, source } = setup({
      handler: async (message) => {
        await new Promise<void>((resolve) => (release = resolve));
        handled.push(describeMessage(message));
      },
    });
    source.start();
    const subscription = await client.nth(1);
    subscription.write(resolvedEvent('credits-a', 0, 10));
    subscription.write(resolvedEvent('credits-a', 1, 20));
    await new Promise((resolve) => setTimeout(resolve, 5)); // the first event is now in the handler
    let stopped = false;
    const stopping = source.stop().then(() => (stopped = true));
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(stopped).toBe(false);
    release();
    await stopping;
    expect(handled).toEqual(['credits-a@0']); // the queued second event is left for next time
    expect(source.position).toBe('esdb-10-10');
    expect(subscription.unsubscribe).toHaveBeenCalled();
    subscription.fail(); // a late error after stop is swallowed, not a crash, and not a resubscribe
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(client.subscriptions).toHaveLength(1);
  });

  it('treats a subscribe call that throws as a drop', async () => {
    const { client, drops, source } = setup();
    const subscribe = client.subscribeToAll;
    let calls = 0;
    client.subscribeToAll = (options) => {
      calls += 1;
      if (calls === 1) throw new Error('channel closed');
      return subscribe(options);
    };
    source.start();
    await client.nth(1);
    expect((drops[0].error as Error).message).toBe('channel closed');
    await source.stop();
  });

  it('pauses the stream when the handler falls behind', async () => {
    let release: () => void = () => undefined;
    const client = new FakeSubscribeClient();
    const source = new EventStoreDbSubscriptionSource(client, {
      from: null,
      streamPrefix: 'credits-',
      maxBuffered: 4,
      handler: () => new Promise<void>((resolve) => (release = resolve)),
    });
    source.start();
    const subscription = await client.nth(1);
    for (let i = 0; i < 6; i += 1) subscription.write(resolvedEvent('credits-a', i, 10 * (i + 1)));
    await eventually(() => subscription.isPaused());
    release();
    const stopping = source.stop();
    release();
    await stopping;
  });
});
