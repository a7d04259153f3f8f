import { connect } from 'node:net';

export interface RawResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
  /** The body parsed as JSON when it is JSON, else undefined. */
  json: any;
}

/**
 * Sends bytes exactly as given over a fresh TCP connection and reads ONE response: what fetch
 * cannot send (bad header names, literal `.` path segments, oversized request lines). Resolves when
 * the response is complete (Content-Length) or the server closes; rejects on a socket error before
 * any response arrived.
 */
export function rawRequest(baseUrl: string, request: string | Buffer): Promise<RawResponse> {
  const { hostname, port } = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname);
    let received = Buffer.alloc(0);
    let settled = false;
    const finish = (error?: Error) => {
      if (settled) return;
      const parsed = parseResponse(received, error !== undefined);
      if (parsed) {
        settled = true;
        socket.destroy();
        resolve(parsed);
      } else if (error) {
        settled = true;
        socket.destroy();
        reject(error);
      }
    };
    socket.on('data', (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      finish();
    });
    socket.on('end', () =>
      finish(
        new Error(
          `connection closed before a complete response: ${JSON.stringify(received.toString('latin1'))}`,
        ),
      ),
    );
    socket.on('error', (error) => finish(error));
    socket.write(request);
  });
}

/** `closed`: the server closed the connection, so a response without Content-Length ends here. */
function parseResponse(bytes: Buffer, closed: boolean): RawResponse | null {
  const headerEnd = bytes.indexOf('\r\n\r\n');
  if (headerEnd < 0) return null;
  const [statusLine, ...headerLines] = bytes
    .subarray(0, headerEnd)
    .toString('latin1')
    .split('\r\n');
  const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(statusLine)?.[1]);
  const headers: Record<string, string> = {};
  for (const line of headerLines) {
    const colon = line.indexOf(':');
    headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  const length = Number(headers['content-length'] ?? NaN);
  const bodyBytes = bytes.subarray(headerEnd + 4);
  if (Number.isFinite(length) ? bodyBytes.length < length : !closed) return null;
  const body = bodyBytes.subarray(0, Number.isFinite(length) ? length : undefined).toString('utf8');
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    json = undefined;
  }
  return { status, headers, body, json };
}
