// The domain's internal barrel: what the machine, the runtime and the modules above them use. The package's
// public surface is src/index.ts (and the other entries of package.json's `exports`), not this list.
export {
  OrderInput,
  OrderEvent,
  OrderContext,
  OrderItem,
  OrderStatus,
  Cancellation,
  CancelReason,
  ItemQuantity,
  Identifier,
  orderEventTypes,
  checkIdempotencyKey,
  checkOrderId,
  parseOrderEvent,
  MAX_IDEMPOTENCY_KEY_LENGTH,
  MAX_ID_LENGTH,
  MAX_TEXT_LENGTH,
  type OrderEventInput,
  type ParsedOrderEvent,
} from './schemas.js';
export { Policy, PolicyOverride, defaultPolicy, marketplacePolicies, policyPresets, resolvePolicy } from './policy.js';
export { OrderLifecycleError, InvalidInputError, RestoreError, MissingDependencyError } from './errors.js';
export { loadOptional, optionalPeerRanges, type OptionalPeer } from './optional.js';
export {
  languages,
  message,
  outcomeMessage,
  refusalCodes,
  refusalMessage,
  render,
  statusNames,
  reasonNames,
  type Lang,
  type Message,
  type OutcomeKey,
  type RefusalCode,
} from './messages.js';
export {
  judge,
  judgedAt,
  judgeBuyerCancel,
  judgeConfirmShipment,
  judgeGenerateLabel,
  judgeRequestCancellation,
  judgeSellerCancel,
  judgeVoidLabel,
  countsAgainstRate,
  hasApplied,
  hasNothingLeft,
  hasShippedAny,
  isBeforePlacement,
  isFact,
  isLate,
  isLateShipment,
  isRepeatedRequest,
  itemsToCancel,
  itemsToShip,
  marketplaceCancellation,
  quantitiesById,
  remainingItems,
  requestedItemIds,
  shippedByFact,
  type Ruling,
  type Verdict,
} from './rules.js';
export {
  deadlineFor,
  hasBuyerWindowClosedAt,
  isAnyDeadlineDueAt,
  isAutoCancelDueAt,
  isWindowEndDueAt,
} from './deadlines.js';
export {
  autoCancelAtOf,
  createOrderContext,
  emptyRecords,
  orderItem,
  placedStateKeys,
  stateKeys,
  stateValueOf,
  statusOfStateKey,
  type StateKey,
} from './order.js';
export { isOfficialRequest, normalizeSubject } from './subject.js';
export type { Effect } from './effects.js';
export { Instant, formatInstant, offsetMinutesOf, MINUTE, DAY } from './time.js';
export { formatDateTime, formatDuration, type TimeZoneChoice } from './instant-format.js';
export { parseOrThrow, describe, issueSentence } from './parse.js';
export { quickParser, type QuickParse } from './quick-parse.js';
export { textProblem, preview, hidePassword } from './text.js';
export {
  sellerMetrics,
  SuppressionTally,
  CANCELLATION_RATE_TARGET,
  LATE_SHIPMENT_RATE_TARGET,
  type SellerMetrics,
  type CancellationRate,
  type LateShipmentRate,
  type SuppressionRisk,
  type SkuCancellation,
} from './metrics.js';
