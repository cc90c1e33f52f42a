import { describe, expect, it } from 'vitest';
import {
  eventsFromNotification,
  eventsFromSpApi,
  orderInputFromSpApi,
  spApiStatus,
  type AmazonOrderEvent,
} from '../../src/amazon/index.js';
import { applyEvent, createOrder, InvalidInputError, orderStatus, type OrderSnapshot } from '../../src/index.js';
import { autoCancelAt, buyerCancelUntil, labelledOrder, minute, newOrder, unshippedOrder } from '../support/orders.js';
import { coreAcceptsEventIds, coreHasFacts, fixture } from './support.js';

// The fixtures are Amazon's JSON, which the tests edit field by field.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

const v0Order = () => fixture<Json>('v0-order-unshipped.json');
const v0Items = () => fixture<Json>('v0-order-items-buyer-request.json');
const v2026Order = () => fixture<Json>('v2026-order-cancel-request.json');
const notification = () => fixture<Json>('notification-buyer-request.json');

/** The InvalidInputError a call throws (fails the test when it does not throw one). */
function thrown(call: () => unknown): InvalidInputError {
  try {
    call();
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidInputError);
    return error as InvalidInputError;
  }
  throw new Error('expected an InvalidInputError');
}

describe('orderInputFromSpApi', () => {
  it('should build the core input from an Orders v0 getOrder payload and its getOrderItems payload', () => {
    expect(orderInputFromSpApi(v0Order(), v0Items())).toEqual({
      orderId: '113-1234567-1234567',
      placedAt: Date.parse('2026-11-26T02:00:00Z'),
      latestShipDate: Date.parse('2026-11-28T15:59:59Z'),
      items: [
        { orderItemId: '52986411826454', sku: 'MUG-RED', quantity: 2 },
        { orderItemId: '52986411826455', sku: 'TEA-BLUE', quantity: 1 },
      ],
      fulfillmentChannel: 'MFN',
      marketplaceId: 'ATVPDKIKX0DER',
    });
  });

  it('should accept the order and the items unwrapped, the items as a bare array', () => {
    const wrapped = orderInputFromSpApi(v0Order(), v0Items());
    expect(orderInputFromSpApi(v0Order().payload, v0Items().payload.OrderItems)).toEqual(wrapped);
    expect(orderInputFromSpApi(v0Order().payload, v0Items().payload)).toEqual(wrapped);
  });

  it('should start an order the core accepts, with the deadlines counted from Amazon dates', () => {
    const { snapshot } = createOrder(orderInputFromSpApi(v0Order(), v0Items()));
    expect(snapshot.context.buyerCancelUntil).toBe(Date.parse('2026-11-26T02:30:00Z'));
    expect(snapshot.context.autoCancelAt).toBe(Date.parse('2026-12-05T15:59:59Z'));
    expect(orderStatus(snapshot)).toBe('buyer-cancellable');
  });

  it('should build the core input from an Orders v2026-01-01 order', () => {
    expect(orderInputFromSpApi(v2026Order())).toEqual({
      orderId: '114-7654321-7654321',
      placedAt: Date.parse('2026-11-26T02:00:00Z'),
      latestShipDate: Date.parse('2026-11-28T15:59:59Z'),
      items: [
        { orderItemId: '61034518273401', sku: 'LAMP-WHITE', quantity: 3 },
        { orderItemId: '61034518273402', sku: 'BULB-LED', quantity: 1 },
      ],
      fulfillmentChannel: 'MFN',
      marketplaceId: 'ATVPDKIKX0DER',
    });
  });

  it('should map Fulfilled-by-Amazon orders, which have no latest ship date, to AFN from both versions', () => {
    const [, , , , , , , unfulfillable] = fixture<Json[]>('v0-orders-by-status.json');
    const v0 = orderInputFromSpApi(unfulfillable.order, unfulfillable.orderItems);
    expect(v0).toMatchObject({ fulfillmentChannel: 'AFN' });
    expect(v0.latestShipDate).toBeUndefined();
    const afn2026 = fixture<Json[]>('v2026-orders-by-status.json').find(
      (order) => order.fulfillment.fulfilledBy === 'AMAZON',
    );
    expect(orderInputFromSpApi(afn2026)).toMatchObject({ fulfillmentChannel: 'AFN' });
    expect(orderInputFromSpApi(afn2026).latestShipDate).toBeUndefined();
  });

  it('should start a seller-fulfilled order without a latest ship date (optional in both models) with no auto-cancel until one is known', () => {
    const order = v0Order();
    delete order.payload.LatestShipDate;
    const { snapshot } = createOrder(orderInputFromSpApi(order, v0Items()));
    expect(snapshot.context).toMatchObject({ latestShipDate: null, autoCancelAt: null });
    const v2026 = v2026Order();
    delete v2026.order.fulfillment.shipByWindow;
    expect(createOrder(orderInputFromSpApi(v2026)).snapshot.context).toMatchObject({
      latestShipDate: null,
      autoCancelAt: null,
    });
    // A later pull that reports Unshipped with the latest ship date starts the deadline.
    const pulled = eventsFromSpApi(v0Order(), v0Items()).find((event) => event.type === 'marketplace.statusReported')!;
    const after = applyEvent(snapshot, pulled).snapshot;
    expect(after.context.latestShipDate).toBe(Date.parse('2026-11-28T15:59:59Z'));
    expect(after.context.autoCancelAt).toBe(Date.parse('2026-12-05T15:59:59Z'));
  });

  it.each([
    ['PurchaseDate', (o: Json) => delete o.payload.PurchaseDate, 'PurchaseDate'],
    ['OrderStatus', (o: Json) => delete o.payload.OrderStatus, 'OrderStatus'],
    ['LastUpdateDate', (o: Json) => delete o.payload.LastUpdateDate, 'LastUpdateDate'],
    ['an unknown OrderStatus', (o: Json) => (o.payload.OrderStatus = 'Lost'), 'OrderStatus'],
    ['a PurchaseDate without an offset', (o: Json) => (o.payload.PurchaseDate = '2026-11-26 02:00'), 'PurchaseDate'],
    [
      'a LatestShipDate without an offset',
      (o: Json) => (o.payload.LatestShipDate = '2026-11-28 15:59'),
      'LatestShipDate',
    ],
  ])('should throw InvalidInputError naming %s when it is missing or malformed', (_, change, path) => {
    const order = v0Order();
    change(order);
    const error = thrown(() => orderInputFromSpApi(order, v0Items()));
    expect(error.issues.map((issue) => issue.path)).toEqual([path]);
    expect(error.message).toContain(path);
  });

  it('should name the item field by its path in the getOrderItems payload', () => {
    const items = v0Items();
    delete items.payload.OrderItems[1].QuantityOrdered;
    const error = thrown(() => orderInputFromSpApi(v0Order(), items));
    expect(error.message).toMatch(
      /^Invalid SP-API order: orderItems\.OrderItems\.1\.QuantityOrdered: .*\(got nothing\)/,
    );
  });

  it('should name the v2026 field by its path, and require the fulfillment data', () => {
    const order = v2026Order();
    delete order.order.orderItems[0].product;
    expect(thrown(() => orderInputFromSpApi(order)).issues[0]!.path).toBe('orderItems.0.product');
    const bare = v2026Order();
    delete bare.order.fulfillment;
    expect(thrown(() => orderInputFromSpApi(bare)).message).toContain('includedData=FULFILLMENT');
  });

  it('should require the getOrderItems items for a v0 order and refuse items of another order', () => {
    expect(thrown(() => orderInputFromSpApi(v0Order())).issues[0]!.path).toBe('orderItems');
    const items = v0Items();
    items.payload.AmazonOrderId = '113-0000000-0000000';
    expect(thrown(() => orderInputFromSpApi(v0Order(), items)).message).toContain('"113-0000000-0000000"');
  });

  it('should refuse a value that is neither a v0 nor a v2026 order', () => {
    expect(thrown(() => orderInputFromSpApi({ id: 'x' })).message).toContain('AmazonOrderId');
  });
});

