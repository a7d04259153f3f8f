import { useState } from 'react';
import type { components } from '../../../src/api/schema';
import { settle, settleEmpty, type ConsoleClient } from '../../api';
import {
  DataTable,
  ErrorMessage,
  Field,
  Loaded,
  Section,
  formatInstant,
  useAction,
  useLoad,
  submitHandler,
} from '../../kit';

type Endpoint = components['schemas']['WebhookEndpointResponse'];
type Delivery = components['schemas']['DeliveryResponse'];
type EventType = components['schemas']['CreateWebhookEndpointRequest']['events'][number];

const EVENT_TYPES: readonly EventType[] = [
  'credits.purchased',
  'credits.granted',
  'credits.refunded',
  'credits.expired',
  'credits.expiring',
  'purchase.reversed',
  'balance.low',
  'balance.depleted',
  'transfer.completed',
  'subscription.renewed',
  'subscription.canceled',
  'auto_top_up.succeeded',
  'auto_top_up.failed',
];

/** Webhooks (UI.md): endpoints (create shows the secret once, delete), deliveries, retry one. */
export function WebhooksPage({ client }: { client: ConsoleClient }) {
  const [version, setVersion] = useState(0);
  const [selected, setSelected] = useState<Endpoint | null>(null);
  const endpoints = useLoad(
    async () =>
      client.scope === 'admin' ? (await settle(client.api.GET('/v1/webhook-endpoints'))).data : [],
    [client, version],
  );
  if (client.scope !== 'admin')
    return (
      <section className="c-card" aria-label="Webhooks">
        <p className="c-muted">Webhook endpoints are managed with an admin key.</p>
      </section>
    );
  const remove = async (endpoint: Endpoint) => {
    await settleEmpty(
      client.api.DELETE('/v1/webhook-endpoints/{id}', { params: { path: { id: endpoint.id } } }),
    );
    if (selected?.id === endpoint.id) setSelected(null);
    setVersion((value) => value + 1);
  };
  return (
    <>
      <CreateEndpoint client={client} onCreated={() => setVersion((value) => value + 1)} />
      <Section title="Endpoints" testId="webhook-endpoints">
        <Loaded result={endpoints} what="endpoints">
          {(rows) => <EndpointsTable rows={rows} onSelect={setSelected} onDelete={remove} />}
        </Loaded>
      </Section>
      {selected && <Deliveries key={selected.id} client={client} endpoint={selected} />}
    </>
  );
}

function EndpointsTable({
  rows,
  onSelect,
  onDelete,
}: {
  rows: readonly Endpoint[];
  onSelect: (endpoint: Endpoint) => void;
  onDelete: (endpoint: Endpoint) => Promise<void>;
}) {
  const deletion = useAction(onDelete);
  return (
    <>
      <DataTable
        caption="Webhook endpoints"
        rows={rows}
        rowKey={(row) => row.id}
        rowTestId="webhook-endpoint"
        empty="No endpoints"
        columns={[
          { header: 'Endpoint', cell: (row) => <code>{row.id}</code> },
          { header: 'URL', cell: (row) => row.url },
          { header: 'Events', cell: (row) => row.events.join(', ') },
          { header: 'Description', cell: (row) => row.description ?? '—' },
          { header: 'Created', cell: (row) => formatInstant(row.createdAt) },
          {
            header: 'State',
            cell: (row) =>
              row.disabledAt ? `disabled ${formatInstant(row.disabledAt)}` : 'enabled',
          },
          {
            header: 'Actions',
            cell: (row) => (
              <span className="c-form">
                <button
                  type="button"
                  className="c-secondary"
                  aria-label={`Deliveries of ${row.url}`}
                  onClick={() => onSelect(row)}
                >
                  Deliveries
                </button>
                <button
                  type="button"
                  className="c-danger"
                  aria-label={`Delete the endpoint ${row.url}`}
                  disabled={deletion.pending}
                  onClick={() => {
                    if (confirm(`Delete the endpoint ${row.url}? Nothing more is sent to it.`))
                      void deletion.submit(row);
                  }}
                >
                  Delete
                </button>
              </span>
            ),
          },
        ]}
      />
      <ErrorMessage error={deletion.error} />
    </>
  );
}

