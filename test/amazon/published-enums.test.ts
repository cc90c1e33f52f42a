import { readdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { eventsFromNotification } from '../../src/amazon/index.js';
import {
  BuyerRequestedCancelFlag,
  CancellationRequester2026,
  CancelledBy2026,
  EasyShipShipmentStatus,
  FulfilledBy2026,
  FulfillmentChannel,
  FulfillmentStatus2026,
  NotificationLevel,
  NotificationOrderItemStatus,
  OrderChangeNotification,
  OrderChangeType,
  OrderStatusV0,
  SpApiOrder2026,
  SpApiOrderItemV0,
  SpApiOrderItemsListV0,
  SpApiOrdersListV0,
  SpApiOrderV0,
  SpApiSearchOrders2026,
} from '../../src/amazon/schemas.js';
import { fixture, fixturesDir } from './support.js';

/*
 * The adapters' schemas against Amazon's own models (amzn/selling-partner-api-models). The models are not in
 * this repository: scripts/extract-published-examples.ts copies the value lists (enums.json), the `required`
 * lists (required.json) and every order, order-items and ORDER_CHANGE example into test/fixtures/amazon/published/,
 * each with the model file, JSON pointer and commit it came from.
 */

interface Source {
  repository: string;
  path: string;
  pointer: string;
  commit: string;
}
interface PublishedEnum {
  source: Source;
  valuesFrom: 'enum' | 'description';
  values: string[];
}
interface PublishedObject {
  source: Source;
  required: string[];
  properties: string[];
}
interface PublishedExample {
  source: Source;
  kind: string;
  request?: unknown;
  payload: unknown;
}

const published = resolve(fixturesDir, 'published');
const enums = fixture<Record<string, PublishedEnum>>('published/enums.json');
const objects = fixture<Record<string, PublishedObject>>('published/required.json');
const exampleFiles = readdirSync(published).filter((file) => /^(v0|v2026|order-change)[-.].*\.json$/.test(file));
const example = (file: string) => fixture<PublishedExample>(`published/${file}`);

const unwrap = (schema: z.ZodType): z.ZodType => {
  let current = schema;
  while (current instanceof z.ZodOptional || current instanceof z.ZodNullable) current = current.unwrap() as z.ZodType;
  return current;
};

/** The schema of a field inside `schema`: `fulfillment.shipByWindow`, `orderItems.[].product` (`[]` is an array's element). */
function fieldAt(schema: z.ZodType, path: string): z.ZodType {
  let current = schema;
  for (const key of path === '' ? [] : path.split('.')) {
    const container = unwrap(current);
    const next: z.ZodType | undefined =
      key === '[]'
        ? container instanceof z.ZodArray
          ? (container.element as z.ZodType)
          : undefined
        : container instanceof z.ZodObject
          ? (container.shape as Record<string, z.ZodType>)[key]
          : undefined;
    if (!next) throw new Error(`The schema has no field "${key}" on the way to "${path}".`);
    current = next;
  }
  return current;
}

// Amazon's JSON, edited field by field.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Loose = any;

/** A minimal valid value of each object the value lists sit in, so that one field can be varied at a time. */
const minimal = {
  v0Order: (): Loose => ({
    AmazonOrderId: '902-3159896-1390916',
    PurchaseDate: '2017-01-20T19:49:35Z',
    LastUpdateDate: '2017-01-20T19:49:35Z',
    OrderStatus: 'Pending',
  }),
  v0Item: (): Loose => ({ ASIN: 'BT0093TELA', OrderItemId: '68828574383266', QuantityOrdered: 1 }),
  v2026Order: (): Loose => ({
    orderId: '114-9876543-1234567',
    createdTime: '2025-03-10T14:00:00Z',
    lastUpdatedTime: '2025-03-10T14:30:00Z',
    salesChannel: { channelName: 'AMAZON' },
    fulfillment: { fulfillmentStatus: 'UNSHIPPED' },
    orderItems: [
      {
        orderItemId: '11498765431234',
        quantityOrdered: 1,
        product: {},
        cancellation: { cancellationRequest: {}, cancellationExecution: {} },
      },
    ],
  }),
  notification: (): Loose => structuredClone(example('order-change.example-0.json').payload),
};

/** One place a value list is read: the object schema, a valid object, and how to set the field in it. */
interface Site {
  schema: z.ZodType;
  base: () => Loose;
  set: (value: Loose, field: string) => void;
}
const v0Order = (set: Site['set']): Site => ({ schema: SpApiOrderV0, base: minimal.v0Order, set });
const v2026Order = (set: Site['set']): Site => ({ schema: SpApiOrder2026, base: minimal.v2026Order, set });
const notification = (set: (change: Loose, field: string) => void): Site => ({
  schema: OrderChangeNotification,
  base: minimal.notification,
  set: (value, field) => set(value.Payload.OrderChangeNotification, field),
});

/** Where each value list of enums.json is read: the schema's exported enum, and every field that holds it. */
const enumSites: Record<string, { values?: z.ZodEnum; sites: Site[] }> = {
  'v0.Order.OrderStatus': { values: OrderStatusV0, sites: [v0Order((o, v) => (o.OrderStatus = v))] },
  'v0.Order.FulfillmentChannel': { values: FulfillmentChannel, sites: [v0Order((o, v) => (o.FulfillmentChannel = v))] },
  'v0.EasyShipShipmentStatus': {
    values: EasyShipShipmentStatus,
    sites: [v0Order((o, v) => (o.EasyShipShipmentStatus = v))],
  },
  // "true"/"false" as strings in v0 (BuyerRequestedCancelFlag also takes the notifications' booleans).
  'v0.BuyerRequestedCancel.IsBuyerRequestedCancel': {
    sites: [
      {
        schema: SpApiOrderItemV0,
        base: minimal.v0Item,
        set: (o, v) => (o.BuyerRequestedCancel = { IsBuyerRequestedCancel: v }),
      },
    ],
  },
  'v2026.FulfillmentStatus': {
    values: FulfillmentStatus2026,
    sites: [v2026Order((o, v) => (o.fulfillment.fulfillmentStatus = v))],
  },
  'v2026.OrderFulfillment.fulfilledBy': {
    values: FulfilledBy2026,
    sites: [v2026Order((o, v) => (o.fulfillment.fulfilledBy = v))],
  },
  'v2026.ItemCancellationRequest.requester': {
    values: CancellationRequester2026,
    sites: [v2026Order((o, v) => (o.orderItems[0].cancellation.cancellationRequest.requester = v))],
  },
  'v2026.ItemCancellationExecution.cancelledBy': {
    values: CancelledBy2026,
    sites: [v2026Order((o, v) => (o.orderItems[0].cancellation.cancellationExecution.cancelledBy = v))],
  },
  'orderChange.NotificationLevel': {
    values: NotificationLevel,
    sites: [notification((c, v) => (c.NotificationLevel = v))],
  },
  'orderChange.OrderChangeType': { values: OrderChangeType, sites: [notification((c, v) => (c.OrderChangeType = v))] },
  'orderChange.Summary.OrderStatus': {
    values: OrderStatusV0,
    sites: [notification((c, v) => (c.Summary.OrderStatus = v))],
  },
  'orderChange.Summary.FulfillmentType': {
    values: FulfillmentChannel,
    sites: [notification((c, v) => (c.Summary.FulfillmentType = v))],
  },
  'orderChange.Summary.EasyShipShipmentStatus': {
    values: EasyShipShipmentStatus,
    sites: [notification((c, v) => (c.Summary.EasyShipShipmentStatus = v))],
  },
  'orderChange.Summary.OrderItems.OrderItemStatus': {
    values: NotificationOrderItemStatus,
    sites: [notification((c, v) => (c.Summary.OrderItems[0].OrderItemStatus = v))],
  },
};

/** A value each list is checked to refuse: none of Amazon's lists holds it. */
const NOT_AMAZONS = 'NotAnAmazonValue';

const failure = (result: { success: boolean; error?: z.ZodError }) =>
  result.error ? z.prettifyError(result.error) : '';

describe("the adapters' value lists against Amazon's models", () => {
  it('should name a schema for every value list copied from the models, and copy every list the schemas check', () => {
    expect(Object.keys(enums).sort()).toEqual(Object.keys(enumSites).sort());
  });

  it.each(Object.entries(enums))('should accept every value of %s and nothing else', (name, published) => {
    expect(published.source).toMatchObject({
      repository: 'amzn/selling-partner-api-models',
      commit: expect.stringMatching(/^[0-9a-f]{40}$/),
    });
    const { values, sites } = enumSites[name]!;
    if (values) expect([...values.options].sort()).toEqual([...published.values].sort());
    for (const { schema, base, set } of sites) {
      for (const value of published.values) {
        const input = base();
        set(input, value);
        const result = schema.safeParse(input);
        expect(result.success, `${name} = ${value}: ${failure(result)}`).toBe(true);
      }
      const input = base();
      set(input, NOT_AMAZONS);
      expect(schema.safeParse(input).success, `${name} = ${NOT_AMAZONS} should be refused`).toBe(false);
    }
  });

  it('should take the boolean IsBuyerRequestedCancel of ORDER_CHANGE notifications as well as the v0 strings', () => {
    for (const value of [true, false, 'true', 'false']) expect(BuyerRequestedCancelFlag.parse(value)).toBe(value);
  });

  it('should map an ORDER_CHANGE notification of type DeliveryTipChange without throwing', () => {
    const tipChange = minimal.notification();
    tipChange.Payload.OrderChangeNotification.OrderChangeType = 'DeliveryTipChange';
    tipChange.Payload.OrderChangeNotification.OrderChangeTrigger.ChangeReason = 'Delivery tip changed';
    expect(eventsFromNotification(tipChange).orderId).toBe('903-8868176-2219830');
  });

  it('should map a v0 order of every Easy Ship status without throwing', () => {
    for (const status of EasyShipShipmentStatus.options) {
      expect(SpApiOrderV0.parse({ ...minimal.v0Order(), EasyShipShipmentStatus: status }).EasyShipShipmentStatus).toBe(
        status,
      );
    }
  });
});

/** The object schema each `required` list of the models is checked against, and where in it that object sits. */
const objectSites: Record<string, [z.ZodType, string]> = {
  'v0.OrdersList': [SpApiOrdersListV0, ''],
  'v0.Order': [SpApiOrderV0, ''],
  'v0.OrderItemsList': [SpApiOrderItemsListV0, ''],
  'v0.OrderItem': [SpApiOrderItemV0, ''],
  'v0.BuyerRequestedCancel': [SpApiOrderItemV0, 'BuyerRequestedCancel'],
  'v2026.SearchOrdersResponse': [SpApiSearchOrders2026, ''],
  'v2026.Order': [SpApiOrder2026, ''],
  'v2026.SalesChannel': [SpApiOrder2026, 'salesChannel'],
  'v2026.OrderFulfillment': [SpApiOrder2026, 'fulfillment'],
  'v2026.DateTimeRange': [SpApiOrder2026, 'fulfillment.shipByWindow'],
  'v2026.OrderItem': [SpApiOrder2026, 'orderItems.[]'],
  'v2026.ItemProduct': [SpApiOrder2026, 'orderItems.[].product'],
  'v2026.ItemCancellation': [SpApiOrder2026, 'orderItems.[].cancellation'],
  'v2026.ItemCancellationRequest': [SpApiOrder2026, 'orderItems.[].cancellation.cancellationRequest'],
  'v2026.ItemCancellationExecution': [SpApiOrder2026, 'orderItems.[].cancellation.cancellationExecution'],
  'v2026.ItemFulfillment': [SpApiOrder2026, 'orderItems.[].fulfillment'],
  'v2026.OrderPackage': [SpApiOrder2026, 'packages.[]'],
  'v2026.PackageItem': [SpApiOrder2026, 'packages.[].packageItems.[]'],
  'orderChange.Notification': [OrderChangeNotification, ''],
  'orderChange.Payload': [OrderChangeNotification, 'Payload'],
  'orderChange.OrderChangeNotification': [OrderChangeNotification, 'Payload.OrderChangeNotification'],
  'orderChange.OrderChangeTrigger': [OrderChangeNotification, 'Payload.OrderChangeNotification.OrderChangeTrigger'],
  'orderChange.Summary': [OrderChangeNotification, 'Payload.OrderChangeNotification.Summary'],
  'orderChange.OrderItem': [OrderChangeNotification, 'Payload.OrderChangeNotification.Summary.OrderItems.[]'],
  'orderChange.NotificationMetadata': [OrderChangeNotification, 'NotificationMetadata'],
};

describe("the adapters' required fields against Amazon's models", () => {
  it('should name a schema for every object copied from the models', () => {
    expect(Object.keys(objects).sort()).toEqual(Object.keys(objectSites).sort());
  });

  it.each(Object.entries(objects))(
    'should require in %s only fields the model requires, and name only fields it has',
    (name, published) => {
      const [schema, path] = objectSites[name]!;
      const object = unwrap(fieldAt(schema, path));
      expect(object, `${name} is not an object schema`).toBeInstanceOf(z.ZodObject);
      const shape = (object as z.ZodObject).shape as Record<string, z.ZodType>;
      const required = Object.keys(shape).filter((key) => !shape[key]!.safeParse(undefined).success);
      expect(
        required.filter((key) => !published.required.includes(key)),
        `${name}: required here, optional in the model`,
      ).toEqual([]);
      expect(
        Object.keys(shape).filter((key) => !published.properties.includes(key)),
        `${name}: not in the model`,
      ).toEqual([]);
    },
  );

  it('should start a v2026 order without fulfillment.shipByWindow, which the model marks optional', () => {
    const order = example('v2026-getOrder.sandbox-static-2.json').payload as { order: { fulfillment: object } };
    expect(order.order.fulfillment).not.toHaveProperty('shipByWindow');
    expect(SpApiOrder2026.safeParse(order.order).success).toBe(true);
  });
});

/** The schema each kind of published example parses with, and what of the file's payload it parses. */
const parsers: Record<string, (payload: Loose) => z.ZodSafeParseResult<unknown>> = {
  'v0-orders': (payload) => SpApiOrdersListV0.safeParse(payload.payload),
  'v0-order': (payload) => SpApiOrderV0.safeParse(payload.payload),
  'v0-order-items': (payload) => SpApiOrderItemsListV0.safeParse(payload.payload),
  'v2026-search': (payload) => SpApiSearchOrders2026.safeParse(payload),
  'v2026-order': (payload) => SpApiOrder2026.safeParse(payload.order),
  'order-change': (payload) => OrderChangeNotification.safeParse(payload),
  'order-change-payload': (payload) => fieldAt(OrderChangeNotification, 'Payload').safeParse(payload),
  'order-change-body': (payload) =>
    fieldAt(OrderChangeNotification, 'Payload.OrderChangeNotification').safeParse(payload),
  'order-change-summary': (payload) =>
    fieldAt(OrderChangeNotification, 'Payload.OrderChangeNotification.Summary').safeParse(payload),
  'order-change-items': (payload) =>
    fieldAt(OrderChangeNotification, 'Payload.OrderChangeNotification.Summary.OrderItems').safeParse(payload),
  'order-change-item': (payload) =>
    fieldAt(OrderChangeNotification, 'Payload.OrderChangeNotification.Summary.OrderItems.[]').safeParse(payload),
};

describe("Amazon's published examples against the adapters' schemas", () => {
  it('should have every order, order-items and ORDER_CHANGE example of the three models', () => {
    expect(exampleFiles).toHaveLength(23);
    const kinds = exampleFiles.map((file) => example(file).kind);
    for (const kind of Object.keys(parsers)) expect(kinds, kind).toContain(kind);
  });

  it.each(exampleFiles)('should parse %s with the schema of its kind', (file) => {
    const { source, kind, payload } = example(file);
    expect(source).toMatchObject({
      repository: 'amzn/selling-partner-api-models',
      pointer: expect.stringMatching(/^\//),
      commit: expect.stringMatching(/^[0-9a-f]{40}$/),
    });
    const parse = parsers[kind];
    expect(parse, `no schema for kind ${kind}`).toBeDefined();
    const result = parse!(payload);
    expect(result.success, failure(result)).toBe(true);
  });
});
