import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { openApiDocumentWithoutServer } from '../../src/app/openapi-document';
import { startTestApp } from '../support/test-app';

// scripts/ is plain CommonJS run by node; its renderer is the one this test compares with.
// eslint-disable-next-line @typescript-eslint/no-require-imports -- a CommonJS script, not a module of ours
const { renderClient, API_DIR } = require('../../scripts/api-client.js') as {
  renderClient: (document: unknown) => Promise<Record<string, string>>;
  API_DIR: string;
};

/**
 * The widgets' typed client (web/src/api) is generated from the service's own OpenAPI document
 * (UI.md): this fails when the committed files are not what `npm run generate:client` would write
 * now, i.e. when a route, body or answer changed without regenerating the client.
 */
describe('the generated API client (web/src/api)', () => {
  let document: Awaited<ReturnType<typeof openApiDocumentWithoutServer>>;
  beforeAll(async () => {
    document = await openApiDocumentWithoutServer();
  });

  it('is what npm run generate:client writes from the current API', async () => {
    const files = await renderClient(document);
    const drifted = Object.entries(files)
      .filter(([name, text]) => readCommitted(name) !== text)
      .map(([name]) => name);
    if (drifted.length > 0) {
      throw new Error(
        `web/src/api is out of date with the API (${drifted.join(', ')}): run npm run generate:client and commit the result`,
      );
    }
  });

  it('comes from the same document the running service serves at /docs-json', async () => {
    const t = await startTestApp();
    try {
      const served = await t.http.get('/docs-json', { key: null });
      expect(served.body).toEqual(JSON.parse(JSON.stringify(document)));
    } finally {
      await t.close();
    }
  });

  it('types the routes the widgets use', () => {
    const schema = readCommitted('schema.d.ts');
    for (const path of [
      '/v1/accounts/{accountId}/balance',
      '/v1/accounts/{accountId}/balance/stream',
      '/v1/accounts/{accountId}/customer-tokens',
      '/v1/accounts/{accountId}/quotes',
      '/v1/accounts/{accountId}/transactions',
      '/v1/credit-packs',
      '/v1/checkout-sessions',
    ]) {
      expect(schema).toContain(`"${path}": {`);
    }
  });
});

function readCommitted(name: string): string | null {
  try {
    return readFileSync(join(API_DIR, name), 'utf8');
  } catch {
    return null;
  }
}
