import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  /** The form-encoded body as Stripe's API receives it: `line_items[0][price_data][unit_amount]` → '1000'. */
  form: Record<string, string>;
}

export type Responder = (request: RecordedRequest) => { status: number; body: unknown } | undefined;

/** A Stripe Price the stand-in knows (tests add them with `addPrice`). */
export interface FakePrice {
  id: string;
  unitAmount: number;
  currency: string;
  active?: boolean;
  type?: 'one_time' | 'recurring';
}

/**
 * A local HTTP server on 127.0.0.1 standing in for Stripe's API (STRIPE_API_URL). It records what the
 * service sent and answers Customer and Checkout Session creation, and Price retrieval, like Stripe does.
 */
export class FakeStripeApi {
  readonly requests: RecordedRequest[] = [];
  /** Prices by id: a session with `line_items[0][price]` costs the Price's amount. */
  readonly prices = new Map<string, FakePrice>();
  /** Tests override answers here (e.g. an API error); undefined falls through to the defaults. */
  responder: Responder = () => undefined;
  private server: Server | null = null;
  private customers = 0;
  private sessions = 0;

  async start(): Promise<string> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        const recorded: RecordedRequest = {
          method: req.method ?? 'GET',
          path: req.url ?? '/',
          headers: req.headers,
          form: Object.fromEntries(new URLSearchParams(body)),
        };
        this.requests.push(recorded);
        const answer = this.responder(recorded) ?? this.defaultAnswer(recorded);
        res.writeHead(answer.status, {
          'content-type': 'application/json',
          'request-id': `req_fake_${this.requests.length}`,
        });
        res.end(JSON.stringify(answer.body));
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    const { port } = this.server.address() as AddressInfo;
    return `http://127.0.0.1:${port}`;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) =>
      this.server ? this.server.close(() => resolve()) : resolve(),
    );
  }

  calls(path: string): RecordedRequest[] {
    return this.requests.filter((request) => request.method === 'POST' && request.path === path);
  }

  clear(): void {
    this.requests.length = 0;
    this.responder = () => undefined;
  }

  addPrice(price: FakePrice): void {
    this.prices.set(price.id, price);
  }

  private defaultAnswer(request: RecordedRequest): { status: number; body: unknown } {
    if (request.method === 'POST' && request.path === '/v1/customers') {
      this.customers += 1;
      return {
        status: 200,
        body: {
          id: `cus_fake${this.customers}`,
          object: 'customer',
          created: 1772366000,
          livemode: false,
          email: null,
          description: request.form.description ?? null,
          metadata: { accountId: request.form['metadata[accountId]'] },
        },
      };
    }
    if (request.method === 'GET' && request.path.startsWith('/v1/prices/')) {
      const price = this.prices.get(decodeURIComponent(request.path.slice('/v1/prices/'.length)));
      if (!price) return noSuchPrice(request.path);
      return { status: 200, body: priceObject(price) };
    }
    if (request.method === 'POST' && request.path === '/v1/checkout/sessions') {
      const priceId = request.form['line_items[0][price]'];
      const price = priceId === undefined ? undefined : this.prices.get(priceId);
      if (priceId !== undefined && !price) return noSuchPrice(priceId);
      this.sessions += 1;
      const id = `cs_test_fake${this.sessions}`;
      const embedded = request.form.ui_mode === 'embedded_page';
      return {
        status: 200,
        body: {
          id,
          object: 'checkout.session',
          mode: request.form.mode,
          ui_mode: request.form.ui_mode,
          status: 'open',
          payment_status: 'unpaid',
          amount_total: price
            ? price.unitAmount
            : Number(request.form['line_items[0][price_data][unit_amount]']),
          currency: price ? price.currency : request.form['line_items[0][price_data][currency]'],
          customer: request.form.customer,
          client_reference_id: request.form.client_reference_id,
          payment_intent: null,
          livemode: false,
          metadata: metadataOf(request.form),
          client_secret: embedded ? `${id}_secret_fake` : null,
          url: embedded ? null : `https://checkout.stripe.com/c/pay/${id}`,
        },
      };
    }
    return {
      status: 404,
      body: {
        error: {
          type: 'invalid_request_error',
          message: `Unrecognized request URL (${request.method}: ${request.path})`,
        },
      },
    };
  }
}

/** Every `metadata[key]` of the form, as Stripe stores it on the object. */
function metadataOf(form: Record<string, string>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(form)
      .filter(([key]) => /^metadata\[[^\]]+\]$/.test(key))
      .map(([key, value]) => [key.slice('metadata['.length, -1), value]),
  );
}

function priceObject(price: FakePrice): Record<string, unknown> {
  return {
    id: price.id,
    object: 'price',
    active: price.active ?? true,
    billing_scheme: 'per_unit',
    created: 1772366000,
    currency: price.currency,
    livemode: false,
    metadata: {},
    product: 'prod_fake',
    type: price.type ?? 'one_time',
    unit_amount: price.unitAmount,
  };
}

function noSuchPrice(id: string): { status: number; body: unknown } {
  return {
    status: 404,
    body: {
      error: {
        type: 'invalid_request_error',
        code: 'resource_missing',
        message: `No such price: '${id}'`,
        param: 'price',
      },
    },
  };
}
