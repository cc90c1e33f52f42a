import { OrderInput, type OrderContext, type OrderItem, type OrderStatus } from './schemas.js';
import { resolvePolicy, type PolicyOverride } from './policy.js';
import { parseOrThrow } from './parse.js';
import { InvalidInputError } from './errors.js';
import { offsetMinutesOf } from './time.js';

// XState builds a throwaway actor without input inside `transition()`; throwing one shared error there
// costs nothing, where parsing `undefined` and building a fresh error each time costs more than a step.
const missingInput = new InvalidInputError('order input', [
  { path: '(root)', message: 'expected an order input object (got nothing)' },
]);

/**
 * Validates an order input and builds the machine's context, with its absolute deadlines.
 * Throws InvalidInputError naming the field when the input is bad.
 * @example
 * const context = createOrderContext({ orderId: '111-1', placedAt: '2026-11-26T10:00:00Z',
 *   latestShipDate: '2026-11-28T23:59:59Z', items: [{ orderItemId: 'A', quantity: 1 }] });
 */
export function createOrderContext(input: unknown, policyOverride?: PolicyOverride): OrderContext {
  if (input === undefined) throw missingInput;
  const parsed = parseOrThrow(OrderInput, input, 'order input');
  const policy = resolvePolicy(parsed.marketplaceId, { ...parsed.policy, ...policyOverride });
  return {
    orderId: parsed.orderId,
    ...(parsed.marketplaceId === undefined ? {} : { marketplaceId: parsed.marketplaceId }),
    fulfillmentChannel: parsed.fulfillmentChannel,
    policy,
    placedAt: parsed.placedAt,
    latestShipDate: parsed.latestShipDate ?? null,
    marketplaceStatus: null,
    marketplaceStatusAt: null,
    utcOffsetMinutes: offsetMinutesOf((input as { placedAt?: unknown }).placedAt),
    buyerCancelUntil: parsed.placedAt + policy.buyerCancelWindowMs,
    autoCancelAt: autoCancelAtOf(parsed.fulfillmentChannel, parsed.latestShipDate ?? null, policy.autoCancelAfterMs),
    clock: parsed.placedAt,
    items: parsed.items.map((item) => orderItem(item, 0, 0, false)),
    ...emptyRecords(),
  };
}

/**
 * An order item with these counts, its fields in `OrderItem`'s order and `sku` only when it has one (an `sku` that
 * is present but undefined is left out, as serializing leaves it out). Every step that changes an item builds it
 * here rather than spreading the old one: a spread copies whatever hidden class the item had, and once a process
 * has seen items of many shapes V8 copies each one on a slow path. With the item maps built from pairs, that is
 * what made a cancel of 1,000 items take 1.1–1.9 ms instead of about 0.5 ms (docs/performance.md).
 * @example
 * const next = orderItem(item, item.quantityCanceled + 1, item.quantityShipped, item.buyerRequestedCancel);
 */
export function orderItem(
  item: Pick<OrderItem, 'orderItemId' | 'sku' | 'quantity'>,
  quantityCanceled: number,
  quantityShipped: number,
  buyerRequestedCancel: boolean,
): OrderItem {
  const { orderItemId, sku, quantity } = item;
  return sku === undefined
    ? { orderItemId, quantity, quantityCanceled, quantityShipped, buyerRequestedCancel }
    : { orderItemId, sku, quantity, quantityCanceled, quantityShipped, buyerRequestedCancel };
}

/**
 * The auto-cancel instant: the latest ship date plus the policy's delay; none while the latest ship date is
 * unknown, and none for orders Amazon ships (there is nothing for the seller to confirm in time).
 * @example
 * autoCancelAtOf('MFN', Date.parse('2026-11-28T23:59:59Z'), 7 * 86_400_000); // epoch ms of 2026-12-05T23:59:59Z
 */
export function autoCancelAtOf(
  channel: 'MFN' | 'AFN',
  latestShipDate: number | null,
  autoCancelAfterMs: number,
): number | null {
  return channel === 'AFN' || latestShipDate === null ? null : latestShipDate + autoCancelAfterMs;
}

/**
 * What a new order has recorded: nothing. The codec fills these in for fields a stored order leaves out.
 * @example
 * emptyRecords().cancellations; // []
 */
export function emptyRecords(): Pick<
  OrderContext,
  'requests' | 'cancellations' | 'labelGeneratedAt' | 'shippedAt' | 'shippedLate' | 'eventIds'
> {
  return { requests: [], cancellations: [], labelGeneratedAt: null, shippedAt: null, shippedLate: null, eventIds: [] };
}

/**
 * The machine's leaf states, each with the product brief's name for it: the one place both are written. The
 * machine, the codec, the inspector and the docs read the keys here, people the names.
 * @example
 * statusOfStateKey.labelGenerated; // 'label-generated'
 */
export const statusOfStateKey = {
  buyerCancellable: 'buyer-cancellable',
  unshipped: 'unshipped',
  labelGenerated: 'label-generated',
  shipped: 'shipped',
  canceled: 'canceled',
  autoCanceled: 'auto-canceled',
} as const satisfies Record<string, OrderStatus>;
export type StateKey = keyof typeof statusOfStateKey;

/**
 * The machine's state keys: `placed`, the parent of the open states, and each leaf's key, from `statusOfStateKey`.
 * @example
 * snapshot.matches({ [stateKeys.placed]: stateKeys.unshipped });
 */
export const stateKeys = {
  placed: 'placed',
  ...(Object.fromEntries(Object.keys(statusOfStateKey).map((key) => [key, key])) as { [K in StateKey]: K }),
} as const;

/** The leaf states inside `placed`, in the order an order moves through them. */
export const placedStateKeys = [stateKeys.buyerCancellable, stateKeys.unshipped, stateKeys.labelGenerated] as const;

/**
 * The XState state value of a leaf state key: `{ placed: 'unshipped' }` inside `placed`, else the key itself.
 * @example
 * stateValueOf('labelGenerated'); // { placed: 'labelGenerated' }
 */
export function stateValueOf(key: StateKey): string | Record<string, string> {
  return (placedStateKeys as readonly string[]).includes(key) ? { [stateKeys.placed]: key } : key;
}