describe('eventsFromSpApi and eventsFromNotification', () => {
  const requestAt = Date.parse('2026-11-26T03:15:00Z');

  const requests = (events: AmazonOrderEvent[]) => events.filter((event) => event.type === 'buyer.requestCancellation');

  it('should turn IsBuyerRequestedCancel "true" (v0) into an official request for that item only', () => {
    expect(requests(eventsFromSpApi(v0Order(), v0Items()))).toEqual([
      {
        type: 'buyer.requestCancellation',
        at: requestAt,
        source: 'order-flag',
        orderItemIds: ['52986411826454'],
        reason: 'Found a better price',
        eventId: 'amzn:113-1234567-1234567:buyer-request:52986411826454',
      },
    ]);
  });

  it('should turn IsBuyerRequestedCancel true (notification) into the same request, with the same eventId', () => {
    const { orderId, events } = eventsFromNotification(notification());
    expect(orderId).toBe('113-1234567-1234567');
    expect(requests(events)).toEqual([
      {
        type: 'buyer.requestCancellation',
        at: Date.parse('2026-11-26T03:12:41Z'),
        source: 'order-flag',
        orderItemIds: ['52986411826454'],
        eventId: 'amzn:113-1234567-1234567:buyer-request:52986411826454',
      },
    ]);
  });

  it("should keep the notification's ChangeReason as why Amazon sent it, not as the buyer's reason", () => {
    const { changeType, changeReason, events } = eventsFromNotification(notification());
    expect({ changeType, changeReason }).toEqual({
      changeType: 'BuyerRequestedChange',
      changeReason: 'Buyer Requested Cancel',
    });
    expect(requests(events).every((event) => !('reason' in event))).toBe(true);
  });

  it('should accept the flag as a boolean in v0 and as a string in a notification', () => {
    const items = v0Items();
    items.payload.OrderItems[0].BuyerRequestedCancel.IsBuyerRequestedCancel = true;
    expect(requests(eventsFromSpApi(v0Order(), items)).map((event) => event.eventId)).toEqual([
      'amzn:113-1234567-1234567:buyer-request:52986411826454',
    ]);
    const message = notification();
    message.Payload.OrderChangeNotification.Summary.OrderItems[1].IsBuyerRequestedCancel = 'true';
    expect(requests(eventsFromNotification(message).events).map((event) => event.orderItemIds)).toEqual([
      ['52986411826454'],
      ['52986411826455'],
    ]);
  });

  it('should refuse a flag that is neither true nor false, naming its path', () => {
    const items = v0Items();
    items.payload.OrderItems[0].BuyerRequestedCancel.IsBuyerRequestedCancel = 'yes';
    const error = thrown(() => eventsFromSpApi(v0Order(), items));
    expect(error.message).toContain('orderItems.OrderItems.0.BuyerRequestedCancel.IsBuyerRequestedCancel');
    expect(error.message).toContain('"yes"');
  });

  it('should give the same ids when the same order is pulled again later', () => {
    const first = eventsFromSpApi(v0Order(), v0Items());
    const later = v0Order();
    later.payload.LastUpdateDate = '2026-11-26T09:00:00Z';
    const again = eventsFromSpApi(later, v0Items());
    expect(again.map((event) => event.eventId)).toEqual(first.map((event) => event.eventId));
    expect(again[0]!.at).toBe(Date.parse('2026-11-26T09:00:00Z'));
  });

  it("should fit a buyer's reason that the core would refuse (5,000 characters, a NUL, a lone surrogate) and apply the request, not drop it", () => {
    const items = v0Items();
    items.payload.OrderItems[0].BuyerRequestedCancel.BuyerCancelReason = `Wrong\u0000size \ud800${'x'.repeat(5_000)}`;
    const [request] = requests(eventsFromSpApi(v0Order(), items));
    const reason = (request as { reason: string }).reason;
    expect(reason).toHaveLength(1_000);
    expect(reason.startsWith('Wrong size \ufffdxxx')).toBe(true);
    expect(reason.endsWith('x…')).toBe(true);
    const order = createOrder(orderInputFromSpApi(v0Order(), v0Items())).snapshot;
    const step = applyEvent(order, request!);
    expect(step.verdict.accepted).toBe(true);
  });

  it('should map a v2026 buyer cancellationRequest to an official request', () => {
    expect(requests(eventsFromSpApi(v2026Order()))).toEqual([
      {
        type: 'buyer.requestCancellation',
        at: Date.parse('2026-11-26T05:40:00Z'),
        source: 'order-flag',
        orderItemIds: ['61034518273401'],
        reason: 'Ordered by mistake',
        eventId: 'amzn:114-7654321-7654321:buyer-request:61034518273401',
      },
    ]);
  });

  it('should name a missing notification field by its full path and let unknown fields pass', () => {
    const message = notification();
    delete message.Payload.OrderChangeNotification.Summary.OrderItems[0].Quantity;
    const error = thrown(() => eventsFromNotification(message));
    expect(error.issues.map((issue) => issue.path)).toEqual([
      'Payload.OrderChangeNotification.Summary.OrderItems.0.Quantity',
    ]);
    const extra = notification();
    extra.Payload.OrderChangeNotification.Summary.SomethingNew = { nested: true };
    expect(eventsFromNotification(extra).events).toEqual(eventsFromNotification(notification()).events);
  });

  it('should refuse a notification of another type', () => {
    const message = notification();
    message.NotificationType = 'ORDER_STATUS_CHANGE';
    expect(thrown(() => eventsFromNotification(message)).issues[0]!.path).toBe('NotificationType');
  });

  it('should report each v0 status as the facts it stands for', () => {
    const facts = Object.fromEntries(
      fixture<Json[]>('v0-orders-by-status.json').map(({ order, orderItems }) => [
        order.OrderStatus,
        eventsFromSpApi(order, orderItems),
      ]),
    );
    // Amazon's word on readiness: Pending holds the order, Unshipped lets the seller act, with the latest ship date.
    for (const status of ['Pending', 'PendingAvailability', 'Unshipped']) {
      expect(facts[status]).toMatchObject([
        { type: 'marketplace.statusReported', status: status === 'Unshipped' ? 'unshipped' : 'pending' },
      ]);
    }
    const shippedAt = Date.parse('2026-11-27T09:30:00Z');
    expect(facts['Shipped']).toEqual([
      { type: 'marketplace.orderShipped', at: shippedAt, eventId: 'amzn:113-0000000-0000004:shipped' },
    ]);
    expect(facts['InvoiceUnconfirmed']).toEqual([
      { type: 'marketplace.orderShipped', at: shippedAt, eventId: 'amzn:113-0000000-0000007:shipped' },
    ]);
    expect(facts['PartiallyShipped']).toMatchObject([
      { type: 'marketplace.statusReported', status: 'unshipped' },
      {
        type: 'marketplace.orderShipped',
        at: shippedAt,
        items: [{ orderItemId: '10000000000001', quantity: 2 }],
        eventId: 'amzn:113-0000000-0000003:shipped:10000000000001=2',
      },
    ]);
    // Orders v0 does not say who cancelled: the canceller is unknown, and the metrics say so.
    expect(facts['Canceled']).toEqual([
      {
        type: 'marketplace.orderCanceled',
        at: Date.parse('2026-11-26T06:00:00Z'),
        cancelledBy: 'unknown',
        eventId: 'amzn:113-0000000-0000005:canceled',
      },
    ]);
    expect(facts['Unfulfillable']).toMatchObject([
      { type: 'marketplace.orderCanceled', cancelledBy: 'amazon', reason: 'Unfulfillable' },
    ]);
  });

  it('should report each v2026 status as its facts, with who cancelled and when packages shipped', () => {
    const facts = Object.fromEntries(
      fixture<Json[]>('v2026-orders-by-status.json').map((order) => [
        order.fulfillment.fulfillmentStatus,
        eventsFromSpApi(order),
      ]),
    );
    for (const status of ['PENDING_AVAILABILITY', 'PENDING', 'UNSHIPPED']) {
      expect(facts[status]).toMatchObject([
        { type: 'marketplace.statusReported', status: status === 'UNSHIPPED' ? 'unshipped' : 'pending' },
      ]);
    }
    const packageShipped = Date.parse('2026-11-27T09:10:00Z');
    expect(facts['SHIPPED']).toEqual([
      { type: 'marketplace.orderShipped', at: packageShipped, eventId: 'amzn:114-0000000-0000005:shipped' },
    ]);
    expect(facts['PARTIALLY_SHIPPED']).toMatchObject([
      { type: 'marketplace.statusReported', status: 'unshipped' },
      {
        type: 'marketplace.orderShipped',
        at: packageShipped,
        items: [{ orderItemId: '20000000000001', quantity: 2 }],
        eventId: 'amzn:114-0000000-0000004:shipped:20000000000001=2',
      },
    ]);
    expect(facts['CANCELLED']).toEqual([
      {
        type: 'marketplace.orderCanceled',
        at: Date.parse('2026-11-26T06:00:00Z'),
        cancelledBy: 'seller',
        reason: 'NoInventory',
        eventId: 'amzn:114-0000000-0000006:canceled',
      },
    ]);
    expect(facts['UNFULFILLABLE']).toMatchObject([
      { type: 'marketplace.orderCanceled', cancelledBy: 'amazon', reason: 'Unfulfillable' },
    ]);
  });

  it('should report a notification status as the same facts, with the ids of a pull of that order', () => {
    const message = notification();
    const summary = message.Payload.OrderChangeNotification.Summary;
    summary.OrderStatus = 'Shipped';
    summary.OrderItems.forEach(
      (item: { QuantityShipped: number; Quantity: number; IsBuyerRequestedCancel: boolean }) => {
        item.QuantityShipped = item.Quantity;
        item.IsBuyerRequestedCancel = false;
      },
    );
    const pulled = v0Order();
    pulled.payload.OrderStatus = 'Shipped';
    expect(eventsFromNotification(message).events).toEqual([
      {
        type: 'marketplace.orderShipped',
        at: Date.parse('2026-11-26T03:12:41Z'),
        eventId: 'amzn:113-1234567-1234567:shipped',
      },
    ]);
    expect(eventsFromSpApi(pulled, v0Items()).at(-1)!.eventId).toBe('amzn:113-1234567-1234567:shipped');
    summary.OrderStatus = 'Canceled';
    message.Payload.OrderChangeNotification.OrderChangeTrigger.TimeOfOrderChange = null;
    expect(eventsFromNotification(message).events).toEqual([
      {
        type: 'marketplace.orderCanceled',
        at: Date.parse('2026-11-26T03:20:05.118Z'),
        cancelledBy: 'unknown',
        eventId: 'amzn:113-1234567-1234567:canceled',
      },
    ]);
  });

  it('should map an item-level cancellation of an order that goes on to a fact naming that line', () => {
    const order = v2026Order();
    order.order.orderItems[1].cancellation = {
      cancellationExecution: { cancelledBy: 'BUYER', cancelReason: 'Changed mind' },
    };
    expect(eventsFromSpApi(order).at(-1)).toEqual({
      type: 'marketplace.orderCanceled',
      at: Date.parse('2026-11-26T05:40:00Z'),
      cancelledBy: 'buyer',
      reason: 'Changed mind',
      items: [{ orderItemId: '61034518273402', quantity: 1 }],
      eventId: 'amzn:114-7654321-7654321:canceled:61034518273402',
    });
  });

  it('should ship first and cancel only the units of a v2026 line that did not ship (1 of 3 fulfilled, the rest cancelled)', () => {
    const order = v2026Order();
    order.order.fulfillment.fulfillmentStatus = 'SHIPPED';
    const [lamp, bulb] = order.order.orderItems;
    lamp.fulfillment = { quantityFulfilled: 1, quantityUnfulfilled: 0 };
    lamp.cancellation = { cancellationExecution: { cancelledBy: 'MERCHANT', cancelReason: 'Out of stock' } };
    bulb.fulfillment = { quantityFulfilled: 1, quantityUnfulfilled: 0 };
    const events = eventsFromSpApi(order);
    let { snapshot } = createOrder(orderInputFromSpApi(order));
    for (const event of events) snapshot = applyEvent(snapshot, event).snapshot;
    expect(orderStatus(snapshot)).toBe('shipped');
    expect(
      snapshot.context.items.map((item) => [item.orderItemId, item.quantityShipped, item.quantityCanceled]),
    ).toEqual([
      ['61034518273401', 1, 2],
      ['61034518273402', 1, 0],
    ]);
  });

  it('should keep every eventId within 128 characters, hashing long ones deterministically', () => {
    const order = v0Order();
    const items = v0Items();
    const longId = 'X'.repeat(120);
    order.payload.AmazonOrderId = longId;
    items.payload.AmazonOrderId = longId;
    const [event] = eventsFromSpApi(order, items);
    expect(event!.eventId.length).toBeLessThanOrEqual(128);
    expect(event!.eventId).toMatch(/^amzn:[0-9a-f]{40}$/);
    expect(eventsFromSpApi(order, items)[0]!.eventId).toBe(event!.eventId);
    items.payload.OrderItems[0].OrderItemId = 'other';
    expect(eventsFromSpApi(order, items)[0]!.eventId).not.toBe(event!.eventId);
  });
});

