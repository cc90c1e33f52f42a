/**
 * order-lifecycle/store: where the durable order service keeps orders, history, outbox and idempotency keys.
 * @packageDocumentation
 * @module order-lifecycle/store
 */
export { MemoryStore } from './memory.js';
export {
  SqliteStore,
  SQLITE_SCHEMA,
  type SqliteStoreOptions,
  type SqliteDatabase,
  type SqliteStatement,
} from './sqlite.js';
export {
  PostgresStore,
  POSTGRES_SCHEMA,
  type PostgresStoreOptions,
  type PostgresPool,
  type PostgresPoolClient,
  type PostgresQueryResult,
} from './postgres.js';
export { MissingDependencyError } from '../domain/index.js';
export { StoreError, WriteConflictError, StoreConnectionError, StoreBusyError, StoreFullError } from './types.js';
export type {
  OrderStore,
  StoreTransaction,
  OrderRow,
  HistoryRecord,
  OutboxRecord,
  OutboxEntry,
  OutboxClaim,
  IdempotencyRecord,
  OutboxClaimOptions,
  OrderListOptions,
  OrderListing,
  StepWrite,
  StepWriteOutcome,
} from './types.js';
