import {
  applyEvent,
  createOrder,
  createOrderActor,
  restoreOrder,
  serializeOrder,
  type OrderActor,
  type OrderActorOptions,
  type OrderInput,
  type OrderSnapshot,
} from 'order-lifecycle';

/** Orders live in localStorage as `serializeOrder` text, one key per order, and a list of their ids. */
const INDEX_KEY = 'seller-console/orders';
const orderKey = (orderId: string) => `seller-console/order/${orderId}`;

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** Saves one order's snapshot and makes sure its id is listed. */
export function saveOrder(snapshot: OrderSnapshot): void {
  const { orderId } = snapshot.context;
  localStorage.setItem(orderKey(orderId), serializeOrder(snapshot));
  const ids = storedIds();
  if (!ids.includes(orderId)) localStorage.setItem(INDEX_KEY, JSON.stringify([...ids, orderId]));
}

function storedIds(): string[] {
  try {
    const ids: unknown = JSON.parse(localStorage.getItem(INDEX_KEY) ?? '[]');
    return Array.isArray(ids) ? ids.filter((id): id is string => typeof id === 'string') : [];
  } catch {
    return [];
  }
}

export interface LoadedOrders {
  snapshots: OrderSnapshot[];
  /** One line per stored order that `restoreOrder` refused (its text is left in storage, untouched). */
  errors: string[];
}

/** Restores every stored order with `restoreOrder`; on first visit, stores a few demo orders first. */
export function loadOrders(now: number): LoadedOrders {
  if (localStorage.getItem(INDEX_KEY) === null) for (const snapshot of demoOrders(now)) saveOrder(snapshot);
  const snapshots: OrderSnapshot[] = [];
  const errors: string[] = [];
  for (const id of storedIds()) {
    const text = localStorage.getItem(orderKey(id));
    if (text === null) continue;
    try {
      snapshots.push(restoreOrder(text));
    } catch (error) {
      errors.push(`${id}: ${(error as Error).message}`);
    }
  }
  return { snapshots, errors };
}

/** Forgets every stored order (the next load stores the demo orders again). */
export function clearOrders(): void {
  for (const id of storedIds()) localStorage.removeItem(orderKey(id));
  localStorage.removeItem(INDEX_KEY);
}

const items = (): OrderInput['items'] => [
  { orderItemId: 'A', sku: 'MUG-RED', quantity: 2 },
  { orderItemId: 'B', sku: 'MUG-BLUE', quantity: 1 },
];

/** A new order placed at `now`, shipping within two days. */
export function newOrderInput(now: number, orderId: string): OrderInput {
  return { orderId, placedAt: now, latestShipDate: now + 2 * DAY, items: items() };
}

/**
 * Demo orders relative to `now`: one still inside the buyer's 30-minute window, one unshipped, one with an
 * official buyer request for item A, and one whose auto-cancel falls within the hour.
 */
export function demoOrders(now: number): OrderSnapshot[] {
  const windowOpen = createOrder(newOrderInput(now - 10 * MINUTE, '113-0000001-0000001')).snapshot;
  const unshipped = createOrder(newOrderInput(now - 45 * MINUTE, '113-0000002-0000002')).snapshot;
  let requested = createOrder(newOrderInput(now - 2 * HOUR, '113-0000003-0000003')).snapshot;
  requested = applyEvent(requested, {
    type: 'buyer.requestCancellation',
    at: now - HOUR,
    source: 'order-flag',
    orderItemIds: ['A'],
    reason: 'Ordered the wrong colour',
  }).snapshot;
  // Auto-cancel = latest ship date + 7 days (the default policy): here 50 minutes from now.
  const late = createOrder({
    orderId: '113-0000004-0000004',
    placedAt: now - 8 * DAY,
    latestShipDate: now - 7 * DAY + 50 * MINUTE,
    items: [{ orderItemId: 'A', sku: 'TEAPOT', quantity: 1 }],
  }).snapshot;
  return [windowOpen, unshipped, requested, late];
}

/** Starts a live actor for a snapshot; it wakes itself at the order's deadlines and saves every change. */
export function startActor(snapshot: OrderSnapshot, options: Pick<OrderActorOptions, 'inspect'> = {}): OrderActor {
  const actor = createOrderActor(snapshot, options);
  actor.subscribe((next) => saveOrder(next));
  // A deadline that passed while the page was closed may already have been applied as the actor started.
  saveOrder(actor.getSnapshot());
  return actor;
}

/** Starts a live actor for a new order from its input, so an inspector shows it from its creation; saves every change. */
export function startNewActor(input: OrderInput, options: Pick<OrderActorOptions, 'inspect'> = {}): OrderActor {
  const actor = createOrderActor(input, options);
  actor.subscribe((next) => saveOrder(next));
  saveOrder(actor.getSnapshot());
  return actor;
}
