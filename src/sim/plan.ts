import { uniformInt } from 'pure-rand/distribution/uniformInt';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import type { RandomGenerator } from 'pure-rand/types/RandomGenerator';
import { DAY, MINUTE, OrderLifecycleError, type OrderEventInput, type OrderInput } from '../domain/index.js';

const HOUR = 60 * MINUTE;

/** Thrown when the simulation cannot go on: the sweeper, its clock, could not advance an order; a plan asked too early. */
export class SimulationError extends OrderLifecycleError {
  override name = 'SimulationError';
}

/** Monday 2026-11-23 00:00 UTC: the first simulated day starts here whatever the seed. */
const SIMULATION_START = Date.parse('2026-11-23T00:00:00Z');
/** How far the sweeper moves the clock at a time. */
export const SWEEP_STEP_MS = 15 * MINUTE;
/** When the seller uploads the day's cancellation feed (UTC). */
const FEED_HOUR = 18;

/**
 * What happens to an order, one kind per order. The fractions are of all orders; `normal` takes the rest.
 * Each kind is given to `round(fraction × orders)` orders (at least one each for runs of 100 orders or more).
 */
const scenarioFractions = {
  /** The buyer cancels in Your Orders inside the 30-minute window. */
  buyerSelfCancel: 0.04,
  /** An ORDER_CHANGE notification flags the items (IsBuyerRequestedCancel); the seller cancels with BuyerCanceled. */
  officialRequest: 0.025,
  /** A buyer message with Amazon's standard subject line; the seller cancels with BuyerCanceled. */
  officialMessage: 0.01,
  /** A buyer message with another subject: not official, so the seller's BuyerCanceled cancel counts. */
  messageOnly: 0.015,
  /** The buyer tries to cancel after the window, then asks again after the label was bought; the order ships. */
  lateAsk: 0.02,
  /** The seller has no stock: the whole order is cancelled (NoInventory) through the day's cancellation feed. */
  noInventory: 0.012,
  /** One item is out of stock: cancelled alone (NoInventory), the rest ships. */
  partialCancel: 0.01,
  /** The seller forgets the order: Amazon cancels it 7 days after the latest ship date (the sweeper). */
  forgotten: 0.006,
  /** Label and shipment after the latest ship date. */
  lateShipment: 0.03,
  /** Fulfilled by Amazon: an ORDER_CHANGE notification reports it shipped. */
  afn: 0.05,
  /** Amazon cancels the order itself (ORDER_CHANGE notification, status Canceled). */
  marketplaceCancel: 0.004,
  /** Label and shipment on time. */
  normal: 0,
} as const;
export type ScenarioKind = keyof typeof scenarioFractions;
export const scenarioKinds = Object.keys(scenarioFractions) as ScenarioKind[];

/** An event of the core without its instant (the plan gives it). */
type EventWithoutAt = OrderEventInput extends infer E ? (E extends unknown ? Omit<E, 'at'> : never) : never;

/** One planned action of the simulation, at a virtual instant. */
export type SimAction =
  | { kind: 'place'; at: number; input: OrderInput }
  | { kind: 'apply'; at: number; orderId: string; event: OrderEventInput }
  | { kind: 'notify'; at: number; orderId: string; notification: OrderChangeNotificationBody }
  | {
      kind: 'feed';
      at: number;
      day: number;
      cancellations: Array<{ orderId: string; items: Array<{ orderItemId: string; quantity: number }> }>;
    };

/** An ORDER_CHANGE notification as Amazon sends it (SP-API notifications, NotificationVersion 1.0). */
interface OrderChangeNotificationBody {
  NotificationVersion: '1.0';
  NotificationType: 'ORDER_CHANGE';
  PayloadVersion: '1.0';
  EventTime: string;
  Payload: { OrderChangeNotification: Record<string, unknown> };
  NotificationMetadata: Record<string, string>;
}

/** One planned order: its input, its scenario and the index of its first action. */
interface PlannedOrder {
  index: number;
  input: OrderInput & {
    orderId: string;
    placedAt: number;
    latestShipDate: number;
    items: Array<{ orderItemId: string; sku: string; quantity: number }>;
  };
  scenario: ScenarioKind;
}

