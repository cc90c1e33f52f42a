/**
 * Run by test/store/postgres-connection.test.ts as its own process, so that a dropped connection that ended the
 * process would show as its exit: `node --import tsx postgres-connection.child.ts <scenario> <connection string> <schema>`.
 * It terminates a backend of its own store at a chosen point, prints one JSON line with what the store did, then
 * uses the store again, closes it and exits 0.
 */
import pg from 'pg';
import { PostgresStore, type OrderRow } from '../../src/store/index.js';

const [scenario, databaseUrl, schema] = process.argv.slice(2) as [string, string, string];
// The store's sessions carry the schema as application_name, so that this process finds them and no one else's.
const store = new PostgresStore({
  connectionString: `${databaseUrl}${databaseUrl.includes('?') ? '&' : '?'}application_name=${schema}`,
  schema,
  max: 2,
});
/** Holds locks in transactions of its own. */
const control = new pg.Client({ connectionString: databaseUrl });
/** Looks at pg_stat_activity and terminates backends, outside any transaction: inside one the view would not change. */
const watcher = new pg.Client({ connectionString: databaseUrl });

const row = (orderId: string, seq = 1): OrderRow => ({
  orderId,
  version: 1,
  status: 'unshipped',
  nextDeadline: null,
  seq,
  snapshot: `{"order":"${orderId}"}`,
});
const pause = (ms: number) => new Promise((done) => setTimeout(done, ms));

/** Polls pg_stat_activity until one of the store's sessions matches `where`, and returns its pid. */
async function backend(where: string): Promise<number> {
  for (;;) {
    const found = await watcher.query<{ pid: number }>(
      `SELECT pid FROM pg_stat_activity WHERE application_name = $1 AND ${where}`,
      [schema],
    );
    if (found.rows[0]) return found.rows[0].pid;
    await pause(5);
  }
}

/** Terminates a backend and waits until it is gone: it has then sent its FATAL error and closed the socket. */
async function terminate(pid: number): Promise<void> {
  const result = await watcher.query<{ ok: boolean }>('SELECT pg_terminate_backend($1) AS ok', [pid]);
  if (!result.rows[0]!.ok) throw new Error(`could not terminate backend ${pid}`);
  while ((await watcher.query('SELECT 1 FROM pg_stat_activity WHERE pid = $1', [pid])).rowCount !== 0) await pause(5);
}

function describe(error: unknown): { name: string; committed?: string; message: string } {
  const { name, message, committed } = error as { name: string; message: string; committed?: string };
  return { name, message, ...(committed === undefined ? {} : { committed }) };
}

/** What the transaction (or read) under test did: its result, or its error. */
async function outcome(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    (value) => ({ resolved: value ?? null }),
    (error: unknown) => ({ rejected: describe(error) }),
  );
}

async function run(): Promise<unknown> {
  switch (scenario) {
    case 'idle in transaction': {
      // The backend is terminated while the transaction waits between two statements.
      const result = outcome(
        store.transaction(async (tx) => {
          await tx.insertOrder(row('lost'));
          await terminate(await backend(`state = 'idle in transaction'`));
          return tx.getOrder('lost');
        }),
      );
      return result;
    }
    case 'active statement': {
      // The backend is terminated while its UPDATE waits for a row lock this process holds on another connection.
      await store.transaction((tx) => tx.insertOrder(row('a')));
      await control.query('BEGIN');
      await control.query(`SELECT 1 FROM "${schema}".orders WHERE order_id = 'a' FOR UPDATE`);
      const result = outcome(store.transaction((tx) => tx.updateOrder(row('a', 2), 1)));
      await terminate(await backend(`wait_event_type = 'Lock'`));
      await control.query('ROLLBACK');
      return result;
    }
    case 'commit': {
      // A deferred trigger makes COMMIT wait for an advisory lock this process holds; the backend is terminated there.
      const key = Math.floor(Math.random() * 2 ** 31);
      await control.query(`CREATE FUNCTION "${schema}".wait_at_commit() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN PERFORM pg_advisory_xact_lock(${key}); RETURN NULL; END $$`);
      await control.query(`CREATE CONSTRAINT TRIGGER wait_at_commit AFTER INSERT ON "${schema}".orders
        DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION "${schema}".wait_at_commit()`);
      await control.query('SELECT pg_advisory_lock($1)', [key]);
      const result = outcome(store.transaction((tx) => tx.insertOrder(row('lost'))));
      await terminate(await backend(`query = 'COMMIT' AND wait_event_type = 'Lock'`));
      await control.query('SELECT pg_advisory_unlock($1)', [key]);
      return result;
    }
    case 'read': {
      // The backend is terminated while a read waits for a table lock this process holds on another connection.
      await control.query('BEGIN');
      await control.query(`LOCK TABLE "${schema}".orders IN ACCESS EXCLUSIVE MODE`);
      const result = outcome(store.getOrder('a'));
      await terminate(await backend(`wait_event_type = 'Lock'`));
      await control.query('ROLLBACK');
      return result;
    }
    case 'idle in pool': {
      // A connection resting in the pool is terminated: the pool drops it, and the next use takes a new one.
      await store.getOrder('a');
      const removed = new Promise((done) => store.pool.once('remove', done));
      await terminate(await backend(`state = 'idle'`));
      await removed;
      return { resolved: null };
    }
    default:
      throw new Error(`unknown scenario ${JSON.stringify(scenario)}`);
  }
}

await control.connect();
await watcher.connect();
await store.init();
const result = await run();
// The store serves the next transaction, and its reads, after the loss.
await store.transaction((tx) => tx.insertOrder(row('next')));
const stored = (await store.listOrders()).map((order) => order.orderId);
process.stdout.write(`${JSON.stringify({ result, stored })}\n`);
await store.close();
await control.end();
await watcher.end();
