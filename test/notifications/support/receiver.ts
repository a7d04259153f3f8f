import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Received {
  headers: IncomingHttpHeaders;
  body: string;
  json: { type: string; timestamp: string; data: Record<string, any> };
  at: number;
  /** What the receiver answered ('hang': nothing). */
  answered?: number | 'hang';
}

/**
 * A real HTTP receiver on 127.0.0.1. `answer` decides each response (status, or 'hang' to never
 * answer); every request is recorded, answered or not.
 */
export class Receiver {
  readonly received: Received[] = [];
  answer: (request: Received, index: number) => number | 'hang' = () => 200;
  private readonly server: Server;
  private readonly hanging = new Set<() => void>();

  private constructor() {
    this.server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        const entry: Received = {
          headers: request.headers,
          body,
          json: JSON.parse(body),
          at: Date.now(),
        };
        this.received.push(entry);
        const status = this.answer(entry, this.received.length - 1);
        entry.answered = status;
        if (status === 'hang') {
          const end = () => response.destroy();
          this.hanging.add(end);
          return;
        }
        response.writeHead(status, { 'content-type': 'text/plain' }).end('ok');
      });
    });
  }

  static async start(): Promise<Receiver> {
    const receiver = new Receiver();
    await new Promise<void>((resolve) => receiver.server.listen(0, '127.0.0.1', resolve));
    return receiver;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/hooks`;
  }

  ofType(type: string): Received[] {
    return this.received.filter((entry) => entry.json.type === type);
  }

  async close(): Promise<void> {
    for (const end of this.hanging) end();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

/** Polls until `check` returns something truthy (or fails after `timeoutMs`). */
export async function eventually<T>(
  check: () => T | Promise<T>,
  timeoutMs = 15_000,
  what = 'condition',
): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
