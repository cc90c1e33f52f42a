/**
 * order-lifecycle/amazon: SP-API orders and ORDER_CHANGE notifications in, cancellation feeds out, and
 * feeds applied in bulk through the order service with Amazon-shaped processing reports.
 * @packageDocumentation
 * @module order-lifecycle/amazon
 */
export {
  orderInputFromSpApi,
  eventsFromSpApi,
  eventsFromNotification,
  spApiStatus,
  type SpApiStatus,
} from './orders.js';
export {
  buildCancellationFeed,
  buildAdjustmentFeed,
  parseFeed,
  readFeed,
  DEFAULT_FEED_MAX_BYTES,
  FeedCancellation,
  FeedAdjustment,
  FeedKind,
  AdjustmentReason,
  type FeedRow,
  type FeedRowItem,
  type ParsedFeed,
  type FeedMessage,
} from './feeds.js';
export {
  applyFeed,
  FeedStoppedError,
  processingReportXml,
  feedResultCodes,
  type FeedOrderService,
  type FeedOrderSnapshot,
  type FeedVerdict,
  type ProcessingReport,
  type ProcessingResult,
} from './apply-feed.js';
export {
  SpApiOrderV0,
  SpApiOrderItemV0,
  SpApiOrderItemsListV0,
  SpApiOrder2026,
  OrderChangeNotification,
  OrderStatusV0,
  FulfillmentStatus2026,
} from './schemas.js';
export type {
  AmazonOrderEvent,
  BuyerRequestEvent,
  SellerCancelEvent,
  OrderCanceledFact,
  OrderShippedFact,
  StatusReportedFact,
  EasyShipLabelEvent,
  ItemQuantity,
} from './events.js';
