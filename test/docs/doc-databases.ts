import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { migrateToLatest } from '../../src/database/migrate';
import { createPool } from '../../src/database/pool';
import type { TestDatabase } from '../support/test-database';

/**
 * Fresh databases for the documents, cheaply: the migrations run once into a template, and each
 * document's database is a copy of it (CREATE DATABASE … TEMPLATE, a file copy: a fraction of the
 * seconds the migrations take). Each document still gets an empty ledger of its own.
 */
export class DocDatabases {
  private constructor(
    private readonly serverUrl: string,
    private readonly template: string,
  ) {}

  static async create(): Promise<DocDatabases> {
    const serverUrl = process.env.TEST_DATABASE_URL;
    if (!serverUrl) throw new Error('TEST_DATABASE_URL is not set: run the tests through jest');
    const template = uniqueName('doc_template');
    await admin(serverUrl, `CREATE DATABASE ${template}`);
    await migrateToLatest(urlOf(serverUrl, template));
    return new DocDatabases(serverUrl, template);
  }

  async fresh(): Promise<TestDatabase> {
    const name = uniqueName('doc');
    await admin(this.serverUrl, `CREATE DATABASE ${name} TEMPLATE ${this.template}`);
    const connectionString = urlOf(this.serverUrl, name);
    // Not connected until used: startTestApp opens its own.
    const pool = createPool({ connectionString, max: 1, applicationName: 'ledger-doc-test' });
    return {
      connectionString,
      pool,
      drop: async () => {
        await pool.end();
        await admin(this.serverUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      },
    };
  }

  async drop(): Promise<void> {
    await admin(this.serverUrl, `DROP DATABASE IF EXISTS ${this.template} WITH (FORCE)`);
  }
}

function uniqueName(prefix: string): string {
  return `${prefix}_${randomUUID().replace(/-/g, '')}`;
}

function urlOf(serverUrl: string, database: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

async function admin(serverUrl: string, sql: string): Promise<void> {
  const client = new Client({ connectionString: urlOf(serverUrl, 'postgres') });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}
