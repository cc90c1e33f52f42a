/**
 * order-lifecycle/service: the durable order service (load, step and save in one versioned transaction,
 * idempotency keys, transactional outbox, due-deadline sweeper) on an `order-lifecycle/store` store.
 * @packageDocumentation
 * @module order-lifecycle/service
 */
export {
  createOrderService,
  type OrderService,
  type OrderServiceOptions,
  type RequestOptions,
  type PlaceResult,
  type ApplyResult,
  type StoredOrder,
  type HistoryRow,
  type PlaceEvent,
  type SweepResult,
  type OutboxItem,
  type DrainOptions,
  type DrainResult,
} from './service.js';
export { storedSnapshots } from './snapshots.js';
export type { RetryBackoff } from './retry.js';
export type { OrderListOptions, OrderListing } from '../store/index.js';
export { OrderNotFoundError, OrderConflictError, UnreadableOrderError } from './errors.js';