/** Everything a run will do, decided by the seed before anything is written. */
export interface SimulationPlan {
  seed: number;
  orders: PlannedOrder[];
  days: number;
  start: number;
  /** End of the last day orders are placed on: `start + days`. */
  weekEnd: number;
  /** The instant the clock stops: every order has settled by then. */
  end: number;
  /** Every action, by instant (ties in planning order). */
  actions: Array<SimAction & { seq: number }>;
  scenarios: Record<ScenarioKind, number>;
}

/** Options of `planSimulation`. */
interface PlanOptions {
  orders: number;
  days: number;
  seed: number;
}

/** The seeded random source: pure-rand's xoroshiro128+, advanced in place. */
class Random {
  private readonly rng: RandomGenerator;
  constructor(seed: number) {
    this.rng = xoroshiro128plus(seed);
  }
  int(min: number, max: number): number {
    return uniformInt(this.rng, min, max);
  }
  /** A whole number of ms in `[min, max]`. */
  between(min: number, max: number): number {
    return this.int(Math.round(min), Math.round(max));
  }
  pick<T>(values: readonly T[]): T {
    return values[this.int(0, values.length - 1)]!;
  }
  chance(perMille: number): boolean {
    return this.int(0, 999) < perMille;
  }
  shuffle<T>(values: T[]): T[] {
    for (let i = values.length - 1; i > 0; i--) {
      const j = this.int(0, i);
      [values[i], values[j]] = [values[j]!, values[i]!];
    }
    return values;
  }
}

/** How many orders get each kind: largest remainders of `fraction × orders`, `normal` the rest. */
function allocate(orders: number): Record<ScenarioKind, number> {
  const kinds = scenarioKinds.filter((kind) => kind !== 'normal');
  const exact = kinds.map((kind) => scenarioFractions[kind] * orders);
  const counts = exact.map((value) => Math.max(Math.floor(value), orders >= 100 ? 1 : 0));
  const byRemainder = kinds
    .map((_, i) => i)
    .sort((a, b) => exact[b]! - Math.floor(exact[b]!) - (exact[a]! - Math.floor(exact[a]!)) || a - b);
  let left = Math.round(exact.reduce((sum, value) => sum + value, 0)) - counts.reduce((sum, value) => sum + value, 0);
  for (const i of byRemainder) {
    if (left <= 0) break;
    if (exact[i]! - counts[i]! > 0) {
      counts[i]! += 1;
      left -= 1;
    }
  }
  const result = Object.fromEntries(kinds.map((kind, i) => [kind, counts[i]!])) as Record<ScenarioKind, number>;
  const taken = counts.reduce((sum, value) => sum + value, 0);
  result.normal = Math.max(0, orders - taken);
  if (taken > orders) {
    // A tiny run: trim the largest kinds until the orders suffice.
    for (let over = taken - orders; over > 0; over--) {
      const largest = kinds.reduce((a, b) => (result[b] > result[a] ? b : a));
      result[largest] -= 1;
    }
  }
  return result;
}

const COLORS = ['RED', 'BLUE', 'GREEN', 'BLACK', 'WHITE', 'GREY', 'PINK', 'TEAL'];
const PRODUCTS = ['MUG', 'TEA', 'PEN', 'LAMP', 'SOCK', 'CAP', 'BAG', 'BOWL', 'KNIFE', 'TOWEL', 'CLOCK', 'VASE'];
const BUYERS = ['Li Wei', 'Emma', 'Noah', 'Zhang Min', 'Olivia', 'Lukas', 'Chen Jie', 'Sofia', 'Mateo', 'Wang Fang'];
const OFFICIAL_SUBJECTS = [
  (name: string) => `Order cancellation request from Amazon customer ${name}`,
  (name: string) => `RE: Order cancellation request from Amazon customer ${name}`,
  (name: string) => `亚马逊买家 ${name} 的订单取消申请`,
];
const OTHER_SUBJECTS = [
  'Please cancel my order',
  'Wrong size, can I cancel?',
  'Ordered twice by mistake',
  '请取消我的订单',
  'Question about my order',
];

/** A planned action and its place in planning order: ties in time go in that order, feeds after orders' actions. */
type Sequenced = SimAction & { seq: number };

