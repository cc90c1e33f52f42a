import { hidePassword, type OrderInput } from '../domain/index.js';
import { applyEvent, createOrder, type OrderSnapshot, type ReplayStep } from '../runtime/index.js';
import { createOrderService, type HistoryRow, type OrderListing, type OrderListOptions } from '../service/index.js';
import { PostgresStore, SqliteStore, type OrderStore } from '../store/index.js';
import { InspectorError } from './errors.js';
import type { LoadedRecording } from './recording.js';

/** Stored orders the inspector lists and opens: a durable order service's store, opened read-only. */
export interface StoredOrders {
  /** `sqlite` or `postgres`. */
  kind: string;
  /** Where the orders are: the file, or the database URL without its password. */
  where: string;
  /** Stored orders, one page at a time. */
  list(options?: OrderListOptions): Promise<OrderListing[]>;
  /** One order's history rows, oldest first. */
  history(orderId: string): Promise<HistoryRow[]>;
  /** Closes the store. */
  close(): Promise<void>;
}

/**
 * Opens a durable order service's store read-only: a SQLite file (`db`) or a PostgreSQL database
 * (`databaseUrl`, tables in `schema`, default `public`). Nothing is created or written; a write would fail.
 * @example
 * const stored = await openStoredOrders({ db: 'orders.db' });
 * const page = await stored.list({ idContains: '114-' });
 */
export async function openStoredOrders(options: {
  db?: string;
  databaseUrl?: string;
  schema?: string;
}): Promise<StoredOrders> {
  if ((options.db === undefined) === (options.databaseUrl === undefined)) {
    throw new InspectorError('Pass exactly one of --db <file> and --database-url <url> to open stored orders.');
  }
  let store: OrderStore;
  let where: string;
  try {
    if (options.db !== undefined) {
      where = options.db;
      store = new SqliteStore({ filename: options.db, readonly: true });
    } else {
      where = hidePassword(options.databaseUrl!);
      store = new PostgresStore({
        connectionString: options.databaseUrl!,
        readonly: true,
        max: 2,
        ...(options.schema === undefined ? {} : { schema: options.schema }),
      });
    }
  } catch (error) {
    throw new InspectorError(
      `Cannot open the order database ${JSON.stringify(options.db ?? '')}: ${(error as Error).message.replace(/\.$/, '')}.`,
    );
  }
  const service = await createOrderService({ store });
  try {
    await service.list({ limit: 1 });
  } catch (error) {
    await service.close().catch(() => {});
    throw new InspectorError(
      `Cannot read stored orders from ${JSON.stringify(where)}: ${(error as Error).message.replace(/\.$/, '')}.`,
    );
  }
  return {
    kind: store.kind,
    where,
    list: (listOptions) => service.list(listOptions),
    history: (orderId) => service.history(orderId),
    close: () => service.close(),
  };
}

/**
 * Turns a stored order's history into a recording: each row's stored verdict and effects, with the snapshots
 * (for the state and the context diff) from replaying the rows' events on the order placed by the first row.
 * @example
 * const recording = recordingFromHistory('114-1', await service.history('114-1'), 'sqlite: 114-1');
 */
export function recordingFromHistory(orderId: string, rows: readonly HistoryRow[], name = orderId): LoadedRecording {
  const first = rows[0];
  const place = first?.event as { type?: unknown; input?: unknown } | undefined;
  if (!first || place?.type !== 'order.place') {
    throw new InspectorError(
      `Cannot open stored order ${JSON.stringify(orderId)}: its history does not start with order.place.`,
    );
  }
  let snapshot: OrderSnapshot;
  const steps: ReplayStep[] = [];
  try {
    snapshot = createOrder(place.input as OrderInput).snapshot;
    steps.push({ event: null, verdict: first.verdict, effects: first.effects, snapshot });
    for (const row of rows.slice(1)) {
      snapshot = applyEvent(snapshot, row.event as never).snapshot;
      steps.push({ event: row.event as Record<string, unknown>, verdict: row.verdict, effects: row.effects, snapshot });
    }
  } catch (error) {
    throw new InspectorError(
      `Cannot open stored order ${JSON.stringify(orderId)}: replaying its history failed: ${(error as Error).message.replace(/\.$/, '')}.`,
    );
  }
  return { name, steps };
}
