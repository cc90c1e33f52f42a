import { z } from 'zod';

/*
 * Schemas written from Amazon's public models (amzn/selling-partner-api-models):
 * models/orders-api-model/ordersV0.json, models/orders-api-model/orders_2026-01-01.json and
 * schemas/notifications/OrderChangeNotification.json. Only the fields this package reads are spelled
 * out; every object is loose, so the many other fields Amazon sends pass through untouched. A field is required
 * here only when the model lists it as required, and every value list the model gives (an `enum`, or the
 * "Possible values" of a description) is accepted in full, no more: a value Amazon adds later is refused
 * naming the field until it is added here (test/amazon/published-enums.test.ts compares them with the model).
 */

/** An ISO-8601 date-time as Amazon sends it (`2026-11-26T02:00:00Z`, `2026-11-26T02:00:00.123Z`, or with an offset). */
const DateTime = z.iso.datetime({
  offset: true,
  error: 'expected an ISO-8601 date-time with an offset, such as 2026-11-26T02:00:00Z',
});

/** `IsBuyerRequestedCancel`: the string "true"/"false" in Orders v0, a boolean in ORDER_CHANGE notifications; both are accepted. */
export const BuyerRequestedCancelFlag = z.union([z.boolean(), z.enum(['true', 'false'])], {
  error: 'expected true or false, as a boolean or the string "true"/"false"',
});

/** Orders v0 `OrderStatus`. */
export const OrderStatusV0 = z.enum([
  'Pending',
  'Unshipped',
  'PartiallyShipped',
  'Shipped',
  'Canceled',
  'Unfulfillable',
  'InvoiceUnconfirmed',
  'PendingAvailability',
]);
export type OrderStatusV0 = z.infer<typeof OrderStatusV0>;

/** Orders v0 `FulfillmentChannel`, and `FulfillmentType` in ORDER_CHANGE notifications: Amazon (`AFN`) or the seller (`MFN`). */
export const FulfillmentChannel = z.enum(['MFN', 'AFN']);
export type FulfillmentChannel = z.infer<typeof FulfillmentChannel>;

/**
 * Orders v0 `EasyShipShipmentStatus` (also in ORDER_CHANGE summaries): where an Amazon Easy Ship package is,
 * from `PendingSchedule` (no pickup yet) through `PendingPickUp` (pickup scheduled) to the carrier's statuses.
 */
export const EasyShipShipmentStatus = z.enum([
  'PendingSchedule',
  'PendingPickUp',
  'PendingDropOff',
  'LabelCanceled',
  'PickedUp',
  'DroppedOff',
  'AtOriginFC',
  'AtDestinationFC',
  'Delivered',
  'RejectedByBuyer',
  'Undeliverable',
  'ReturningToSeller',
  'ReturnedToSeller',
  'Lost',
  'OutForDelivery',
  'Damaged',
]);
export type EasyShipShipmentStatus = z.infer<typeof EasyShipShipmentStatus>;

/** Orders v2026-01-01 `FulfillmentStatus`. */
export const FulfillmentStatus2026 = z.enum([
  'PENDING_AVAILABILITY',
  'PENDING',
  'UNSHIPPED',
  'PARTIALLY_SHIPPED',
  'SHIPPED',
  'CANCELLED',
  'UNFULFILLABLE',
]);
export type FulfillmentStatus2026 = z.infer<typeof FulfillmentStatus2026>;

/**
 * An Orders v0 `Order` (getOrder / getOrders): required AmazonOrderId, LastUpdateDate, OrderStatus, PurchaseDate.
 * @example
 * SpApiOrderV0.parse({ AmazonOrderId: '113-1234567-1234567', PurchaseDate: '2026-11-26T02:00:00Z',
 *   LastUpdateDate: '2026-11-26T02:00:00Z', OrderStatus: 'Pending' });
 */
export const SpApiOrderV0 = z.looseObject({
  AmazonOrderId: z.string().min(1),
  PurchaseDate: DateTime,
  LastUpdateDate: DateTime,
  OrderStatus: OrderStatusV0,
  FulfillmentChannel: FulfillmentChannel.optional(),
  MarketplaceId: z.string().min(1).optional(),
  EarliestShipDate: DateTime.optional(),
  LatestShipDate: DateTime.optional(),
  NumberOfItemsShipped: z.number().int().nonnegative().optional(),
  NumberOfItemsUnshipped: z.number().int().nonnegative().optional(),
  /** Only on Amazon Easy Ship orders. */
  EasyShipShipmentStatus: EasyShipShipmentStatus.optional(),
});
export type SpApiOrderV0 = z.infer<typeof SpApiOrderV0>;