describe('spApiStatus', () => {
  const shipped = () => applyEvent(labelledOrder(), { type: 'seller.confirmShipment', at: minute(50) }).snapshot;
  const canceled = () => applyEvent(newOrder(), { type: 'buyer.cancel', at: minute(5) }).snapshot;
  const autoCanceled = () => applyEvent(newOrder(), { type: 'clock.tick', at: autoCancelAt }).snapshot;

  it.each([
    ['buyer-cancellable', newOrder, { v0: 'Pending', v2026: 'PENDING' }],
    ['unshipped', unshippedOrder, { v0: 'Unshipped', v2026: 'UNSHIPPED' }],
    ['label-generated', labelledOrder, { v0: 'Unshipped', v2026: 'UNSHIPPED' }],
    ['shipped', shipped, { v0: 'Shipped', v2026: 'SHIPPED' }],
    ['canceled', canceled, { v0: 'Canceled', v2026: 'CANCELLED' }],
    ['auto-canceled', autoCanceled, { v0: 'Canceled', v2026: 'CANCELLED' }],
  ] as const)('should show a %s order as Amazon does', (status, make, expected) => {
    const snapshot = make();
    expect(orderStatus(snapshot)).toBe(status);
    expect(spApiStatus(snapshot)).toEqual(expected);
  });

  it('should show an order placed from the v0 fixture as Pending, then Unshipped after the window', () => {
    const { snapshot } = createOrder(orderInputFromSpApi(v0Order(), v0Items()));
    expect(spApiStatus(snapshot)).toEqual({ v0: 'Pending', v2026: 'PENDING' });
    const later = applyEvent(snapshot, { type: 'clock.tick', at: Date.parse('2026-11-26T03:15:00Z') }).snapshot;
    expect(spApiStatus(later)).toEqual({ v0: 'Unshipped', v2026: 'UNSHIPPED' });
  });

  it('should leave the buyer window as the support orders define it', () => {
    expect(spApiStatus(applyEvent(newOrder(), { type: 'clock.tick', at: buyerCancelUntil - 1 }).snapshot).v0).toBe(
      'Pending',
    );
  });
});

