import pg from 'pg';

/** The PostgreSQL the benchmarks use: `DATABASE_URL`, or the project's machines' server. */
export const DATABASE_URL = process.env['DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';

/** Whether PostgreSQL answers at `DATABASE_URL` within 3 s (the PostgreSQL rows are skipped, with a line, when not). */
export async function postgresReachable(): Promise<boolean> {
  const client = new pg.Client({ connectionString: DATABASE_URL, connectionTimeoutMillis: 3_000 });
  client.on('error', () => {});
  try {
    await client.connect();
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => {});
  }
}