/**
 * The payload of getOrders (`OrdersList`): required Orders.
 * @example
 * const { Orders, NextToken } = SpApiOrdersListV0.parse(getOrdersResponse.payload);
 */
export const SpApiOrdersListV0 = z.looseObject({
  Orders: z.array(SpApiOrderV0),
  NextToken: z.string().optional(),
});
export type SpApiOrdersListV0 = z.infer<typeof SpApiOrdersListV0>;

/**
 * An Orders v0 `OrderItem` (getOrderItems): required ASIN, OrderItemId, QuantityOrdered.
 * @example
 * SpApiOrderItemV0.parse({ ASIN: 'B000000001', OrderItemId: '12345678901234', QuantityOrdered: 1 });
 */
export const SpApiOrderItemV0 = z.looseObject({
  ASIN: z.string().min(1),
  OrderItemId: z.string().min(1),
  SellerSKU: z.string().min(1).optional(),
  QuantityOrdered: z.number().int().nonnegative(),
  QuantityShipped: z.number().int().nonnegative().optional(),
  BuyerRequestedCancel: z
    .looseObject({
      IsBuyerRequestedCancel: BuyerRequestedCancelFlag.optional(),
      BuyerCancelReason: z.string().optional(),
    })
    .optional(),
});
export type SpApiOrderItemV0 = z.infer<typeof SpApiOrderItemV0>;

/** The payload of getOrderItems: required AmazonOrderId and OrderItems. */
export const SpApiOrderItemsListV0 = z.looseObject({
  AmazonOrderId: z.string().min(1),
  OrderItems: z.array(SpApiOrderItemV0),
  NextToken: z.string().optional(),
});
export type SpApiOrderItemsListV0 = z.infer<typeof SpApiOrderItemsListV0>;

/** Orders v2026-01-01 `fulfillment.fulfilledBy` (its description's possible values). */
export const FulfilledBy2026 = z.enum(['AMAZON', 'MERCHANT']);
export type FulfilledBy2026 = z.infer<typeof FulfilledBy2026>;

/** Orders v2026-01-01 `cancellationRequest.requester`: who asked for the cancellation (its description's possible values). */
export const CancellationRequester2026 = z.enum(['BUYER']);
export type CancellationRequester2026 = z.infer<typeof CancellationRequester2026>;

/** Orders v2026-01-01 `cancellationExecution.cancelledBy`: who carried the cancellation out (its description's possible values). */
export const CancelledBy2026 = z.enum(['BUYER', 'MERCHANT', 'AMAZON']);
export type CancelledBy2026 = z.infer<typeof CancelledBy2026>;

const DateTimeRange = z.looseObject({ earliestDateTime: DateTime.optional(), latestDateTime: DateTime.optional() });

/** An Orders v2026-01-01 `OrderItem`: required orderItemId, quantityOrdered, product. */
const SpApiOrderItem2026 = z.looseObject({
  orderItemId: z.string().min(1),
  quantityOrdered: z.number().int().nonnegative(),
  product: z.looseObject({ asin: z.string().optional(), sellerSku: z.string().min(1).optional() }),
  cancellation: z
    .looseObject({
      // Both reasons are free text in the model.
      cancellationRequest: z
        .looseObject({ requester: CancellationRequester2026.optional(), cancelReason: z.string().optional() })
        .optional(),
      cancellationExecution: z
        .looseObject({ cancelledBy: CancelledBy2026.optional(), cancelReason: z.string().optional() })
        .optional(),
    })
    .optional(),
  fulfillment: z
    .looseObject({
      quantityFulfilled: z.number().int().nonnegative().optional(),
      quantityUnfulfilled: z.number().int().nonnegative().optional(),
    })
    .optional(),
});
type SpApiOrderItem2026 = z.infer<typeof SpApiOrderItem2026>;

/**
 * An Orders v2026-01-01 `Order` (getOrder / searchOrders): required orderId, createdTime, lastUpdatedTime,
 * salesChannel, orderItems. `fulfillment` (with `fulfillmentStatus`) comes with `includedData=FULFILLMENT`.
 * @example
 * SpApiOrder2026.parse({ orderId: '113-1234567-1234567', createdTime: '2026-11-26T02:00:00Z',
 *   lastUpdatedTime: '2026-11-26T02:00:00Z', salesChannel: { channelName: 'AMAZON' },
 *   orderItems: [{ orderItemId: '1', quantityOrdered: 1, product: {} }] });
 */
