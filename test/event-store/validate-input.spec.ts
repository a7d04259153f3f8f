import { randomUUID } from 'node:crypto';
import { PostgresEventStore } from '../../src/event-store/postgres/postgres-event-store';
import { validateAppend, validateStreamQuery } from '../../src/event-store/validate-input';
import { createTestDatabase, type TestDatabase } from '../support/test-database';
import { NO_STREAM_REVISION } from '../../src/event-store/event-store.port';

const event = () => ({ eventId: randomUUID(), type: 'Tested', data: {}, metadata: {} });

describe('event store input: text that would not be stored as given', () => {
  it.each([
    ['a NUL', 'credits-a\u0000b'],
    ['an unpaired surrogate', 'credits-a\ud800'],
  ])('refuses a stream id with %s', (_name, streamId) => {
    expect(() => validateAppend(streamId, [event()], NO_STREAM_REVISION)).toThrow(TypeError);
  });

  it('refuses a stream query with a NUL or an unpaired surrogate', () => {
    expect(() =>
      validateStreamQuery({ dataField: 'spendId', equals: 's\u0000', throughRevision: 0 }),
    ).toThrow(TypeError);
    expect(() =>
      validateStreamQuery({ dataField: 'spend\udc00', equals: 's', throughRevision: 0 }),
    ).toThrow(TypeError);
    expect(() =>
      validateStreamQuery({ dataField: 'spendId', equals: 'café 😀', throughRevision: 0 }),
    ).not.toThrow();
  });

  describe('on PostgreSQL', () => {
    let database: TestDatabase;
    beforeAll(async () => {
      database = await createTestDatabase({ poolMax: 2 });
    });
    afterAll(() => database.drop());

    it('never writes an unpaired surrogate stream id as another stream (UTF-8 would turn it into U+FFFD)', async () => {
      const store = new PostgresEventStore(database.pool);
      await expect(
        store.appendToStream('lone-\ud800', [event()], { expectedRevision: NO_STREAM_REVISION }),
      ).rejects.toThrow(TypeError);
      await expect(
        store.appendToStream('lone-\ud800', [event()], { expectedRevision: 'any' }),
      ).rejects.toThrow(TypeError);
      expect(await store.streamRevision('lone-\ufffd')).toBe(NO_STREAM_REVISION);
    });
  });
});