/** Places an SP-API order, brings its clock to Amazon's last update, and applies what it shows. */
function replay(
  input: ReturnType<typeof orderInputFromSpApi>,
  lastUpdate: number,
  events: AmazonOrderEvent[],
): OrderSnapshot {
  let snapshot = createOrder(input).snapshot;
  snapshot = applyEvent(snapshot, { type: 'clock.tick', at: lastUpdate }).snapshot;
  for (const event of events) snapshot = applyEvent(snapshot, event as never).snapshot;
  return snapshot;
}

describe.runIf(coreAcceptsEventIds)('SP-API requests through the core', () => {
  it('should record the flagged item as officially requested, so a BuyerCanceled cancel of it does not count', () => {
    const input = orderInputFromSpApi(v0Order(), v0Items());
    let snapshot = replay(input, Date.parse('2026-11-26T03:15:00Z'), eventsFromSpApi(v0Order(), v0Items()));
    expect(snapshot.context.items.map((item) => item.buyerRequestedCancel)).toEqual([true, false]);
    snapshot = applyEvent(snapshot, {
      type: 'seller.cancel',
      at: Date.parse('2026-11-26T03:30:00Z'),
      reason: 'BuyerCanceled',
      items: [{ orderItemId: '52986411826454', quantity: 2 }],
    }).snapshot;
    expect(snapshot.context.cancellations.map((c) => c.countsAgainstRate)).toEqual([false]);
  });

  it('should change nothing when the same pull or the notification of the same request is applied again', () => {
    const input = orderInputFromSpApi(v0Order(), v0Items());
    const once = replay(input, Date.parse('2026-11-26T03:15:00Z'), eventsFromSpApi(v0Order(), v0Items()));
    let again = once;
    for (const event of [...eventsFromSpApi(v0Order(), v0Items()), ...eventsFromNotification(notification()).events]) {
      const step = applyEvent(again, event as never);
      expect(step.effects).toEqual([]);
      again = step.snapshot;
    }
    expect(again.context.requests).toEqual(once.context.requests);
  });
});

