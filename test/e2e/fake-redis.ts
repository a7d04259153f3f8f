import { createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';

/**
 * A stand-in for Redis (none is installed here) speaking just enough RESP for ioredis and the two
 * Lua scripts of @fastify/rate-limit's RedisStore: the ioredis handshake (CLIENT, INFO), EVALSHA
 * answered NOSCRIPT so the client sends EVAL, and EVAL of the counter script (INCR + PEXPIRE on the
 * first hit, PTTL after) or the read script (GET + PTTL), recognized by their text; and plain INCR,
 * PEXPIRE, PTTL and GET for the gift-code miss counters. Enough to show
 * that several app instances share their counters through RATE_LIMIT_REDIS_URL; not a Redis.
 */
export class FakeRedis {
  /** Every command received, upper-cased name first. */
  readonly commands: string[][] = [];
  private readonly counters = new Map<string, { value: number; expiresAtMs: number }>();
  private server: Server | null = null;
  private readonly sockets = new Set<Socket>();

  async start(): Promise<string> {
    this.server = createServer((socket) => this.serve(socket));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return `redis://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) =>
      this.server ? this.server.close(() => resolve()) : resolve(),
    );
  }

  private serve(socket: Socket): void {
    this.sockets.add(socket);
    socket.on('close', () => this.sockets.delete(socket));
    socket.on('error', () => undefined);
    let buffer = Buffer.alloc(0);
    socket.on('data', (chunk: Buffer) => {
      buffer = Buffer.concat([buffer, chunk]);
      for (;;) {
        const parsed = parseCommand(buffer);
        if (!parsed) break;
        buffer = buffer.subarray(parsed.consumed);
        this.commands.push([parsed.args[0].toUpperCase(), ...parsed.args.slice(1)]);
        socket.write(this.answer(parsed.args));
      }
    });
  }

  private answer([name, ...args]: string[]): string {
    switch (name.toUpperCase()) {
      case 'CLIENT':
      case 'QUIT':
        return '+OK\r\n';
      case 'INFO': {
        const info = '# Server\r\nredis_version:7.2.0\r\nloading:0\r\n';
        return `$${Buffer.byteLength(info)}\r\n${info}\r\n`;
      }
      case 'EVALSHA':
        return '-NOSCRIPT No matching script. Please use EVAL.\r\n';
      case 'EVAL':
        return this.evaluate(args[0], args[2], args.slice(3));
      // Plain counters, as the gift-code miss counters use them (src/http/rate-limits/miss-counters.ts).
      case 'INCR': {
        const counter = this.live(args[0]) ?? { value: 0, expiresAtMs: Number.POSITIVE_INFINITY };
        counter.value += 1;
        this.counters.set(args[0], counter);
        return `:${counter.value}\r\n`;
      }
      case 'PEXPIRE': {
        const counter = this.live(args[0]);
        if (counter) counter.expiresAtMs = Date.now() + Number(args[1]);
        return `:${counter ? 1 : 0}\r\n`;
      }
      case 'PTTL': {
        const counter = this.live(args[0]);
        if (!counter) return ':-2\r\n';
        return Number.isFinite(counter.expiresAtMs)
          ? `:${counter.expiresAtMs - Date.now()}\r\n`
          : ':-1\r\n';
      }
      case 'GET': {
        const counter = this.live(args[0]);
        if (!counter) return '$-1\r\n';
        const text = String(counter.value);
        return `$${text.length}\r\n${text}\r\n`;
      }
      default:
        return `-ERR unknown command '${name}'\r\n`;
    }
  }

  private live(key: string): { value: number; expiresAtMs: number } | undefined {
    const counter = this.counters.get(key);
    return counter && counter.expiresAtMs > Date.now() ? counter : undefined;
  }

  /** KEYS[1] = key; the counter script's ARGV: timeWindow, max, continueExceeding, exponentialBackoff. */
  private evaluate(script: string, key: string, argv: string[]): string {
    const now = Date.now();
    const live = this.counters.get(key);
    const counter = live && live.expiresAtMs > now ? live : undefined;
    if (script.includes("redis.call('INCR'")) {
      const timeWindowMs = Number(argv[0]);
      const next = counter ?? { value: 0, expiresAtMs: now + timeWindowMs };
      next.value += 1;
      this.counters.set(key, next);
      return `*2\r\n:${next.value}\r\n:${next.expiresAtMs - now}\r\n`;
    }
    return counter
      ? `*2\r\n:${counter.value}\r\n:${counter.expiresAtMs - now}\r\n`
      : '*2\r\n:0\r\n:0\r\n';
  }
}

/** One RESP array of bulk strings (what clients send), or null while incomplete. */
function parseCommand(buffer: Buffer): { args: string[]; consumed: number } | null {
  if (buffer.length === 0 || buffer[0] !== 0x2a /* '*' */) return null;
  let offset = 0;
  const line = () => {
    const end = buffer.indexOf('\r\n', offset);
    if (end < 0) return null;
    const text = buffer.subarray(offset, end).toString('latin1');
    offset = end + 2;
    return text;
  };
  const header = line();
  if (header === null) return null;
  const count = Number(header.slice(1));
  const args: string[] = [];
  for (let index = 0; index < count; index += 1) {
    const size = line();
    if (size === null) return null;
    const length = Number(size.slice(1));
    if (buffer.length < offset + length + 2) return null;
    args.push(buffer.subarray(offset, offset + length).toString('utf8'));
    offset += length + 2;
  }
  return { args, consumed: offset };
}