/** Feeds sort after every order's action at the same instant: their `seq` starts here, one per day. */
const FEED_SEQ = 2 ** 40;

const before = (a: Sequenced, b: Sequenced) => a.at - b.at || a.seq - b.seq;

/** A binary min-heap of planned actions by instant, then planning order. */
class ActionHeap {
  private readonly items: Sequenced[] = [];
  get size(): number {
    return this.items.length;
  }
  peek(): Sequenced | undefined {
    return this.items[0];
  }
  push(item: Sequenced): void {
    const items = this.items;
    let i = items.push(item) - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (before(items[parent]!, item) <= 0) break;
      items[i] = items[parent]!;
      i = parent;
    }
    items[i] = item;
  }
  pop(): Sequenced | undefined {
    const items = this.items;
    const top = items[0];
    const last = items.pop();
    if (items.length === 0 || last === undefined) return top;
    let i = 0;
    for (;;) {
      const left = 2 * i + 1;
      if (left >= items.length) break;
      const right = left + 1;
      const child = right < items.length && before(items[right]!, items[left]!) < 0 ? right : left;
      if (before(items[child]!, last) >= 0) break;
      items[i] = items[child]!;
      i = child;
    }
    items[i] = last;
    return top;
  }
}

/**
 * The seeded plan of a seller's week, planned a day at a time as the clock reaches it: `orders` orders placed over
 * `days` days, each with a scenario and the actions it brings (buyers, the seller, Amazon's notifications, one
 * cancellation feed per day with stock-outs), every instant virtual. Only the actions planned and not yet taken
 * are held, so a run's memory does not grow with its orders. The same options give the same actions, in the same
 * order, as `planSimulation`.
 * @example
 * const plan = new PlanStream({ orders: 100_000, days: 7, seed: 1 });
 * for (let at = plan.start + SWEEP_STEP_MS; !plan.finished || at <= plan.end; at += SWEEP_STEP_MS) run(plan.takeUntil(at));
 */
export class PlanStream {
  readonly seed: number;
  readonly days: number;
  readonly start = SIMULATION_START;
  /** End of the last day orders are placed on: `start + days`. */
  readonly weekEnd: number;
  readonly scenarios: Record<ScenarioKind, number>;
  readonly orderCount: number;
  /** Actions planned so far. */
  planned = 0;
  private readonly random: Random;
  private readonly kinds: ScenarioKind[];
  private readonly stockOuts: string[];
  private readonly inStock: string[];
  private readonly ids = new Set<string>();
  private readonly feedOrders = new Map<number, Array<{ orderId: string; items: ItemQuantityList }>>();
  private readonly heap = new ActionHeap();
  private nextIndex = 0;
  private nextDay = 0;
  private seq = 0;
  private lastAt: number;
  /** Called with each order as it is planned (planSimulation keeps them). */
  onOrder?: (order: PlannedOrder) => void;

  constructor(options: PlanOptions) {
    const { orders: count, days, seed } = options;
    this.seed = seed;
    this.days = days;
    this.orderCount = count;
    this.random = new Random(seed);
    this.weekEnd = this.start + days * DAY;
    this.lastAt = this.weekEnd;
    const catalog = PRODUCTS.flatMap((product) => COLORS.map((color) => `${product}-${color}`));
    // A few SKUs run out of stock during the week: stock-out cancels fall on them, so they repeat per SKU.
    this.stockOuts = this.random.shuffle([...catalog]).slice(0, 4);
    this.inStock = catalog.filter((sku) => !this.stockOuts.includes(sku));
    this.scenarios = allocate(count);
    this.kinds = this.random.shuffle(
      scenarioKinds.flatMap((kind) => Array.from({ length: this.scenarios[kind] }, () => kind)),
    );
  }

  /** Whether every order is planned (and `end` known). */
  get finished(): boolean {
    return this.nextDay > this.days;
  }

  /** The instant the clock stops: every order has settled by then. Known once `finished`. */
  get end(): number {
    if (!this.finished) throw new SimulationError('The plan has days left to plan: its end is not known yet.');
    return Math.ceil((this.lastAt + 1 - this.start) / SWEEP_STEP_MS) * SWEEP_STEP_MS + this.start;
  }