function CreateEndpoint({ client, onCreated }: { client: ConsoleClient; onCreated: () => void }) {
  const [url, setUrl] = useState('');
  const [description, setDescription] = useState('');
  const [events, setEvents] = useState<EventType[]>(['credits.purchased']);
  const action = useAction(() =>
    settle(
      client.api.POST('/v1/webhook-endpoints', {
        body: {
          url: url.trim(),
          events,
          ...(description.trim() ? { description: description.trim() } : {}),
        },
      }),
    ),
  );
  const submit = submitHandler(async () => {
    if (await action.submit()) {
      setUrl('');
      setDescription('');
      onCreated();
    }
  });
  const toggle = (type: EventType, on: boolean) =>
    setEvents((previous) => (on ? [...previous, type] : previous.filter((item) => item !== type)));
  return (
    <Section title="Add an endpoint">
      <form className="c-form" aria-label="Add a webhook endpoint" onSubmit={submit}>
        <Field label="URL">
          {(id) => (
            <input
              id={id}
              type="url"
              required
              maxLength={2000}
              placeholder="https://example.com/webhooks/credits"
              value={url}
              onChange={(event) => setUrl(event.target.value)}
            />
          )}
        </Field>
        <Field label="Description">
          {(id) => (
            <input
              id={id}
              maxLength={500}
              value={description}
              onChange={(event) => setDescription(event.target.value)}
            />
          )}
        </Field>
        <fieldset className="c-form">
          <legend>Events</legend>
          {EVENT_TYPES.map((type) => (
            <label key={type}>
              <input
                type="checkbox"
                checked={events.includes(type)}
                onChange={(event) => toggle(type, event.target.checked)}
              />{' '}
              {type}
            </label>
          ))}
        </fieldset>
        <button type="submit" disabled={action.pending}>
          Add endpoint
        </button>
      </form>
      <ErrorMessage error={action.error} />
      {action.result && (
        <div className="c-ok" role="status" data-testid="webhook-secret">
          <p>
            Endpoint <code>{action.result.id}</code> added. Its signing secret, shown this once:
          </p>
          <pre>{action.result.secret}</pre>
        </div>
      )}
    </Section>
  );
}

function Deliveries({ client, endpoint }: { client: ConsoleClient; endpoint: Endpoint }) {
  const [version, setVersion] = useState(0);
  const deliveries = useLoad(
    async () =>
      (
        await settle(
          client.api.GET('/v1/webhook-endpoints/{id}/deliveries', {
            params: { path: { id: endpoint.id }, query: { limit: 50 } },
          }),
        )
      ).data,
    [client, endpoint.id, version],
  );
  const retry = useAction((delivery: Delivery) =>
    settleEmpty(
      client.api.POST('/v1/webhook-endpoints/{id}/deliveries/{deliveryId}/retry', {
        params: { path: { id: endpoint.id, deliveryId: delivery.id } },
      }),
    ).then(() => setVersion((value) => value + 1)),
  );
  return (
    <Section title={`Deliveries to ${endpoint.url}`} testId="webhook-deliveries">
      <ErrorMessage error={retry.error} />
      <Loaded result={deliveries} what="deliveries">
        {(rows) => (
          <DataTable
            caption="The latest 50 deliveries"
            rows={rows}
            rowKey={(row) => row.id}
            rowTestId="webhook-delivery"
            empty="Nothing delivered yet"
            columns={[
              { header: 'Created', cell: (row) => formatInstant(row.createdAt) },
              { header: 'Event', cell: (row) => row.eventType },
              { header: 'Status', cell: (row) => <span className="c-tag">{row.status}</span> },
              { header: 'Attempts', numeric: true, cell: (row) => row.attempts },
              { header: 'Last answer', cell: (row) => row.lastStatusCode ?? row.lastError ?? '—' },
              { header: 'Next attempt', cell: (row) => formatInstant(row.nextAttemptAt) },
              {
                header: 'Action',
                cell: (row) =>
                  row.status === 'pending' ? null : (
                    <button
                      type="button"
                      className="c-secondary"
                      aria-label={`Retry delivery ${row.id}`}
                      disabled={retry.pending}
                      onClick={() => void retry.submit(row)}
                    >
                      Retry
                    </button>
                  ),
              },
            ]}
          />
        )}
      </Loaded>
    </Section>
  );
}
