import { ACCOUNT_PROBLEMS } from '../../src/accounts/http/account-problems';
import { QueueFullError } from '../../src/accounts/write-path/errors';
import {
  EventStoreSaturatedError,
  EventStoreUnavailableError,
} from '../../src/event-store/event-store.port';
import { HttpProblemException } from '../../src/http/errors/http-problem.exception';
import { problem, type ProblemCode } from '../../src/http/errors/problem';
import { ProblemCatalog } from '../../src/http/errors/problem-catalog';
import { missingRetryAfter } from '../../src/http/errors/problem-response';
import { RateLimitedError } from '../../src/http/errors/rate-limited.error';
import {
  PaymentProviderError,
  StripeEventProcessingError,
  StripeNotConfiguredError,
} from '../../src/payments/errors';
import { PAYMENT_PROBLEMS } from '../../src/payments/payment-problems';
import { EVENT_STORE_PROBLEMS } from '../../src/platform/event-store-problems';

/** The catalog as the application builds it: the kernel's errors, then each module's registration. */
const problems = new ProblemCatalog();
for (const mappings of [EVENT_STORE_PROBLEMS, ACCOUNT_PROBLEMS, PAYMENT_PROBLEMS])
  problems.register(mappings);
const toProblemResponse = (error: unknown) => problems.responseFor(error);

/** Every problem is built in one place, so the headers that must travel with it cannot be forgotten. */
describe('problem headers', () => {
  const temporary: Array<[string, unknown]> = [
    ['a rate limit', new RateLimitedError('writes per API key', 1000, 1, 1)],
    ['commands queued for an account', new QueueFullError('acct', 1000)],
    ['appends waiting for the database', new EventStoreSaturatedError(50_000)],
    ['an unreachable event store', new EventStoreUnavailableError('down')],
    ['Stripe not configured', new StripeNotConfiguredError('STRIPE_SECRET_KEY', 'Checkout')],
    [
      'a webhook event to redeliver',
      new StripeEventProcessingError(
        'evt_1',
        'charge.refunded',
        new EventStoreUnavailableError('down'),
      ),
    ],
    ['a framework 429', Object.assign(new Error('too many'), { statusCode: 429 })],
    ...(['rate_limited', 'unavailable'] as ProblemCode[]).map((code): [string, unknown] => [
      `a thrown ${code} problem`,
      new HttpProblemException(problem(code, 'x')),
    ]),
  ];

  it.each(temporary)('%s: 429 or 503 with Retry-After in whole seconds', (_name, error) => {
    const { problem: answer, headers } = toProblemResponse(error);
    expect([429, 503]).toContain(answer.status);
    expect(headers['retry-after']).toMatch(/^[1-9]\d*$/);
  });

  it('a rate limit: Retry-After is when its window resets, with the RateLimit headers', () => {
    const { problem: answer, headers } = toProblemResponse(
      new RateLimitedError('checkout sessions per account', 10, 60, 42),
    );
    expect(answer).toMatchObject({ status: 429, code: 'rate_limited' });
    expect(headers).toEqual({
      'retry-after': '42',
      'ratelimit-limit': '10',
      'ratelimit-remaining': '0',
      'ratelimit-reset': '42',
      'ratelimit-policy': '10;w=60',
    });
  });

  it('a thrower can say when to retry', () => {
    expect(
      toProblemResponse(
        new HttpProblemException(problem('unavailable', 'stopping'), { retryAfterSeconds: 7 }),
      ).headers['retry-after'],
    ).toBe('7');
  });

  it('Stripe refusing a call: 502 payment_provider_error, retried by hand (UI.md: the widget offers it)', () => {
    const { problem: answer } = toProblemResponse(
      new PaymentProviderError('checkout.sessions.create', new Error('boom')),
    );
    expect(answer).toMatchObject({ status: 502, code: 'payment_provider_error' });
  });

  it('401 asks for a bearer token', () => {
    expect(
      toProblemResponse(new HttpProblemException(problem('unauthorized', 'no key'))).headers,
    ).toEqual({ 'www-authenticate': 'Bearer' });
  });

  it('other problems carry no extra headers', () => {
    for (const code of [
      'validation_failed',
      'forbidden',
      'not_found',
      'insufficient_credits',
      'payload_too_large',
    ] as ProblemCode[]) {
      expect(toProblemResponse(new HttpProblemException(problem(code, 'x'))).headers).toEqual({});
    }
  });

  it('the last guard (onSend) adds Retry-After to a 429 or 503 sent without one, and to nothing else', () => {
    expect(missingRetryAfter(503, false)).toBe('5');
    expect(missingRetryAfter(429, false)).toBe('1');
    expect(missingRetryAfter(503, true)).toBeNull();
    for (const status of [200, 201, 400, 401, 404, 409, 500])
      expect(missingRetryAfter(status, false)).toBeNull();
  });
});