  /** How many actions the plan has: exact once `finished`, before that the actions per order planned so far. */
  get total(): number {
    if (this.finished || this.nextIndex === 0) return this.planned;
    return (this.planned * this.orderCount) / this.nextIndex;
  }

  /** The actions before `until`, in order; each is handed out once. Plans every day that starts before `until`. */
  takeUntil(until: number): Sequenced[] {
    while (!this.finished && this.start + this.nextDay * DAY < until) this.planDay();
    const taken: Sequenced[] = [];
    while (this.heap.size > 0 && this.heap.peek()!.at < until) taken.push(this.heap.pop()!);
    return taken;
  }

  private push(action: SimAction, seq = this.seq++): void {
    // The action is this stream's own, just made: it takes its `seq` in place. Copies made by spreading each got a
    // hidden class of their own in V8 (30,000 of them held in a 30,000-order run), where these share one per kind.
    const sequenced = action as Sequenced;
    sequenced.seq = seq;
    this.heap.push(sequenced);
    this.lastAt = Math.max(this.lastAt, action.at);
    this.planned++;
  }

  /**
   * Plans the orders of the next day, then the feeds no later order can add to: an order's stock-out is found
   * within 12 hours of its purchase, so it goes out with its own day's feed or a later one.
   */
  private planDay(): void {
    const day = this.nextDay++;
    const { days, orderCount: count } = this;
    while (this.nextIndex < count && Math.floor((this.nextIndex * days) / count) <= day)
      this.planOrder(this.nextIndex++);
    const complete = [...this.feedOrders.keys()]
      .filter((feedDay) => feedDay <= day || this.finished)
      .sort((a, b) => a - b);
    for (const feedDay of complete) {
      this.push(
        { kind: 'feed', at: feedAt(this.start, feedDay), day: feedDay, cancellations: this.feedOrders.get(feedDay)! },
        FEED_SEQ + feedDay,
      );
      this.feedOrders.delete(feedDay);
    }
  }

