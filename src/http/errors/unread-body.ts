import type { IncomingMessage } from 'node:http';
import type { FastifyReply, FastifyRequest } from 'fastify';

/**
 * A request answered before its body was read (401 from the authentication hook, 413 from the body
 * limit, 415, 404…) leaves the client still sending. Closing at once would reset the connection and
 * most clients (curl, fetch, axios) would report a broken pipe instead of the answer, so the rest
 * of the body is read and thrown away, up to these bounds; past either, the connection is closed.
 */
const MAX_DISCARDED_BODY_BYTES = 16 * 1024 * 1024;
const MAX_DISCARD_MS = 30_000;

/**
 * For onSend. An answer to a request whose body has not all arrived keeps the connection, so that
 * Node goes on reading the body (and drops it) instead of resetting the connection under a client
 * that is still sending, even one that asked to close: it closes once it has sent everything and
 * read the answer. An explicit `Connection` header set by someone else wins. Once the answer is
 * out, the rest of the body is bounded. Costs one property read on a request whose body was read
 * (nearly all).
 */
export function handleUnreadBody(request: FastifyRequest, reply: FastifyReply): void {
  const raw = request.raw;
  if (!bodyStillArriving(raw)) return;
  if (!reply.hasHeader('connection')) void reply.header('connection', 'keep-alive');
  reply.raw.once('finish', () => {
    if (bodyStillArriving(raw) && !raw.destroyed) discard(raw);
  });
}

/** `false`, not falsy: requests injected in-process (light-my-request) have no `complete` and no socket. */
function bodyStillArriving(raw: IncomingMessage): boolean {
  return raw.complete === false;
}

function discard(raw: IncomingMessage): void {
  let discarded = 0;
  const close = () => {
    stop();
    raw.socket?.destroy();
  };
  const timer = setTimeout(close, MAX_DISCARD_MS).unref();
  const onData = (chunk: Buffer) => {
    discarded += chunk.length;
    if (discarded > MAX_DISCARDED_BODY_BYTES) close();
  };
  const stop = () => {
    clearTimeout(timer);
    raw.off('data', onData);
    raw.off('end', stop);
    raw.off('close', stop);
  };
  raw.on('data', onData);
  raw.once('end', stop);
  raw.once('close', stop);
  raw.resume();
}
