import type { OrderContext, OrderStatus } from './schemas.js';

/**
 * The instant at which time alone next changes an order in `status`, or null when nothing is due:
 * the end of the buyer's window while the order is Pending, else the auto-cancel instant until it ends.
 * @example
 * deadlineFor('unshipped', order) === order.autoCancelAt; // true
 */
export function deadlineFor(status: OrderStatus, order: Pick<OrderContext, 'buyerCancelUntil' | 'autoCancelAt'>): number | null {
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
 * auto-cancel falls due. The machine applies the same deadlines through its `placed.*` transitions.
 * @example
 * statusAt('buyer-cancellable', order, order.buyerCancelUntil); // 'unshipped'
 */
export function statusAt(status: OrderStatus, order: Pick<OrderContext, 'buyerCancelUntil' | 'autoCancelAt'>, at: number): OrderStatus {
  let current = status;
  for (let deadline = deadlineFor(current, order); deadline !== null && at >= deadline; deadline = deadlineFor(current, order)) {
    current = current === 'buyer-cancellable' ? 'unshipped' : 'auto-canceled';
  }
  return current;
}

/** Whether the auto-cancel instant has come by `at` (never for orders Amazon ships). */
export function isAutoCancelDueAt(order: Pick<OrderContext, 'autoCancelAt'>, at: number): boolean {
  return order.autoCancelAt !== null && at >= order.autoCancelAt;
}

/** Whether the buyer's own window has closed by `at`. */
export function hasBuyerWindowClosedAt(order: Pick<OrderContext, 'buyerCancelUntil'>, at: number): boolean {
  return at >= order.buyerCancelUntil;
}