  private planOrder(index: number): void {
    const { random, start, days, orderCount: count, stockOuts, inStock, ids, feedOrders } = this;
    const scenario = this.kinds[index]!;
    let orderId: string;
    do {
      orderId = `${random.pick(['111', '112', '113', '114'])}-${String(random.int(0, 9_999_999)).padStart(7, '0')}-${String(random.int(0, 9_999_999)).padStart(7, '0')}`;
    } while (ids.has(orderId));
    ids.add(orderId);
    // Orders arrive through the day, more in the evening (UTC) than at night.
    const day = Math.floor((index * days) / count);
    const hour = random.chance(650) ? random.int(8, 23) : random.int(0, 23);
    const placedAt = start + day * DAY + hour * HOUR + random.int(0, HOUR - 1000);
    const handling = random.pick([1, 1, 2, 2, 3]) * DAY;
    const latestShipDate = placedAt + handling;
    const itemCount = scenario === 'partialCancel' ? random.int(2, 3) : random.pick([1, 1, 1, 1, 1, 1, 1, 2, 2, 3]);
    const skus = new Set<string>();
    if (scenario === 'noInventory' || scenario === 'partialCancel') skus.add(random.pick(stockOuts));
    while (skus.size < itemCount) skus.add(random.pick(inStock));
    const items = [...skus].map((sku, i) => ({
      orderItemId: `${orderId.replaceAll('-', '').slice(-10)}${String(i + 1).padStart(4, '0')}`,
      sku,
      quantity: random.pick([1, 1, 1, 2, 3]),
    }));
    const channel = scenario === 'afn' ? 'AFN' : 'MFN';
    const input = {
      orderId,
      placedAt,
      latestShipDate,
      items,
      fulfillmentChannel: channel,
      marketplaceId: 'ATVPDKIKX0DER',
    } as PlannedOrder['input'];
    this.onOrder?.({ index, input, scenario });
    this.push({ kind: 'place', at: placedAt, input });

    // Every call below passes a literal made for it: the event takes its instant in place, as an action its `seq`.
    const apply = (at: number, event: EventWithoutAt) => {
      const timed = event as EventWithoutAt & { at: number };
      timed.at = at;
      this.push({ kind: 'apply', at, orderId, event: timed as OrderEventInput });
    };
    const notify = (at: number, status: string, flagged: boolean, reason?: string) => {
      this.push({
        kind: 'notify',
        at,
        orderId,
        notification: notification(input, at, status, flagged, reason, random),
      });
    };
    const afterWindow = placedAt + 35 * MINUTE;
    const shipOnTime = (from: number) => {
      const label = random.between(
        Math.max(from, afterWindow),
        Math.max(from, afterWindow) + 0.4 * (latestShipDate - Math.max(from, afterWindow)),
      );
      apply(label, { type: 'seller.generateLabel' });
      apply(random.between(label + 5 * MINUTE, label + 0.8 * (latestShipDate - label)), {
        type: 'seller.confirmShipment',
      });
    };
    const name = random.pick(BUYERS);
    switch (scenario) {
      case 'normal':
        shipOnTime(afterWindow);
        break;
      case 'buyerSelfCancel':
        apply(placedAt + random.between(MINUTE, 29 * MINUTE), { type: 'buyer.cancel' });
        break;
      case 'officialRequest': {
        const at = random.between(placedAt + HOUR, placedAt + handling / 3);
        notify(at, 'Unshipped', true, 'Buyer Requested Cancel');
        apply(random.between(at + 10 * MINUTE, at + 4 * HOUR), { type: 'seller.cancel', reason: 'BuyerCanceled' });
        break;
      }
      case 'officialMessage':
      case 'messageOnly': {
        const at = random.between(placedAt + HOUR, placedAt + handling / 3);
        const subject =
          scenario === 'officialMessage' ? random.pick(OFFICIAL_SUBJECTS)(name) : random.pick(OTHER_SUBJECTS);
        apply(at, { type: 'buyer.requestCancellation', source: 'message', subject });
        apply(random.between(at + 10 * MINUTE, at + 4 * HOUR), { type: 'seller.cancel', reason: 'BuyerCanceled' });
        break;
      }
      case 'lateAsk': {
        const tried = random.between(placedAt + 40 * MINUTE, placedAt + 3 * HOUR);
        apply(tried, { type: 'buyer.cancel' });
        const label = random.between(tried + 10 * MINUTE, tried + 0.3 * (latestShipDate - tried));
        apply(label, { type: 'seller.generateLabel' });
        const asked = random.between(label + 5 * MINUTE, label + 0.3 * (latestShipDate - label));
        apply(asked, {
          type: 'buyer.requestCancellation',
          source: 'message',
          subject: random.pick(OFFICIAL_SUBJECTS)(name),
        });
        apply(random.between(asked + 5 * MINUTE, asked + 0.5 * (latestShipDate - asked)), {
          type: 'seller.confirmShipment',
        });
        break;
      }
      case 'noInventory': {
        // The seller finds the shelf empty, and the cancellation goes out with the day's feed.
        const found = random.between(afterWindow, placedAt + 12 * HOUR);
        const feedDay =
          Math.floor((found - start) / DAY) + (found >= feedAt(start, Math.floor((found - start) / DAY)) ? 1 : 0);
        const list = feedOrders.get(feedDay) ?? [];
        list.push({
          orderId,
          items: items.map((item) => ({ orderItemId: item.orderItemId, quantity: item.quantity })),
        });
        feedOrders.set(feedDay, list);
        break;
      }
      case 'partialCancel': {
        const at = random.between(afterWindow, placedAt + 0.3 * handling);
        apply(at, {
          type: 'seller.cancel',
          reason: 'NoInventory',
          items: [{ orderItemId: items[0]!.orderItemId, quantity: items[0]!.quantity }],
        });
        shipOnTime(at + MINUTE);
        break;
      }
      case 'forgotten':
        this.lastAt = Math.max(this.lastAt, latestShipDate + 7 * DAY);
        break;
      case 'lateShipment': {
        const label = random.between(placedAt + 0.5 * handling, placedAt + 0.95 * handling);
        apply(label, { type: 'seller.generateLabel' });
        apply(random.between(latestShipDate + HOUR, latestShipDate + 2 * DAY), { type: 'seller.confirmShipment' });
        break;
      }
      case 'afn':
        notify(random.between(placedAt + 2 * HOUR, placedAt + 30 * HOUR), 'Shipped', false);
        break;
      case 'marketplaceCancel':
        notify(
          random.between(placedAt + HOUR, placedAt + handling / 2),
          'Canceled',
          false,
          'Amazon canceled the order',
        );
        break;
    }
  }
}

