import { OrderInput, type OrderContext, type OrderStatus } from './schemas.js';
import { resolvePolicy, type PolicyOverride } from './policy.js';
import { parseOrThrow } from './parse.js';

/**
 * Validates an order input and builds the machine's context, with its absolute deadlines.
 * Throws InvalidInputError naming the field when the input is bad.
 * @example
 * const context = createOrderContext({ orderId: '111-1', placedAt: '2026-11-26T10:00:00Z',
 *   latestShipDate: '2026-11-28T23:59:59Z', items: [{ orderItemId: 'A', quantity: 1 }] });
 */
export function createOrderContext(input: unknown, policyOverride?: PolicyOverride): OrderContext {
  const parsed = parseOrThrow(OrderInput, input, 'order input');
  const policy = resolvePolicy(parsed.marketplaceId, { ...parsed.policy, ...policyOverride });
  return {
    orderId: parsed.orderId,
    ...(parsed.marketplaceId === undefined ? {} : { marketplaceId: parsed.marketplaceId }),
    fulfillmentChannel: parsed.fulfillmentChannel,
    policy,
    placedAt: parsed.placedAt,
    latestShipDate: parsed.latestShipDate,
    buyerCancelUntil: parsed.placedAt + policy.buyerCancelWindowMs,
    autoCancelAt: parsed.latestShipDate + policy.autoCancelAfterMs,
    items: parsed.items.map((item) => ({
      orderItemId: item.orderItemId,
      ...(item.sku === undefined ? {} : { sku: item.sku }),
      quantity: item.quantity,
      quantityCanceled: 0,
      buyerRequestedCancel: false,
    })),
    requests: [],
    cancellations: [],
    labelGeneratedAt: null,
    shippedAt: null,
    shippedLate: null,
  };
}

/** State keys of the machine, mapped to the product brief's names. */
export const statusOfStateKey = {
  buyerCancellable: 'buyer-cancellable',
  unshipped: 'unshipped',
  labelGenerated: 'label-generated',
  shipped: 'shipped',
  canceled: 'canceled',
  autoCanceled: 'auto-canceled',
} as const satisfies Record<string, OrderStatus>;
export type StateKey = keyof typeof statusOfStateKey;
