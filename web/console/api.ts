import createClient, { type Client } from 'openapi-fetch';
import type { paths } from '../src/api/schema';

/**
 * The console's one API client: the typed client generated from the service's OpenAPI document
 * (openapi-fetch, web/src/api/schema.d.ts) with the signed-in key. The key lives in this object and
 * in React state only: never in localStorage, sessionStorage or a cookie (UI.md).
 */
export type ConsoleScope = 'admin' | 'finance';

export interface ConsoleClient {
  /** Typed calls: `client.api.GET('/v1/accounts/{accountId}/balance', { params })`. */
  readonly api: Client<paths>;
  /** What the key may do: admin (everything) or finance (reads, reports, verify). */
  readonly scope: ConsoleScope;
  /** A call the generated client cannot make (CSV, routes not in the document yet), authenticated. */
  fetch(path: string, init?: RequestInit): Promise<Response>;
}

/** A refused call: the problem's `code` and `detail` (API.md), and its field errors if any. */
export class ConsoleApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    detail: string,
    readonly errors: readonly { field: string; message: string }[] = [],
  ) {
    super(detail);
    this.name = 'ConsoleApiError';
  }
}

interface Problem {
  code?: string;
  title?: string;
  detail?: string;
  errors?: { field: string; message: string }[];
}

export function createConsoleClient(
  key: string,
  scope: ConsoleScope,
  apiBase = globalThis.location?.origin ?? '',
): ConsoleClient {
  const base = apiBase.replace(/\/+$/, '');
  const authorization = `Bearer ${key}`;
  return {
    api: createClient<paths>({ baseUrl: base, headers: { authorization } }),
    scope,
    fetch: (path, init = {}) => {
      const headers = new Headers(init.headers);
      headers.set('authorization', authorization);
      return fetchOrThrow(`${base}${path}`, { ...init, headers });
    },
  };
}

/**
 * Checks a key by asking the service: an admin route first, then a finance one. A key that is
 * neither (or unknown) is refused with the service's own reason.
 */
export async function signIn(key: string, apiBase?: string): Promise<ConsoleClient> {
  const probe = createConsoleClient(key, 'finance', apiBase);
  const admin = await probe.api.GET('/v1/webhook-endpoints').catch(networkError);
  if (admin.response.ok) return createConsoleClient(key, 'admin', apiBase);
  if (admin.response.status !== 403) throw problemError(admin.response.status, admin.error);
  // The default period: this browser's clock may not be the service's.
  const finance = await probe.api.GET('/v1/analytics/usage').catch(networkError);
  if (finance.response.ok) return probe;
  if (finance.response.status === 403)
    throw new ConsoleApiError(
      403,
      'forbidden',
      'This key has neither the admin nor the finance scope: the console needs one of them',
    );
  throw problemError(finance.response.status, finance.error);
}

/** The data of a typed call, or a ConsoleApiError with the problem's detail. */
export async function settle<T>(
  call: Promise<{ data?: T; error?: unknown; response: Response }>,
): Promise<T> {
  const answer = await call.catch(networkError);
  if (answer.data !== undefined && answer.response.ok) return answer.data;
  throw problemError(answer.response.status, answer.error);
}

/** A typed call answered with no content (204, 202): done, or a ConsoleApiError. */
export async function settleEmpty(
  call: Promise<{ error?: unknown; response: Response }>,
): Promise<void> {
  const answer = await call.catch(networkError);
  if (!answer.response.ok) throw problemError(answer.response.status, answer.error);
}

/** The JSON of a raw call, or a ConsoleApiError with the problem's detail. */
export async function readJson<T>(response: Response): Promise<T> {
  const text = await response.text();
  let body: unknown;
  try {
    body = text === '' ? undefined : JSON.parse(text);
  } catch {
    // Not JSON (a proxy's page): the status speaks for it.
  }
  if (!response.ok) throw problemError(response.status, body);
  return body as T;
}

export function problemError(status: number, body: unknown): ConsoleApiError {
  const problem = (body && typeof body === 'object' ? body : {}) as Problem;
  return new ConsoleApiError(
    status,
    problem.code ?? 'unknown_error',
    problem.detail ?? problem.title ?? `The credits service answered ${status}`,
    Array.isArray(problem.errors) ? problem.errors : [],
  );
}

/** A fresh Idempotency-Key per action: a retried click never writes twice. */
export function idempotencyKey(): string {
  return `console-${crypto.randomUUID()}`;
}

/**
 * Downloads what a route answers, byte for byte, as a file: fetched with the key (a link cannot
 * send the header), then handed to the browser as a blob.
 */
export async function download(
  client: ConsoleClient,
  path: string,
  filename: string,
): Promise<void> {
  const response = await client.fetch(path, { headers: { accept: 'text/csv' } });
  if (!response.ok) await readJson(response);
  const blob = await response.blob();
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = filename;
  document.body.appendChild(link);
  link.click();
  link.remove();
  // After the click has been handled: the download keeps its own reference.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

function fetchOrThrow(url: string, init: RequestInit): Promise<Response> {
  return fetch(url, init).catch(networkError);
}

function networkError(): never {
  throw new ConsoleApiError(0, 'network_error', 'The credits service could not be reached');
}
