import { lookup as dnsLookup, type LookupAddress, type LookupOptions } from 'node:dns';
import { request as httpRequest, type RequestOptions } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { isIP } from 'node:net';
import { isBlockedAddress } from './url-policy';

export interface SendResult {
  /** The receiver's status; null when there was no answer (timeout, refused, network error). */
  statusCode: number | null;
  error: string | null;
}

/** At most this much of an answer is read (and thrown away); the rest is cut off. */
const MAX_RESPONSE_BYTES = 64 * 1024;

export class BlockedAddressError extends Error {
  constructor(address: string) {
    super(`refused: ${address} is a loopback, private, link-local or metadata address`);
    this.name = 'BlockedAddressError';
  }
}

type LookupCallback = (
  error: NodeJS.ErrnoException | null,
  address: string | LookupAddress[],
  family?: number,
) => void;

/**
 * The DNS lookup the connection itself uses, refusing blocked addresses: the address checked is
 * the address connected to, so a name re-pointed after the endpoint was created (DNS rebinding)
 * cannot reach the inside.
 */
function guardedLookup(hostname: string, options: LookupOptions, callback: LookupCallback): void {
  dnsLookup(hostname, { ...options, all: true }, (error, addresses) => {
    if (error) return callback(error, []);
    const list: LookupAddress[] = addresses;
    const blocked = list.find((entry) => isBlockedAddress(entry.address));
    if (blocked) return callback(new BlockedAddressError(blocked.address), []);
    if (options.all) return callback(null, list);
    callback(null, list[0].address, list[0].family);
  });
}

/**
 * One POST with a hard deadline over the whole exchange (connect, send, answer): a slow or hanging
 * receiver costs at most `timeoutMs` of one of its own endpoint's slots.
 */
export function postJson(
  url: string,
  headers: Record<string, string>,
  body: string,
  options: { timeoutMs: number; allowPrivate: boolean },
): Promise<SendResult> {
  return new Promise((resolve) => {
    let settled = false;
    const finish = (result: SendResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(deadline);
      resolve(result);
    };
    let target: URL;
    try {
      target = new URL(url);
    } catch {
      return resolve({ statusCode: null, error: 'invalid URL' });
    }
    const host = target.hostname.replace(/^\[(.*)\]$/, '$1');
    if (!options.allowPrivate && isIP(host) && isBlockedAddress(host)) {
      return resolve({ statusCode: null, error: new BlockedAddressError(host).message });
    }
    const requestOptions: RequestOptions = {
      method: 'POST',
      headers: {
        ...headers,
        'content-type': 'application/json',
        'content-length': String(Buffer.byteLength(body)),
        'user-agent': 'credits-ledger-webhooks/1',
      },
      ...(!options.allowPrivate && { lookup: guardedLookup }),
    };
    const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
    const request = send(target, requestOptions, (response) => {
      let received = 0;
      response.on('data', (chunk: Buffer) => {
        received += chunk.length;
        if (received > MAX_RESPONSE_BYTES) response.destroy();
      });
      const done = () => finish({ statusCode: response.statusCode ?? null, error: null });
      response.on('end', done);
      response.on('close', done);
      response.on('error', done);
    });
    const deadline = setTimeout(() => {
      request.destroy(new Error(`no answer within ${options.timeoutMs} ms`));
    }, options.timeoutMs);
    request.on('error', (error) => finish({ statusCode: null, error: error.message }));
    request.end(body);
  });
}
