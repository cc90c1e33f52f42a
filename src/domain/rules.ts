import type { Cancellation, ItemQuantity, OrderContext, OrderEvent, OrderStatus } from './schemas.js';
import { outcomeMessage, refusalMessage, type Message, type RefusalCode } from './messages.js';
import { formatInstant } from './time.js';

/** The answer to an event: accepted, or refused with a code; both with a message in en and zh-CN. */
export interface Verdict {
  accepted: boolean;
  code?: RefusalCode;
  message: Message;
}

type EventOf<T extends OrderEvent['type']> = Extract<OrderEvent, { type: T }>;

const accept = (message: Message): Verdict => ({ accepted: true, message });
const refuse = (code: RefusalCode, params?: Record<string, string | number>): Verdict => ({
  accepted: false,
  code,
  message: refusalMessage(code, params),
});

/** The standard subject lines of an official request (seed), after any reply prefixes such as "RE:". */
const officialSubjects = [/^order cancellation request from amazon customer/i, /^亚马逊买家.*的订单取消申请/];
const replyPrefix = /^\s*(re|fw|fwd|回复|答复|转发)\s*[:：]\s*/i;

/**
 * Whether a buyer's request is official: Amazon's IsBuyerRequestedCancel flag, or a message with the
 * standard subject line ("Order cancellation request from Amazon customer…" / "亚马逊买家…的订单取消申请").
 * Reply prefixes are ignored, since replies change the subject line (seed: "Additional communication…").
 * @example
 * isOfficialRequest({ source: 'message', subject: 'Order cancellation request from Amazon customer Li' }); // true
 */
export function isOfficialRequest(request: { source: 'order-flag' | 'message'; subject?: string | undefined }): boolean {
  if (request.source === 'order-flag') return true;
  let subject = (request.subject ?? '').trim();
  while (replyPrefix.test(subject)) subject = subject.replace(replyPrefix, '');
  return officialSubjects.some((pattern) => pattern.test(subject));
}

/** Whether the event happened before the order was placed. */
export function isBeforePlacement(order: OrderContext, event: OrderEvent): boolean {
  return event.at < order.placedAt;
}

/** Refusals that hold for every event type: before placement, or on an order that is already final. */
function refuseForTimeOrFinalState(order: OrderContext, status: OrderStatus, event: OrderEvent): Verdict | undefined {
  if (isBeforePlacement(order, event)) {
    return refuse('EVENT_BEFORE_PLACEMENT', { at: formatInstant(event.at), placedAt: formatInstant(order.placedAt) });
  }
  if (event.type === 'clock.tick') return undefined;
  if (status === 'shipped') return refuse('ALREADY_SHIPPED');
  if (status === 'canceled' || status === 'auto-canceled') return refuse('ALREADY_CANCELED');
  return undefined;
}

/** Remaining (not cancelled) quantity of each item, in order. */
export function remainingItems(order: OrderContext): ItemQuantity[] {
  return order.items
    .map((item) => ({ orderItemId: item.orderItemId, quantity: item.quantity - item.quantityCanceled }))
    .filter((item) => item.quantity > 0);
}

/** The items a seller cancel names, or every remaining quantity when it names none. */
export function itemsToCancel(order: OrderContext, event: EventOf<'seller.cancel'>): ItemQuantity[] {
  return event.items ?? remainingItems(order);
}

function checkItemIds(order: OrderContext, ids: readonly string[]): Verdict | undefined {
  const unknown = ids.find((id) => !order.items.some((item) => item.orderItemId === id));
  return unknown === undefined ? undefined : refuse('UNKNOWN_ITEM', { orderItemId: unknown, orderId: order.orderId });
}

function checkQuantities(order: OrderContext, items: readonly ItemQuantity[]): Verdict | undefined {
  const unknown = checkItemIds(order, items.map((item) => item.orderItemId));
  if (unknown) return unknown;
  for (const requested of items) {
    const item = order.items.find((candidate) => candidate.orderItemId === requested.orderItemId)!;
    const remaining = item.quantity - item.quantityCanceled;
    if (requested.quantity > remaining) {
      return refuse('QUANTITY_EXCEEDS_REMAINING', { orderItemId: item.orderItemId, requested: requested.quantity, remaining });
    }
  }
  return undefined;
}

/**
 * Whether a cancellation counts against the seller's Cancellation Rate (DESIGN.md "Cancellation and
 * seller metrics"): never for Fulfilled-by-Amazon orders or the buyer's own cancel; for a seller cancel
 * with reason BuyerCanceled only when some cancelled item lacks an official request; always otherwise.
 * @example
 * countsAgainstRate(order, 'seller', 'NoInventory', [{ orderItemId: 'A', quantity: 1 }]); // true
 */
export function countsAgainstRate(
  order: OrderContext,
  by: Cancellation['by'],
  reason: Cancellation['reason'],
  items: readonly ItemQuantity[],
): boolean {
  if (order.fulfillmentChannel === 'AFN') return false;
  if (by === 'buyer') return false;
  if (by === 'system') return true;
  if (reason !== 'BuyerCanceled') return true;
  return !items.every((cancelled) => order.items.find((item) => item.orderItemId === cancelled.orderItemId)?.buyerRequestedCancel);
}

