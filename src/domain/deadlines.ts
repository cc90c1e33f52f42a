import type { OrderContext, OrderStatus } from './schemas.js';

/** What the deadlines depend on: the absolute instants, the marketplace's word on readiness, the shipped units. */
type DeadlineFacts = Pick<OrderContext, 'buyerCancelUntil' | 'autoCancelAt' | 'marketplaceStatus'> & {
  items: ReadonlyArray<{ quantityShipped: number }>;
};

/**
 * The instant at which time alone next changes an order in `status`, or null when nothing is due: the end of the
 * buyer's window while the order is Pending, else the auto-cancel instant until it ends. While the marketplace
 * itself reports the order Pending, time changes nothing: the order waits for the marketplace's next word.
 * @example
 * deadlineFor('unshipped', order) === order.autoCancelAt; // true
 */
export function deadlineFor(status: OrderStatus, order: DeadlineFacts): number | null {
  if (order.marketplaceStatus === 'pending') return null;
  switch (status) {
    case 'buyer-cancellable':
      return order.buyerCancelUntil;
    case 'unshipped':
    case 'label-generated':
      return order.autoCancelAt;
    default:
      return null;
  }
}

/**
 * The status an order in `status` has at instant `at` from time alone: the window closes, then the
 * auto-cancel falls due (an order some of whose units shipped ends `shipped`, its open units cancelled).
 * The machine applies the same deadlines through its `placed.*` transitions.
 * @example
 * statusAt('buyer-cancellable', order, order.buyerCancelUntil); // 'unshipped'
 */
export function statusAt(status: OrderStatus, order: DeadlineFacts, at: number): OrderStatus {
  let current = status;
  for (
    let deadline = deadlineFor(current, order);
    deadline !== null && at >= deadline;
    deadline = deadlineFor(current, order)
  ) {
    if (current === 'buyer-cancellable') current = 'unshipped';
    else current = order.items.some((item) => item.quantityShipped > 0) ? 'shipped' : 'auto-canceled';
  }
  return current;
}

/** Whether the auto-cancel instant has come by `at` (never for orders Amazon ships, nor while Amazon says Pending). */
export function isAutoCancelDueAt(
  order: Pick<OrderContext, 'autoCancelAt' | 'marketplaceStatus'>,
  at: number,
): boolean {
  return order.autoCancelAt !== null && at >= order.autoCancelAt && order.marketplaceStatus !== 'pending';
}

/** Whether the buyer's own window has closed by `at`. */
export function hasBuyerWindowClosedAt(order: Pick<OrderContext, 'buyerCancelUntil'>, at: number): boolean {
  return at >= order.buyerCancelUntil;
}
