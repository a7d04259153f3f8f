import { Readable } from 'node:stream';
import type { Pool, PoolClient } from 'pg';
import Cursor from 'pg-cursor';
import { headerLine, rowLine } from './csv';
import type { CsvReport } from './csv-reports';

/** Rows fetched per round trip: a few hundred kB of CSV, so memory stays flat whatever the period. */
export const EXPORT_BATCH_ROWS = 1_000;

/**
 * A CSV export read from PostgreSQL through a cursor, with backpressure: the next batch is fetched
 * only when the consumer (the HTTP response) asks for more, so memory holds one batch whatever
 * the period. The connection is taken on the first read and given back when the stream ends, fails
 * or is destroyed (a client that disconnects: Fastify destroys the stream), after the batch in
 * flight has arrived; a connection whose cursor could not be closed is discarded, not reused.
 * `onClose` runs once, when everything is released.
 *
 * `open()` connects, starts the cursor and reads the first batch before the response is sent: a
 * failure there (no connection, a bad statement) can still be answered as a problem, while one
 * after the first bytes can only cut the download short.
 */
export class CsvExportStream<Row> extends Readable {
  private client: PoolClient | null = null;
  private cursor: Cursor<Row> | null = null;
  private reading: Promise<void> | null = null;
  private released = false;
  /** The first batch, read by open() before any byte is sent. */
  private firstBatch: Row[] | null = null;
  private headerSent = false;

  constructor(
    private readonly pool: Pool,
    private readonly report: CsvReport<Row>,
    private readonly onClose: () => void,
    private readonly batchRows = EXPORT_BATCH_ROWS,
  ) {
    // Strings in, bytes out; a few batches of buffer before a slow client pauses the reading.
    super({ highWaterMark: 256 * 1024 });
  }

  /** Connects and reads the first batch; on failure everything is released and the error thrown. */
  async open(): Promise<void> {
    try {
      this.client = await this.pool.connect();
      this.cursor = this.client.query(new Cursor<Row>(this.report.sql, this.report.params));
      this.firstBatch = await this.cursor.read(this.batchRows);
    } catch (error) {
      await this.release();
      this.destroy();
      throw error;
    }
  }

  override _read(): void {
    if (this.reading || this.destroyed) return;
    this.reading = this.pump().finally(() => (this.reading = null));
  }

  /** Reads batches while the consumer wants more (push returns true). */
  private async pump(): Promise<void> {
    try {
      if (!this.cursor) {
        this.client = await this.pool.connect();
        if (this.destroyed) return;
        this.cursor = this.client.query(new Cursor<Row>(this.report.sql, this.report.params));
      }
      const cursor = this.cursor;
      if (!this.headerSent) {
        this.headerSent = true;
        if (!this.push(headerLine(this.report.columns))) return;
      }
      for (;;) {
        const rows = this.firstBatch ?? (await cursor.read(this.batchRows));
        this.firstBatch = null;
        if (this.destroyed) return;
        if (rows.length === 0) {
          await this.release();
          this.push(null);
          return;
        }
        let text = '';
        for (const row of rows) text += rowLine(this.report.columns, row);
        if (!this.push(text)) return;
      }
    } catch (error) {
      this.destroy(error as Error);
    }
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    // Wait for the batch in flight: the cursor cannot be closed under a pending read.
    void (async () => {
      await this.reading?.catch(() => undefined);
      await this.release();
    })().then(
      () => callback(error),
      () => callback(error),
    );
  }

  private async release(): Promise<void> {
    if (this.released) return;
    this.released = true;
    const { client, cursor } = this;
    this.client = null;
    this.cursor = null;
    try {
      let broken = false;
      if (cursor) {
        await cursor.close().catch(() => {
          broken = true;
        });
      }
      // A connection in an unknown state is closed rather than handed to the next query.
      client?.release(broken ? true : undefined);
    } finally {
      this.onClose();
    }
  }
}