type ItemQuantityList = Array<{ orderItemId: string; quantity: number }>;

/** When the seller uploads day `day`'s cancellation feed. */
const feedAt = (start: number, day: number) => start + day * DAY + FEED_HOUR * HOUR;

/**
 * The whole seeded plan of a seller's week at once (see `PlanStream`, which plans it a day at a time): every
 * order and every action, by instant. The same options give the same plan.
 * @example
 * const plan = planSimulation({ orders: 500, days: 7, seed: 1 });
 * plan.actions[0].kind; // 'place'
 */
export function planSimulation(options: PlanOptions): SimulationPlan {
  const stream = new PlanStream(options);
  const orders: PlannedOrder[] = [];
  stream.onOrder = (order) => orders.push(order);
  const actions = stream.takeUntil(Number.POSITIVE_INFINITY);
  // Feeds are numbered after the orders' actions, by day.
  let feeds = 0;
  const ordered = actions.filter((action) => action.kind !== 'feed').length;
  for (const action of actions) if (action.kind === 'feed') action.seq = ordered + feeds++;
  const { seed, days, start, weekEnd, scenarios } = stream;
  return { seed, orders, days, start, weekEnd, end: stream.end, actions, scenarios };
}

/** An ORDER_CHANGE notification for the order's state at `at`, shaped as the SP-API sends it. */
function notification(
  input: PlannedOrder['input'],
  at: number,
  status: string,
  flagged: boolean,
  reason: string | undefined,
  random: Random,
): OrderChangeNotificationBody {
  const shipped = status === 'Shipped';
  const iso = new Date(at).toISOString();
  const published = new Date(at + random.int(1_000, 90_000)).toISOString();
  const hex = (n: number) => Array.from({ length: n }, () => random.int(0, 15).toString(16)).join('');
  const uuid = `${hex(8)}-${hex(4)}-${hex(4)}-${hex(4)}-${hex(12)}`;
  const quantity = input.items.reduce((sum, item) => sum + item.quantity, 0);
  return {
    NotificationVersion: '1.0',
    NotificationType: 'ORDER_CHANGE',
    PayloadVersion: '1.0',
    EventTime: published,
    Payload: {
      OrderChangeNotification: {
        NotificationLevel: 'OrderLevel',
        SellerId: 'A3TH9S8BH6GOGM',
        AmazonOrderId: input.orderId,
        OrderChangeType: flagged ? 'BuyerRequestedChange' : 'OrderStatusChange',
        OrderChangeTrigger: { TimeOfOrderChange: iso, ChangeReason: reason ?? `Order status changed to ${status}` },
        Summary: {
          MarketplaceId: input.marketplaceId,
          OrderStatus: status,
          PurchaseDate: new Date(input.placedAt).toISOString(),
          DestinationPostalCode: String(random.int(10_000, 99_999)),
          FulfillmentType: input.fulfillmentChannel,
          OrderType: 'StandardOrder',
          NumberOfItemsShipped: shipped ? quantity : 0,
          NumberOfItemsUnshipped: shipped ? 0 : quantity,
          EarliestShipDate: new Date(input.placedAt).toISOString(),
          LatestShipDate: new Date(input.latestShipDate).toISOString(),
          OrderPrograms: [],
          ShippingPrograms: [],
          OrderItems: input.items.map((item) => ({
            OrderItemId: item.orderItemId,
            SellerSKU: item.sku,
            SupplySourceId: null,
            // The item status is Shipped or Unshipped in Amazon's model, whatever the order's status.
            OrderItemStatus: shipped ? 'Shipped' : 'Unshipped',
            Quantity: item.quantity,
            QuantityShipped: shipped ? item.quantity : 0,
            IsBuyerRequestedCancel: flagged,
          })),
        },
      },
    },
    NotificationMetadata: {
      ApplicationId: 'amzn1.sellerapps.app.d0e9e693-c3ad-4373-979f-ed4ec98dd746',
      SubscriptionId: 'd0e9e693-c3ad-4373-979f-ed4ec98dd746',
      PublishTime: published,
      NotificationId: uuid,
    },
  };
}