/** The buyer cancels in Your Orders: only inside the window, while Amazon holds the order as Pending. */
export function judgeBuyerCancel(order: OrderContext, status: OrderStatus, event: EventOf<'buyer.cancel'>): Verdict {
  const refused = refuseForTimeOrFinalState(order, status, event);
  if (refused) return refused;
  if (status !== 'buyer-cancellable') return refuse('BUYER_WINDOW_CLOSED');
  return accept(outcomeMessage('buyerCanceled'));
}

/** A buyer's request is recorded while the order can still be cancelled; with a label it is answered "return it". */
export function judgeRequestCancellation(
  order: OrderContext,
  status: OrderStatus,
  event: EventOf<'buyer.requestCancellation'>,
): Verdict {
  const refused = refuseForTimeOrFinalState(order, status, event);
  if (refused) return refused;
  if (status === 'label-generated') return refuse('LABEL_GENERATED');
  const unknown = checkItemIds(order, event.orderItemIds ?? []);
  if (unknown) return unknown;
  return accept(outcomeMessage(isOfficialRequest(event) ? 'officialRequest' : 'nonStandardRequest'));
}

/** The seller may cancel only an unshipped, seller-fulfilled order, and no more than remains of each item. */
export function judgeSellerCancel(order: OrderContext, status: OrderStatus, event: EventOf<'seller.cancel'>): Verdict {
  const refused = refuseForTimeOrFinalState(order, status, event);
  if (refused) return refused;
  if (order.fulfillmentChannel === 'AFN') return refuse('FULFILLED_BY_AMAZON');
  if (status === 'buyer-cancellable') return refuse('ORDER_PENDING');
  if (status === 'label-generated') return refuse('LABEL_GENERATED');
  const items = itemsToCancel(order, event);
  const invalid = checkQuantities(order, items);
  if (invalid) return invalid;
  const quantity = items.reduce((sum, item) => sum + item.quantity, 0);
  const counts = countsAgainstRate(order, 'seller', event.reason, items);
  return accept(outcomeMessage(counts ? 'sellerCanceledCounted' : 'sellerCanceledNotCounted', { quantity, reason: event.reason }));
}

/** A label can be bought once the order leaves Pending and until it ships or is cancelled. */
export function judgeGenerateLabel(order: OrderContext, status: OrderStatus, event: EventOf<'seller.generateLabel'>): Verdict {
  const refused = refuseForTimeOrFinalState(order, status, event);
  if (refused) return refused;
  if (status === 'buyer-cancellable') return refuse('ORDER_PENDING');
  return accept(outcomeMessage('labelGenerated'));
}

/** Voiding a label is allowed but does not reopen cancellation. */
export function judgeVoidLabel(order: OrderContext, status: OrderStatus, event: EventOf<'seller.voidLabel'>): Verdict {
  const refused = refuseForTimeOrFinalState(order, status, event);
  if (refused) return refused;
  if (status !== 'label-generated') return refuse('NO_LABEL');
  return accept(outcomeMessage('labelVoided'));
}

/** Shipment can be confirmed once the order leaves Pending; after the latest ship date it is late. */
export function judgeConfirmShipment(order: OrderContext, status: OrderStatus, event: EventOf<'seller.confirmShipment'>): Verdict {
  const refused = refuseForTimeOrFinalState(order, status, event);
  if (refused) return refused;
  if (status === 'buyer-cancellable') return refuse('ORDER_PENDING');
  return accept(outcomeMessage(isLateShipment(order, event.at) ? 'shippedLate' : 'shipped'));
}

/** Whether a shipment confirmed at `at` is late (after the latest ship date). */
export function isLateShipment(order: OrderContext, at: number): boolean {
  return at > order.latestShipDate;
}

/** Time passing is always accepted, except before the order existed. */
export function judgeClockTick(order: OrderContext, status: OrderStatus, event: EventOf<'clock.tick'>): Verdict {
  return refuseForTimeOrFinalState(order, status, event) ?? accept(outcomeMessage('timePassed', { at: formatInstant(event.at), status }));
}

/**
 * The verdict on an event for an order in `status`, where `status` already reflects every deadline
 * up to the event's `at`. The machine's guards call the same functions.
 * @example
 * judge(order, 'label-generated', { type: 'seller.cancel', at, reason: 'NoInventory' }).code; // 'LABEL_GENERATED'
 */
export function judge(order: OrderContext, status: OrderStatus, event: OrderEvent): Verdict {
  switch (event.type) {
    case 'buyer.cancel':
      return judgeBuyerCancel(order, status, event);
    case 'buyer.requestCancellation':
      return judgeRequestCancellation(order, status, event);
    case 'seller.cancel':
      return judgeSellerCancel(order, status, event);
    case 'seller.generateLabel':
      return judgeGenerateLabel(order, status, event);
    case 'seller.voidLabel':
      return judgeVoidLabel(order, status, event);
    case 'seller.confirmShipment':
      return judgeConfirmShipment(order, status, event);
    case 'clock.tick':
      return judgeClockTick(order, status, event);
  }
}

