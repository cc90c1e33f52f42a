import fc from 'fast-check';
import { stateKeys, statusOfStateKey, type Effect } from '../domain/index.js';
import { nextDeadline, type OrderSnapshot } from '../runtime/index.js';
import type { DriverSnapshot } from './drivers.js';
import { OrderCheckError } from './errors.js';
import { modelNextDeadline, type ModelEffect, type ModelOrder, type ModelStatus } from './model.js';

/** What the machine and the model must agree on after every command. */
interface Observation {
  status: ModelStatus;
  orderId: string;
  marketplaceId?: string;
  fulfillmentChannel: string;
  placedAt: number;
  latestShipDate: number | null;
  marketplaceStatus: string | null;
  clock: number;
  eventIds: string[];
  items: {
    orderItemId: string;
    sku?: string;
    remaining: number;
    canceled: number;
    shipped: number;
    requested: boolean;
  }[];
  cancellations: {
    by: string;
    reason: string;
    at: number;
    occurredAt?: number;
    items: { orderItemId: string; quantity: number }[];
    countsAgainstRate: boolean;
  }[];
  requests: {
    at: number;
    occurredAt?: number;
    source: string;
    official: boolean;
    orderItemIds: string[];
    subject?: string;
    reason?: string;
  }[];
  labelGeneratedAt: number | null;
  shippedAt: number | null;
  shippedLate: boolean | null;
  nextDeadline: number | null;
}

const statusOfKey: Record<string, ModelStatus> = statusOfStateKey;

/** The brief's status name of a snapshot's state value (`{ placed: 'unshipped' }` -> `unshipped`). */
export function statusOf(value: unknown): ModelStatus {
  const key = typeof value === 'string' ? value : (value as Record<string, string>)[stateKeys.placed];
  const status = key === undefined ? undefined : statusOfKey[key];
  if (!status)
    throw new OrderCheckError(`The snapshot's state ${JSON.stringify(value)} is not a state of the order statechart.`);
  return status;
}

/** Projects a machine snapshot onto what the model knows. */
export function observeSnapshot(snapshot: DriverSnapshot): Observation {
  const { context } = snapshot;
  return {
    status: statusOf(snapshot.value),
    orderId: context.orderId,
    ...(context.marketplaceId === undefined ? {} : { marketplaceId: context.marketplaceId }),
    fulfillmentChannel: context.fulfillmentChannel,
    placedAt: context.placedAt,
    latestShipDate: context.latestShipDate,
    marketplaceStatus: context.marketplaceStatus,
    clock: context.clock,
    eventIds: [...context.eventIds],
    items: context.items.map((item) => ({
      orderItemId: item.orderItemId,
      ...(item.sku === undefined ? {} : { sku: item.sku }),
      remaining: item.quantity - item.quantityCanceled - item.quantityShipped,
      canceled: item.quantityCanceled,
      shipped: item.quantityShipped,
      requested: item.buyerRequestedCancel,
    })),
    cancellations: context.cancellations.map((record) => ({
      by: record.by,
      reason: record.reason,
      at: record.at,
      ...(record.occurredAt === undefined ? {} : { occurredAt: record.occurredAt }),
      items: record.items.map(({ orderItemId, quantity }) => ({ orderItemId, quantity })),
      countsAgainstRate: record.countsAgainstRate,
    })),
    requests: context.requests.map((request) => ({ ...request, orderItemIds: [...request.orderItemIds] })),
    labelGeneratedAt: context.labelGeneratedAt,
    shippedAt: context.shippedAt,
    shippedLate: context.shippedLate,
    nextDeadline: nextDeadline(snapshot as unknown as OrderSnapshot),
  };
}

/** The same projection of the reference model. */
export function observeModel(order: ModelOrder): Observation {
  return {
    status: order.status,
    orderId: order.orderId,
    ...(order.marketplaceId === undefined ? {} : { marketplaceId: order.marketplaceId }),
    fulfillmentChannel: order.channel,
    placedAt: order.placedAt,
    latestShipDate: order.latestShipDate,
    marketplaceStatus: order.marketplaceStatus,
    clock: order.clock,
    eventIds: [...order.eventIds],
    items: order.items.map((item) => ({
      orderItemId: item.orderItemId,
      ...(item.sku === undefined ? {} : { sku: item.sku }),
      remaining: item.ordered - item.canceled - item.shipped,
      canceled: item.canceled,
      shipped: item.shipped,
      requested: item.requested,
    })),
    cancellations: order.cancellations.map(({ source: _source, ...record }) => ({
      ...record,
      items: record.items.map((item) => ({ ...item })),
    })),
    requests: order.requests.map((request) => ({ ...request, orderItemIds: [...request.orderItemIds] })),
    labelGeneratedAt: order.labelGeneratedAt,
    shippedAt: order.shippedAt,
    shippedLate: order.shippedLate,
    nextDeadline: modelNextDeadline(order),
  };
}

/** Effects without the guidance wording (which is checked to exist in both languages instead). */
export function normalizeEffects(effects: readonly Effect[]): ModelEffect[] {
  return effects.map((effect): ModelEffect => {
    switch (effect.type) {
      case 'buyer.notified':
      case 'seller.notified':
        return { type: effect.type, orderId: effect.orderId, at: effect.at, topic: effect.topic };
      case 'items.refunded':
        return {
          type: effect.type,
          orderId: effect.orderId,
          at: effect.at,
          items: effect.items.map(({ orderItemId, quantity }) => ({ orderItemId, quantity })),
        };
      case 'buyer.guidance':
        if (!effect.message?.en || !effect.message['zh-CN'])
          throw new OrderCheckError(`buyer.guidance at ${effect.at} has no message in both languages.`);
        return { type: effect.type, orderId: effect.orderId, at: effect.at };
      default:
        return effect as never;
    }
  });
}

/** JSON with object keys sorted, so that equal values print equally whatever order their keys were built in. */
export function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as object).sort(([a], [b]) => (a < b ? -1 : 1)))
      : v,
  );
}

/** Deep equality (undefined-valued keys ignored) that fails with both sides printed. */
export function assertEqual<T>(actual: T, expected: T, what: string): void {
  if (canonical(actual) === canonical(expected)) return;
  throw new OrderCheckError(
    `${what} differ:\n  actual:   ${fc.stringify(actual)}\n  expected: ${fc.stringify(expected)}`,
  );
}