describe.runIf(coreHasFacts && coreAcceptsEventIds)('SP-API statuses both ways through the core', () => {
  const expectedV0: Record<string, string> = {
    Pending: 'Pending',
    PendingAvailability: 'Pending',
    Unshipped: 'Unshipped',
    Shipped: 'Shipped',
    InvoiceUnconfirmed: 'Shipped',
    Canceled: 'Canceled',
    Unfulfillable: 'Canceled',
  };

  it.each(Object.keys(expectedV0))('should bring a local order to what a v0 %s order shows', (status) => {
    const { order, orderItems } = fixture<Json[]>('v0-orders-by-status.json').find(
      (entry) => entry.order.OrderStatus === status,
    );
    const snapshot = replay(
      orderInputFromSpApi(order, orderItems),
      Date.parse(order.LastUpdateDate),
      eventsFromSpApi(order, orderItems),
    );
    expect(spApiStatus(snapshot).v0).toBe(expectedV0[status]);
  });

  const expected2026: Record<string, string> = {
    PENDING_AVAILABILITY: 'PENDING',
    PENDING: 'PENDING',
    UNSHIPPED: 'UNSHIPPED',
    SHIPPED: 'SHIPPED',
    CANCELLED: 'CANCELLED',
    UNFULFILLABLE: 'CANCELLED',
  };

  it.each(Object.keys(expected2026))('should bring a local order to what a v2026 %s order shows', (status) => {
    const order = fixture<Json[]>('v2026-orders-by-status.json').find(
      (entry) => entry.fulfillment.fulfillmentStatus === status,
    );
    const snapshot = replay(orderInputFromSpApi(order), Date.parse(order.lastUpdatedTime), eventsFromSpApi(order));
    expect(spApiStatus(snapshot).v2026).toBe(expected2026[status]);
  });

  it('should apply a pulled Canceled order once: the same fact again changes nothing', () => {
    const { order, orderItems } = fixture<Json[]>('v0-orders-by-status.json').find(
      (entry) => entry.order.OrderStatus === 'Canceled',
    );
    const events = eventsFromSpApi(order, orderItems);
    const once = replay(orderInputFromSpApi(order, orderItems), Date.parse(order.LastUpdateDate), events);
    const again = applyEvent(once, events[0] as never);
    expect(again.effects).toEqual([]);
    expect(again.snapshot.context.cancellations).toEqual(once.context.cancellations);
  });
});
