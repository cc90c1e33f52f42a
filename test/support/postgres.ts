import pg from 'pg';

/** The PostgreSQL the tests use: DATABASE_URL, or the project's local server (trust auth, database `test`). */
export const DATABASE_URL = process.env['DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';

export const postgresHint = `PostgreSQL not reachable at ${DATABASE_URL}: start it (pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start) or set DATABASE_URL to run the PostgreSQL tests.`;

async function probe(): Promise<boolean> {
  const client = new pg.Client({ connectionString: DATABASE_URL, connectionTimeoutMillis: 5_000 });
  client.on('error', () => {});
  try {
    await client.connect();
    await client.query('SELECT 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => {});
  }
}

/** Whether the PostgreSQL tests can run. */
export const hasPostgres = await probe();

/** True when the PostgreSQL tests should skip: no server and not in CI (with `CI` set they run, and fail). */
export const skipPostgres = !hasPostgres && !process.env['CI'];
if (skipPostgres) console.warn(`[skipped] ${postgresHint}`);

let counter = 0;
/** A schema name of its own for this test run: `ol_<label>_<pid>_<n>_<random>`. */
export function testSchemaName(label: string): string {
  return `ol_${label.replace(/\W/g, '_')}_${process.pid}_${++counter}_${Math.random().toString(36).slice(2, 8)}`;
}

/** Runs one statement on its own connection. */
export async function pgQuery<R extends pg.QueryResultRow = pg.QueryResultRow>(
  text: string,
  values: unknown[] = [],
): Promise<pg.QueryResult<R>> {
  const client = new pg.Client({ connectionString: DATABASE_URL });
  await client.connect();
  try {
    return await client.query<R>(text, values);
  } finally {
    await client.end();
  }
}

/** Drops a test schema and everything in it. */
export async function dropSchema(schema: string): Promise<void> {
  await pgQuery(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
}
