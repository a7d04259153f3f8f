import { readFileSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { ManualClock } from '../../src/shared/clock';
import { InMemoryRateCards, TEST_OPERATIONS, useRateCards } from '../support/rate-cards';
import { startTestApp, TEST_KEYS, type TestApp } from '../support/test-app';
import {
  buildWidgets,
  launchChromium,
  screenshot,
  seriousAxeViolations,
  waitForText,
} from './support/browser';

const DESKTOP = { width: 1200, height: 900 };
const DAY = 86_400_000;

interface Points {
  labels: string[];
  datasets: Array<{ label: string; data: number[] }>;
}
type Row = Record<string, any>;
interface Answer {
  period: { from: string; to: string };
  previousPeriod: { from: string; to: string };
  data: Row[];
  previous: Row[];
}

/** RFC 4180, enough to read back the chart's CSV. */
function parseCsv(text: string): string[][] {
  expect(text.endsWith('\r\n')).toBe(true);
  return text
    .slice(0, -2)
    .split('\r\n')
    .map((line) => {
      const cells: string[] = [];
      let cell = '';
      let quoted = false;
      for (let index = 0; index < line.length; index++) {
        const char = line[index];
        if (quoted && char === '"' && line[index + 1] === '"') {
          cell += '"';
          index++;
        } else if (char === '"') quoted = !quoted;
        else if (char === ',' && !quoted) {
          cells.push(cell);
          cell = '';
        } else cell += char;
      }
      cells.push(cell);
      return cells;
    });
}

/**
 * The console's Analytics page in a real Chromium against the service on PostgreSQL (UI.md "The
 * console", issue 18): activity seeded through the API over two periods; every chart's drawn data
 * points (what Chart.js holds) equal the API's numbers, computed here from the API's answers; a
 * chart's CSV holds the same rows; the period picker asks for another period; axe finds nothing
 * serious; a screenshot for people.
 */
describe('console analytics in the browser', () => {
  const clock = new ManualClock('2026-03-01T12:00:00.000Z');
  let app: TestApp;
  let browser: Browser;
  let page: Page;
  let last = '';

  const write = async (path: string, body: unknown, key: string = TEST_KEYS.service) => {
    const response = await app.http.post(path, body, { key });
    if (![200, 201].includes(response.status))
      throw new Error(`${path}: ${response.status} ${JSON.stringify(response.body)}`);
    last = response.body.position;
    return response.body;
  };
  const api = async (path: string): Promise<Answer> => {
    const response = await app.http.get(`${path}&after=${encodeURIComponent(last)}`, {
      key: TEST_KEYS.finance,
    });
    expect(response.status).toBe(200);
    return response.body as Answer;
  };

  beforeAll(async () => {
    buildWidgets();
    app = await startTestApp({
      clock,
      env: { WORKER_INTERVAL_MS: '3600000', CONSISTENCY_TIMEOUT_MS: '15000' },
    });
    useRateCards(app.app, new InMemoryRateCards(TEST_OPERATIONS));
    // 40 days of activity before "today" (2026-03-20): both the last 30 days and the 30 before.
    const today = Date.parse('2026-03-20T10:00:00.000Z');
    clock.set(new Date(today - 45 * DAY).toISOString());
    for (const account of ['an:a', 'an:b', 'an:c'])
      await write(
        `/v1/accounts/${account}/grants`,
        { credits: 100_000, category: 'paid', reason: 'adjustment' },
        TEST_KEYS.granter,
      );
    let purchaseNo = 0;
    for (let day = 40; day >= 0; day -= 3) {
      clock.set(new Date(today - day * DAY).toISOString());
      const account = ['an:a', 'an:b', 'an:c'][day % 3];
      const spent = await write(`/v1/accounts/${account}/spends`, { operation: 'stem-separation' });
      await write(`/v1/accounts/an:b/spends`, {
        operation: 'video-export',
        quantity: 60 + day,
        dimensions: { resolution: '1080p' },
      });
      if (day % 2 === 0)
        await write(`/v1/accounts/an:c/spends`, {
          credits: 3 + day,
          description: 'Plain amount',
        });
      if (day % 4 === 1)
        await write(`/v1/accounts/${account}/refunds`, {
          spendId: spent.spendId,
          credits: 4,
          reason: 'failed',
        });
      const pack = ['basic', 'pro', ''][day % 3];
      await write(
        `/v1/accounts/${account}/purchases`,
        {
          credits: pack === 'pro' ? 600 : 100,
          amountPaid: pack === 'pro' ? 5000 : 1000 + day,
          currency: day % 2 === 0 ? 'USD' : 'EUR',
          providerRef: `an-pi-${purchaseNo++}`,
          ...(pack ? { packId: pack } : {}),
        },
        TEST_KEYS.granter,
      );
    }
    clock.set(new Date(today).toISOString());
    browser = await launchChromium();
    page = await browser.newPage({ viewport: DESKTOP, acceptDownloads: true });
  }, 300_000);
  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  const charts = () => page.getByTestId('analytics-chart');
  const chart = (id: string) => page.locator(`[data-testid="analytics-chart"][data-chart="${id}"]`);
  /** The numbers Chart.js holds for the drawn chart (copied by the page when it drew). */
  const pointsOf = async (id: string): Promise<Points> => {
    await chart(id).locator('canvas').waitFor({ state: 'visible' });
    const attribute = await chart(id).getAttribute('data-points');
    expect(attribute).not.toBeNull();
    return JSON.parse(attribute ?? '{}') as Points;
  };
  /** Dataset label → its numbers. */
  const byLabel = (points: Points) =>
    Object.fromEntries(points.datasets.map((dataset) => [dataset.label, dataset.data]));
  const major = (row: Row | undefined, currency: string) =>
    ((row?.revenue ?? []) as Array<{ currency: string; amountMinor: number }>).find(
      (entry) => entry.currency === currency,
    )?.amountMinor ?? 0;

  /** What each chart must hold, from the API's answers for a period (computed here, not by the page). */
  const expectedCharts = async (query: string) => {
    const usageDay = await api(`/v1/analytics/usage?groupBy=day${query}`);
    const usageOperation = await api(`/v1/analytics/usage?groupBy=operation${query}`);
    const purchasesDay = await api(`/v1/analytics/purchases?groupBy=day${query}`);
    const purchasesPack = await api(`/v1/analytics/purchases?groupBy=pack${query}`);
    const days = usageDay.data.map((row) => row.day as string);
    const operations = [
      ...new Set(
        usageDay.data.flatMap((row) =>
          (row.byOperation as Row[]).map((entry) => entry.operationId ?? '(no operation)'),
        ),
      ),
    ];
    const creditsOf = (row: Row, operation: string) =>
      (row.byOperation as Row[]).find(
        (entry) => (entry.operationId ?? '(no operation)') === operation,
      )?.credits ?? 0;
    const packs = [
      ...new Set(
        [...purchasesPack.data, ...purchasesPack.previous].map(
          (row) => (row.packId as string | null) ?? '(no pack)',
        ),
      ),
    ];
    const packRow = (rows: Row[], pack: string) =>
      rows.find((row) => ((row.packId as string | null) ?? '(no pack)') === pack);
    const averageOperations = [
      ...new Set(
        [...usageOperation.data, ...usageOperation.previous].map(
          (row) => (row.operationId as string | null) ?? '(no operation)',
        ),
      ),
    ];
    const currencies = (answer: Answer) =>
      [
        ...new Set(
          [...answer.data, ...answer.previous].flatMap((row) =>
            (row.revenue as Array<{ currency: string }>).map((entry) => entry.currency),
          ),
        ),
      ].sort();
    const average = (rows: Row[], operation: string) => {
      const row = rows.find(
        (candidate) => ((candidate.operationId as string | null) ?? '(no operation)') === operation,
      );
      return row && row.spends > 0 ? Math.round((row.spentCredits / row.spends) * 100) / 100 : 0;
    };
    return {
      usageDay,
      'usage-by-operation': {
        labels: days,
        values: {
          ...Object.fromEntries(
            operations.map((operation) => [
              operation,
              usageDay.data.map((row) => creditsOf(row, operation)),
            ]),
          ),
          previousTotal: usageDay.previous.map((row) => row.credits as number),
        },
      },
      'purchases-per-day': {
        labels: purchasesDay.data.map((row) => row.day as string),
        values: {
          Purchases: purchasesDay.data.map((row) => row.purchases as number),
          previous: purchasesDay.previous.map((row) => row.purchases as number),
        },
      },
      'revenue-per-day': {
        labels: purchasesDay.data.map((row) => row.day as string),
        values: Object.fromEntries(
          currencies(purchasesDay).flatMap((currency) => [
            [`Revenue ${currency}`, purchasesDay.data.map((row) => major(row, currency) / 100)],
            [
              `Revenue ${currency} previous`,
              purchasesDay.previous.map((row) => major(row, currency) / 100),
            ],
          ]),
        ),
      },
      'purchases-per-pack': {
        labels: packs,
        values: {
          Purchases: packs.map((pack) => packRow(purchasesPack.data, pack)?.purchases ?? 0),
          'Purchases previous': packs.map(
            (pack) => packRow(purchasesPack.previous, pack)?.purchases ?? 0,
          ),
          ...Object.fromEntries(
            currencies(purchasesPack).flatMap((currency) => [
              [
                `Revenue ${currency}`,
                packs.map((pack) => major(packRow(purchasesPack.data, pack), currency) / 100),
              ],
              [
                `Revenue ${currency} previous`,
                packs.map((pack) => major(packRow(purchasesPack.previous, pack), currency) / 100),
              ],
            ]),
          ),
        },
      },
      'active-accounts': {
        labels: days,
        values: {
          'Active accounts': usageDay.data.map((row) => row.activeAccounts as number),
          previous: usageDay.previous.map((row) => row.activeAccounts as number),
        },
      },
      'average-per-operation': {
        labels: averageOperations,
        values: {
          current: averageOperations.map((operation) => average(usageOperation.data, operation)),
          previous: averageOperations.map((operation) =>
            average(usageOperation.previous, operation),
          ),
        },
      },
    };
  };

  /** The drawn points, keyed like expectedCharts' values (a previous-period dataset by "previous"). */
  const drawn = async (id: string) => {
    const points = await pointsOf(id);
    const values: Record<string, number[]> = {};
    for (const [label, data] of Object.entries(byLabel(points))) {
      const isPrevious = label.includes('previous period');
      const base = label.replace(/,\s*previous period.*$/, '');
      if (id === 'usage-by-operation') values[isPrevious ? 'previousTotal' : base] = data;
      else if (id === 'average-per-operation') values[isPrevious ? 'previous' : 'current'] = data;
      else if (id === 'purchases-per-day' || id === 'active-accounts')
        values[isPrevious ? 'previous' : base] = data;
      else values[isPrevious ? `${base} previous` : base] = data;
    }
    return { labels: points.labels, values };
  };

  const checkEveryChart = async (query: string) => {
    const expected = await expectedCharts(query);
    for (const id of [
      'usage-by-operation',
      'purchases-per-day',
      'revenue-per-day',
      'purchases-per-pack',
      'active-accounts',
      'average-per-operation',
    ] as const) {
      const want = expected[id];
      const got = await drawn(id);
      // Same x axis (order aside for operations and packs), same numbers per dataset.
      const order = got.labels.map((label) => want.labels.indexOf(label));
      expect({ id, labels: [...got.labels].sort() }).toEqual({
        id,
        labels: [...want.labels].sort(),
      });
      const reordered = Object.fromEntries(
        Object.entries(want.values).map(([label, data]) => [
          label,
          order.map((index) => (data as number[])[index]),
        ]),
      );
      expect({ id, values: got.values }).toEqual({ id, values: reordered });
    }
    return expected;
  };

  it('signs in with a finance key and draws every chart with the API numbers, with the previous period', async () => {
    await page.goto(`${app.baseUrl}/console/`);
    await page.getByTestId('console-login').getByLabel('API key').fill(TEST_KEYS.finance);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page
      .getByRole('navigation', { name: 'Console' })
      .getByRole('link', { name: 'Analytics' })
      .click();
    await charts().first().waitFor({ state: 'visible' });
    expect(await charts().count()).toBe(6);
    const expected = await checkEveryChart('');
    // The default period is the service's last 30 days (its clock, not the browser's).
    expect(expected.usageDay.period).toEqual({
      from: '2026-02-18T00:00:00.000Z',
      to: '2026-03-21T00:00:00.000Z',
    });
    await waitForText(
      page.getByTestId('analytics-shown-period'),
      'Showing 2026-02-18 to 2026-03-21',
    );
    // Something was drawn in both periods, so the comparison is not vacuous.
    const usage = await drawn('usage-by-operation');
    expect(Object.keys(usage.values).sort()).toEqual(
      ['(no operation)', 'previousTotal', 'stem-separation', 'video-export'].sort(),
    );
    expect(usage.values.previousTotal.some((value) => value > 0)).toBe(true);
    expect((await drawn('revenue-per-day')).values['Revenue EUR'].some((v) => v > 0)).toBe(true);
    await screenshot(page, 'console-analytics');
  }, 120_000);

  it("downloads a chart's CSV holding exactly the drawn numbers", async () => {
    for (const id of ['usage-by-operation', 'purchases-per-pack', 'average-per-operation']) {
      const points = await pointsOf(id);
      const [download] = await Promise.all([
        page.waitForEvent('download'),
        chart(id)
          .getByRole('button', { name: /Download CSV/ })
          .click(),
      ]);
      expect(download.suggestedFilename()).toBe(`analytics-${id}-2026-02-18--2026-03-21.csv`);
      const rows = parseCsv(readFileSync(await download.path(), 'utf8'));
      expect(rows[0].slice(1)).toEqual(points.datasets.map((dataset) => dataset.label));
      expect(rows.slice(1).map((row) => row[0])).toEqual(points.labels);
      expect(rows.slice(1).map((row) => row.slice(1).map(Number))).toEqual(
        points.labels.map((_, index) => points.datasets.map((dataset) => dataset.data[index])),
      );
    }
  }, 120_000);

  it('shows another period from the picker, each chart again equal to the API', async () => {
    await page.getByRole('button', { name: 'Last 7 days' }).click();
    await waitForText(
      page.getByTestId('analytics-shown-period'),
      'Showing 2026-03-14 to 2026-03-21',
    );
    await charts().first().waitFor({ state: 'visible' });
    await checkEveryChart('&from=2026-03-14&to=2026-03-21');
    expect((await pointsOf('active-accounts')).labels).toHaveLength(7);

    await page.getByLabel('From (UTC day, included)').fill('2026-02-01');
    await page.getByLabel('To (UTC day, excluded)').fill('2026-03-01');
    await page.getByRole('button', { name: 'Show', exact: true }).click();
    await waitForText(
      page.getByTestId('analytics-shown-period'),
      'Showing 2026-02-01 to 2026-03-01',
    );
    await checkEveryChart('&from=2026-02-01&to=2026-03-01');
  }, 120_000);

  it('has a text alternative for every chart and passes axe', async () => {
    for (const figure of await charts().all()) {
      const table = figure.locator('table');
      expect(await table.count()).toBe(1);
      expect(await table.locator('tbody tr').count()).toBeGreaterThan(0);
      expect(await figure.locator('canvas').getAttribute('aria-describedby')).toBeTruthy();
    }
    expect(await seriousAxeViolations(page)).toEqual([]);
  }, 60_000);
});
