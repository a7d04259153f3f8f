import { useState } from 'react';
import type { components } from '../../../src/api/schema';
import { ConsoleApiError, readJson, settle, type ConsoleClient } from '../../api';
import {
  DataTable,
  ErrorMessage,
  Field,
  Loaded,
  Section,
  formatInstant,
  formatMoney,
  useAction,
  useLoad,
  submitHandler,
} from '../../kit';

type RateCard = components['schemas']['RateCardResponse'];
type Operation = components['schemas']['OperationDto'];
type Pack = components['schemas']['CreditPackDto'];

/** What GET /v1/plans answers (its OpenAPI entry has no schema: src/subscriptions/plans/plan.ts). */
interface Plan {
  planId: string;
  name: string;
  creditsPerPeriod: number;
  price: { minor: number; currency: string };
  stripePriceId: string | null;
  rollover?: { maxCredits: number; expiresAfterPeriods: number };
}

/** Catalog (UI.md): the rate card (versions, publish one), credit packs, subscription plans. */
export function CatalogPage({ client }: { client: ConsoleClient }) {
  return (
    <>
      <RateCardSection client={client} />
      <PacksSection client={client} />
      <PlansSection client={client} />
    </>
  );
}

function RateCardSection({ client }: { client: ConsoleClient }) {
  const [version, setVersion] = useState<number | null>(null);
  const [published, setPublished] = useState(0);
  const current = useLoad(() => settle(client.api.GET('/v1/rate-card')), [client, published]);
  const shown = useLoad(
    () =>
      version === null
        ? Promise.resolve(null)
        : settle(client.api.GET('/v1/rate-card', { params: { query: { version } } })),
    [client, version],
  );
  return (
    <Section title="Rate card" testId="rate-card">
      <Loaded result={current} what="the rate card">
        {(card) => (
          <>
            <p>
              Current version <strong>{card.version}</strong>, published{' '}
              {formatInstant(card.publishedAt)}.
            </p>
            <OperationsTable card={card} caption={`Operations of version ${card.version}`} />
            <Field label="See an older version">
              {(id) => (
                <select
                  id={id}
                  value={version ?? ''}
                  onChange={(event) =>
                    setVersion(event.target.value === '' ? null : Number(event.target.value))
                  }
                >
                  <option value="">—</option>
                  {Array.from({ length: card.version }, (_, index) => card.version - 1 - index).map(
                    (value) => (
                      <option key={value} value={value}>
                        version {value}
                        {value === 0 ? ' (default card)' : ''}
                      </option>
                    ),
                  )}
                </select>
              )}
            </Field>
            {version !== null && (
              <Loaded result={shown} what={`version ${version}`}>
                {(older) =>
                  older && (
                    <>
                      <p>
                        Version {older.version}, published {formatInstant(older.publishedAt)}.
                      </p>
                      <OperationsTable
                        card={older}
                        caption={`Operations of version ${older.version}`}
                      />
                    </>
                  )
                }
              </Loaded>
            )}
            {client.scope === 'admin' && (
              <PublishCard
                client={client}
                card={card}
                onPublished={() => setPublished((n) => n + 1)}
              />
            )}
          </>
        )}
      </Loaded>
    </Section>
  );
}

function OperationsTable({ card, caption }: { card: RateCard; caption: string }) {
  return (
    <DataTable
      caption={caption}
      rows={card.operations}
      rowKey={(operation) => operation.operationId}
      rowTestId="rate-card-operation"
      empty="No operations"
      columns={[
        {
          header: 'Operation',
          cell: (operation: Operation) => <code>{operation.operationId}</code>,
        },
        { header: 'Name', cell: (operation) => operation.name },
        { header: 'Unit', cell: (operation) => operation.unit },
        { header: 'Base', numeric: true, cell: (operation) => operation.pricing.base },
        {
          header: 'Per unit',
          numeric: true,
          cell: (operation) => `${operation.pricing.perUnit} / ${operation.pricing.unitSize}`,
        },
        { header: 'Minimum', numeric: true, cell: (operation) => operation.pricing.minimum },
        {
          header: 'Multipliers',
          cell: (operation) =>
            operation.pricing.multiplier ? (
              <code>{JSON.stringify(operation.pricing.multiplier)}</code>
            ) : (
              '—'
            ),
        },
      ]}
    />
  );
}

