/**
 * order-lifecycle: a marketplace seller's order lifecycle and cancellation rules as an XState v5
 * statechart, with pure functions for back ends and live actors for apps.
 * @packageDocumentation
 * @module order-lifecycle
 */
export { orderMachine, MACHINE_VERSION, type OrderMachine } from '../machines/order/index.js';
export {
  createOrder,
  applyEvent,
  explain,
  orderStatus,
  nextDeadline,
  serializeOrder,
  restoreOrder,
  upgradeOrderSnapshot,
  PersistedOrder,
  SNAPSHOT_SCHEMA_VERSION,
  createOrderActor,
  replayRecording,
  RecordedOrder,
  type StepResult,
  type CreateOrderOptions,
  type OrderSnapshot,
  type RestoreOrderOptions,
  type MigrateOrder,
  type OrderActor,
  type OrderActorOptions,
  type OrderClock,
  type OrderRefused,
  type ReplayStep,
} from './runtime/index.js';
export {
  OrderInput,
  OrderEvent,
  OrderContext,
  OrderStatus,
  CancelReason,
  Policy,
  PolicyOverride,
  defaultPolicy,
  policyPresets,
  resolvePolicy,
  statusNames,
  judge,
  judgedAt,
  OrderLifecycleError,
  InvalidInputError,
  RestoreError,
  type OrderEventInput,
  type Verdict,
  type Message,
  type Lang,
  type RefusalCode,
  type Effect,
  ItemQuantity,
  type Ruling,
} from './domain/index.js';
