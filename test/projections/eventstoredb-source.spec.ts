import { EventStoreDbSubscriptionSource } from '../../src/event-store/eventstoredb/eventstoredb-subscription';
import { EventStoreDbProjectorSource } from '../../projections/runtime/eventstoredb-source';
import { FakeSubscribeClient, position, resolvedEvent } from '../event-store/eventstoredb/fakes';

/** The pull adapter over the real EventStoreDbSubscriptionSource, on the fake db-client. */
describe('EventStoreDbProjectorSource', () => {
  function setup(bufferSize?: number) {
    const client = new FakeSubscribeClient();
    const source = new EventStoreDbProjectorSource(
      (options) =>
        new EventStoreDbSubscriptionSource(client, {
          ...options,
          backoff: { initialMs: 1, maxMs: 5 },
        }),
      { bufferSize },
    );
    return { client, source };
  }

  it('subscribes from the checkpoint and hands buffered events in order, at most maxCount', async () => {
    const { client, source } = setup();
    const empty = source.read('esdb-5-5', 2, 0);
    const subscription = await client.nth(1);
    expect(subscription.from).toBe('5/5');
    // The adapter is told which streams are the ledger's; it does not know.
    expect(subscription.options.filter).toMatchObject({ prefixes: ['credits-'] });
    expect(await empty).toEqual({ events: [], position: null });
    for (const [revision, commit] of [
      [0, 10],
      [1, 20],
      [2, 30],
    ] as const)
      subscription.write(resolvedEvent('credits-a', revision, commit));
    await new Promise((resolve) => setTimeout(resolve, 20));
    const first = await source.read('esdb-5-5', 2, 0);
    expect(first.events.map((event) => event.revision)).toEqual([0, 1]);
    expect(first.position).toBe('esdb-20-20');
    const second = await source.read('esdb-20-20', 2, 100);
    expect(second.events.map((event) => event.revision)).toEqual([2]);
    expect(client.subscriptions).toHaveLength(1); // the same subscription while the projector follows on
    await source.close();
  });

  it('waits up to waitMs and returns as soon as something arrives; a checkpoint alone moves the position', async () => {
    const { client, source } = setup();
    const waiting = source.read(null, 10, 5_000);
    const subscription = await client.nth(1);
    expect(subscription.from).toBe('start');
    const started = Date.now();
    await subscription.checkpoint(position(64));
    expect(await waiting).toEqual({ events: [], position: 'esdb-64-64' });
    expect(Date.now() - started).toBeLessThan(1000);
    await source.close();
  });

  it('restarts the subscription from the position asked for when a batch was not committed', async () => {
    const { client, source } = setup();
    void source.read(null, 10, 0);
    const subscription = await client.nth(1);
    subscription.write(resolvedEvent('credits-a', 0, 10));
    subscription.write(resolvedEvent('credits-a', 1, 20));
    await new Promise((resolve) => setTimeout(resolve, 20));
    const handed = await source.read(null, 10, 0);
    expect(handed.position).toBe('esdb-20-20');
    // The projector's transaction failed: it asks again from its stored checkpoint (the start).
    const again = source.read(null, 10, 1000);
    const resubscribed = await client.nth(2);
    expect(resubscribed.from).toBe('start');
    expect(subscription.unsubscribed).toBe(true);
    resubscribed.write(resolvedEvent('credits-a', 0, 10));
    expect((await again).events.map((event) => event.revision)).toEqual([0]);
    await source.close();
  });

  it('holds the subscription back when the buffer is full (back-pressure) and stops cleanly', async () => {
    const { client, source } = setup(2);
    void source.read(null, 10, 0);
    const subscription = await client.nth(1);
    for (let revision = 0; revision < 6; revision++)
      subscription.write(resolvedEvent('credits-a', revision, 10 * (revision + 1)));
    await new Promise((resolve) => setTimeout(resolve, 20));
    const batch = await source.read(null, 10, 0);
    expect(batch.events.length).toBeLessThanOrEqual(3);
    expect(batch.events.map((event) => event.revision)).toEqual(
      batch.events.map((_, index) => index),
    );
    await source.close();
    expect(subscription.unsubscribed).toBe(true);
  });
});
