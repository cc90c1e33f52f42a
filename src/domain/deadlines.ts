import type { OrderContext, OrderStatus } from './schemas.js';

/** What the deadlines depend on: the absolute instants and the marketplace's word on readiness. */
type DeadlineFacts = Pick<OrderContext, 'buyerCancelUntil' | 'autoCancelAt' | 'marketplaceStatus'>;

/** Whether `deadline` has come by `at`: the one comparison every deadline uses (none is due when there is none). */
function isDue(deadline: number | null, at: number): boolean {
  return deadline !== null && at >= deadline;
}

/** Time changes nothing while the marketplace itself reports the order Pending: it waits for the next word. */
const runs = (order: Pick<OrderContext, 'marketplaceStatus'>): boolean => order.marketplaceStatus !== 'pending';

/** The instant the end of the buyer's window moves a Pending order on, or null while the marketplace holds it. */
function windowEnd(order: Pick<OrderContext, 'buyerCancelUntil' | 'marketplaceStatus'>): number | null {
  return runs(order) ? order.buyerCancelUntil : null;
}

/** The auto-cancel instant, or null while there is none (no latest ship date, Amazon ships) or the marketplace holds it. */
function autoCancel(order: Pick<OrderContext, 'autoCancelAt' | 'marketplaceStatus'>): number | null {
  return runs(order) ? order.autoCancelAt : null;
}

/**
 * The instant at which time alone next changes an order in `status`, or null when nothing is due: the end of the
 * buyer's window while the order is Pending, else the auto-cancel instant until it ends. While the marketplace
 * itself reports the order Pending, time changes nothing: the order waits for the marketplace's next word.
 * @example
 * deadlineFor('unshipped', order) === order.autoCancelAt; // true
 */
export function deadlineFor(status: OrderStatus, order: DeadlineFacts): number | null {
  switch (status) {
    case 'buyer-cancellable':
      return windowEnd(order);
    case 'unshipped':
    case 'label-generated':
      return autoCancel(order);
    default:
      return null;
  }
}

/**
 * Whether some deadline the machine's time guards check has come by `at` for an order in `status`: the auto-cancel
 * in any open state, the window's end while Pending. When none has, time alone leaves the status as it is.
 * @example
 * isAnyDeadlineDueAt('unshipped', order, order.autoCancelAt); // true
 */
export function isAnyDeadlineDueAt(status: OrderStatus, order: DeadlineFacts, at: number): boolean {
  if (status !== 'buyer-cancellable' && status !== 'unshipped' && status !== 'label-generated') return false;
  return isDue(autoCancel(order), at) || (status === 'buyer-cancellable' && isDue(windowEnd(order), at));
}

/** Whether the auto-cancel instant has come by `at` (never for orders Amazon ships, nor while Amazon says Pending). */
export function isAutoCancelDueAt(
  order: Pick<OrderContext, 'autoCancelAt' | 'marketplaceStatus'>,
  at: number,
): boolean {
  return isDue(autoCancel(order), at);
}

/** Whether the buyer's window has ended by `at` and moves the order on (not while Amazon says Pending). */
export function isWindowEndDueAt(
  order: Pick<OrderContext, 'buyerCancelUntil' | 'marketplaceStatus'>,
  at: number,
): boolean {
  return isDue(windowEnd(order), at);
}

/** Whether the buyer's own window has closed by `at` (whatever the marketplace says: it is the buyer's time). */
export function hasBuyerWindowClosedAt(order: Pick<OrderContext, 'buyerCancelUntil'>, at: number): boolean {
  return isDue(order.buyerCancelUntil, at);
}
