import { z } from 'zod';

/*
 * Schemas written from Amazon's public models (amzn/selling-partner-api-models):
 * models/orders-api-model/ordersV0.json, models/orders-api-model/orders_2026-01-01.json and
 * schemas/notifications/OrderChangeNotification.json. Only the fields this package reads are spelled
 * out; every object is loose, so the many other fields Amazon sends pass through untouched. A field the
 * model lists as required is required here too.
 */

/** An ISO-8601 date-time as Amazon sends it (`2026-11-26T02:00:00Z`, `2026-11-26T02:00:00.123Z`, or with an offset). */
const DateTime = z.iso.datetime({ offset: true, error: 'expected an ISO-8601 date-time with an offset, such as 2026-11-26T02:00:00Z' });

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
  FulfillmentChannel: z.enum(['MFN', 'AFN']).optional(),
  MarketplaceId: z.string().min(1).optional(),
  EarliestShipDate: DateTime.optional(),
  LatestShipDate: DateTime.optional(),
  NumberOfItemsShipped: z.number().int().nonnegative().optional(),
  NumberOfItemsUnshipped: z.number().int().nonnegative().optional(),
});
export type SpApiOrderV0 = z.infer<typeof SpApiOrderV0>;

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

const DateTimeRange = z.looseObject({ earliestDateTime: DateTime.optional(), latestDateTime: DateTime.optional() });

/** An Orders v2026-01-01 `OrderItem`: required orderItemId, quantityOrdered, product. */
export const SpApiOrderItem2026 = z.looseObject({
  orderItemId: z.string().min(1),
  quantityOrdered: z.number().int().nonnegative(),
  product: z.looseObject({ asin: z.string().optional(), sellerSku: z.string().min(1).optional() }),
  cancellation: z
    .looseObject({
      cancellationRequest: z.looseObject({ requester: z.string().optional(), cancelReason: z.string().optional() }).optional(),
      cancellationExecution: z.looseObject({ cancelledBy: z.string().optional(), cancelReason: z.string().optional() }).optional(),
    })
    .optional(),
  fulfillment: z
    .looseObject({
      quantityFulfilled: z.number().int().nonnegative().optional(),
      quantityUnfulfilled: z.number().int().nonnegative().optional(),
    })
    .optional(),
});
export type SpApiOrderItem2026 = z.infer<typeof SpApiOrderItem2026>;

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
      fulfilledBy: z.enum(['AMAZON', 'MERCHANT']).optional(),
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

/** One item of an ORDER_CHANGE summary: required OrderItemId, SellerSKU, Quantity (SupplySourceId, also listed, may be null or absent). */
export const NotificationOrderItem = z.looseObject({
  OrderItemId: z.string().min(1),
  SellerSKU: z.string(),
  SupplySourceId: z.string().nullable().optional(),
  OrderItemStatus: z.enum(['Unshipped', 'Shipped']).nullable().optional(),
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
      NotificationLevel: z.enum(['OrderItemLevel', 'OrderLevel']),
      SellerId: z.string(),
      AmazonOrderId: z.string().min(1),
      OrderChangeType: z.enum(['BuyerRequestedChange', 'OrderStatusChange']),
      OrderChangeTrigger: z.looseObject({ TimeOfOrderChange: DateTime.nullable(), ChangeReason: z.string() }),
      Summary: z.looseObject({
        MarketplaceId: z.string(),
        OrderStatus: OrderStatusV0,
        PurchaseDate: DateTime.nullable(),
        DestinationPostalCode: z.string().nullable(),
        FulfillmentType: z.enum(['AFN', 'MFN']),
        OrderType: z.string(),
        LatestShipDate: DateTime.optional(),
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