export const SpApiOrder2026 = z.looseObject({
  orderId: z.string().min(1),
  createdTime: DateTime,
  lastUpdatedTime: DateTime,
  salesChannel: z.looseObject({ channelName: z.string(), marketplaceId: z.string().min(1).optional() }),
  fulfillment: z
    .looseObject({
      fulfillmentStatus: FulfillmentStatus2026,
      fulfilledBy: FulfilledBy2026.optional(),
      // Optional in the model: Amazon's own sandbox order 114-9876543-1234567 has none.
      shipByWindow: DateTimeRange.optional(),
    })
    .optional(),
  orderItems: z.array(SpApiOrderItem2026),
  packages: z
    .array(
      z.looseObject({
        packageReferenceId: z.string(),
        shipTime: DateTime.optional(),
        packageItems: z.array(z.looseObject({ orderItemId: z.string(), quantity: z.number().int() })).optional(),
      }),
    )
    .optional(),
});
export type SpApiOrder2026 = z.infer<typeof SpApiOrder2026>;

/**
 * The response of Orders v2026-01-01 searchOrders (`SearchOrdersResponse`): required orders.
 * @example
 * for (const order of SpApiSearchOrders2026.parse(searchOrdersResponse).orders) orderInputFromSpApi(order);
 */
export const SpApiSearchOrders2026 = z.looseObject({ orders: z.array(SpApiOrder2026) });
export type SpApiSearchOrders2026 = z.infer<typeof SpApiSearchOrders2026>;

/** ORDER_CHANGE `NotificationLevel`: whether the notification is about the whole order or some items. */
export const NotificationLevel = z.enum(['OrderItemLevel', 'OrderLevel']);
export type NotificationLevel = z.infer<typeof NotificationLevel>;

/** ORDER_CHANGE `OrderChangeType`: what kind of change the notification reports. */
export const OrderChangeType = z.enum(['BuyerRequestedChange', 'DeliveryTipChange', 'OrderStatusChange']);
export type OrderChangeType = z.infer<typeof OrderChangeType>;

/** ORDER_CHANGE item `OrderItemStatus`, shown when the items' statuses differ. */
export const NotificationOrderItemStatus = z.enum(['Unshipped', 'Shipped']);
export type NotificationOrderItemStatus = z.infer<typeof NotificationOrderItemStatus>;

/**
 * One item of an ORDER_CHANGE summary: required OrderItemId, SellerSKU, Quantity. The model also requires
 * SupplySourceId (string or null), but Amazon's own `Summary` example leaves it out, so it may be absent here.
 */
const NotificationOrderItem = z.looseObject({
  OrderItemId: z.string().min(1),
  SellerSKU: z.string(),
  SupplySourceId: z.string().nullable().optional(),
  OrderItemStatus: NotificationOrderItemStatus.nullable().optional(),
  Quantity: z.number().int().nonnegative(),
  QuantityShipped: z.number().int().nonnegative().optional(),
  IsBuyerRequestedCancel: BuyerRequestedCancelFlag.optional(),
});

/**
 * An ORDER_CHANGE notification (schemas/notifications/OrderChangeNotification.json).
 * @example
 * const { Payload } = OrderChangeNotification.parse(JSON.parse(sqsMessage.Body));
 */
export const OrderChangeNotification = z.looseObject({
  NotificationVersion: z.string(),
  NotificationType: z.literal('ORDER_CHANGE', { error: 'expected "ORDER_CHANGE"' }),
  PayloadVersion: z.string(),
  EventTime: DateTime,
  Payload: z.looseObject({
    OrderChangeNotification: z.looseObject({
      NotificationLevel: NotificationLevel,
      SellerId: z.string(),
      AmazonOrderId: z.string().min(1),
      OrderChangeType: OrderChangeType,
      OrderChangeTrigger: z.looseObject({
        TimeOfOrderChange: DateTime.nullable(),
        /** Why Amazon sent this notification ("Buyer Requested Cancel"): free text, not the buyer's own reason for cancelling. */
        ChangeReason: z.string(),
      }),
      Summary: z.looseObject({
        MarketplaceId: z.string(),
        OrderStatus: OrderStatusV0,
        PurchaseDate: DateTime.nullable(),
        DestinationPostalCode: z.string().nullable(),
        FulfillmentType: FulfillmentChannel,
        OrderType: z.string(),
        LatestShipDate: DateTime.optional(),
        EasyShipShipmentStatus: EasyShipShipmentStatus.optional(),
        OrderItems: z.array(NotificationOrderItem),
      }),
    }),
  }),
  NotificationMetadata: z.looseObject({
    ApplicationId: z.string(),
    SubscriptionId: z.string(),
    PublishTime: DateTime,
    NotificationId: z.string(),
  }),
});
export type OrderChangeNotification = z.infer<typeof OrderChangeNotification>;
