/**
 * order-lifecycle: a marketplace seller's order lifecycle and cancellation rules as an XState v5
 * statechart, with pure functions for back ends and live actors for apps.
 * @packageDocumentation
 * @module order-lifecycle
 */
export { orderMachine, MACHINE_VERSION, type OrderMachine, type OrderAccepted } from '../machines/order/index.js';
export * from './runtime/index.js';
export {
  OrderInput,
  OrderEvent,
  Policy,
  PolicyOverride,
  defaultPolicy,
  policyPresets,
  marketplacePolicies,
  resolvePolicy,
  CancelReason,
  CancellationReason,
  OrderContext,
  OrderStatus,
  Cancellation,
  CancellationRequest,
  OrderItem,
  orderEventTypes,
  refusalCodes,
  statusNames,
  judge,
  judgedAt,
  isOfficialRequest,
  normalizeSubject,
  EventId,
  stateKeys,
  countsAgainstRate,
  OrderLifecycleError,
  InvalidInputError,
  RestoreError,
  type OrderEventInput,
  type ParsedOrderEvent,
  type OrderEventType,
  type Verdict,
  type Message,
  type Lang,
  type RefusalCode,
  type Effect,
  type EffectType,
  type ItemQuantity,
} from './domain/index.js';
export {
  sellerMetrics,
  CANCELLATION_RATE_TARGET,
  LATE_SHIPMENT_RATE_TARGET,
  type SellerMetrics,
  type CancellationRate,
  type LateShipmentRate,
  type SuppressionRisk,
  type SkuCancellation,
} from './domain/index.js';