/** Publish a new version: the whole card as JSON; the API's validation errors name each field. */
function PublishCard({
  client,
  card,
  onPublished,
}: {
  client: ConsoleClient;
  card: RateCard;
  onPublished: () => void;
}) {
  const [text, setText] = useState(() => JSON.stringify({ operations: card.operations }, null, 2));
  const action = useAction(async () => {
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch (error) {
      throw new ConsoleApiError(400, 'invalid_json', `Not JSON: ${(error as Error).message}`);
    }
    // Sent as typed: the API validates it and names each bad field.
    return readJson<RateCard>(
      await client.fetch('/v1/rate-card', {
        method: 'PUT',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      }),
    );
  });
  const submit = submitHandler(async () => {
    if (await action.submit()) onPublished();
  });
  return (
    <form className="c-form c-stack" aria-label="Publish a new rate card version" onSubmit={submit}>
      <Field label="New version (JSON: { operations: [...] }, the whole card)">
        {(id) => (
          <textarea
            id={id}
            data-testid="rate-card-json"
            spellCheck={false}
            value={text}
            onChange={(event) => setText(event.target.value)}
          />
        )}
      </Field>
      <div>
        <button type="submit" data-testid="rate-card-publish" disabled={action.pending}>
          Publish a new version
        </button>
      </div>
      <ErrorMessage error={action.error} />
      {action.result && (
        <p className="c-ok" role="status">
          Published version {action.result.version}.
        </p>
      )}
    </form>
  );
}

function PacksSection({ client }: { client: ConsoleClient }) {
  const packs = useLoad(
    async () =>
      (
        await settle(
          client.api.GET('/v1/credit-packs', {
            params: { query: client.scope === 'admin' ? { include: 'inactive' } : {} },
          }),
        )
      ).data,
    [client],
  );
  return (
    <Section title="Credit packs" testId="credit-packs">
      <Loaded result={packs} what="credit packs">
        {(rows) => (
          <DataTable
            caption="Credit packs (retired and scheduled ones too, for an admin key)"
            rows={rows}
            rowKey={(pack: Pack) => pack.packId}
            rowTestId="pack-row"
            columns={[
              { header: 'Pack', cell: (pack) => <code>{pack.packId}</code> },
              { header: 'Name', cell: (pack) => `${pack.name}${pack.popular ? ' (popular)' : ''}` },
              { header: 'Credits', numeric: true, cell: (pack) => pack.credits },
              { header: 'Bonus', numeric: true, cell: (pack) => pack.bonusCredits },
              { header: 'Price', numeric: true, cell: (pack) => formatMoney(pack.price) },
              { header: 'Savings', numeric: true, cell: (pack) => `${pack.savingsPercent}%` },
              { header: 'Active', cell: (pack) => (pack.active ? 'yes' : 'retired') },
              {
                header: 'Available',
                cell: (pack) =>
                  pack.availableFrom || pack.availableUntil
                    ? `${formatInstant(pack.availableFrom)} → ${formatInstant(pack.availableUntil)}`
                    : 'always',
              },
              {
                header: 'Credits expire',
                cell: (pack) =>
                  pack.expiresAfterDays ? `after ${pack.expiresAfterDays} days` : 'never',
              },
            ]}
          />
        )}
      </Loaded>
    </Section>
  );
}

function PlansSection({ client }: { client: ConsoleClient }) {
  const plans = useLoad(async () => {
    const answer = await readJson<{ data: Plan[] }>(await client.fetch('/v1/plans'));
    return answer.data;
  }, [client]);
  return (
    <Section title="Subscription plans" testId="plans">
      <Loaded result={plans} what="plans">
        {(rows) => (
          <DataTable
            caption="Subscription plans"
            rows={rows}
            rowKey={(plan) => plan.planId}
            rowTestId="plan-row"
            empty="No plans"
            columns={[
              { header: 'Plan', cell: (plan) => <code>{plan.planId}</code> },
              { header: 'Name', cell: (plan) => plan.name },
              {
                header: 'Credits per period',
                numeric: true,
                cell: (plan) => plan.creditsPerPeriod,
              },
              {
                header: 'Price per period',
                numeric: true,
                cell: (plan) => formatMoney(plan.price),
              },
              {
                header: 'Rollover',
                cell: (plan) =>
                  plan.rollover && plan.rollover.maxCredits > 0
                    ? `up to ${plan.rollover.maxCredits}, for ${plan.rollover.expiresAfterPeriods} periods`
                    : 'none',
              },
              { header: 'Stripe price', cell: (plan) => plan.stripePriceId ?? 'inline' },
            ]}
          />
        )}
      </Loaded>
    </Section>
  );
}
