import { AsyncLocalStorage } from 'node:async_hooks';
import {
  DAY,
  OrderStatus,
  sellerMetrics,
  SuppressionTally,
  CANCELLATION_RATE_TARGET,
  LATE_SHIPMENT_RATE_TARGET,
} from '../domain/index.js';
import { orderStatus, type OrderSnapshot } from '../runtime/index.js';
import { applyFeed, buildCancellationFeed, eventsFromNotification } from '../amazon/index.js';
import { createOrderService, type OrderService } from '../service/index.js';
import type { OrderStore } from '../store/index.js';
import {
  PlanStream,
  SWEEP_STEP_MS,
  SimulationError,
  type ScenarioKind,
  type SimAction,
  type SimulationPlan,
} from './plan.js';

/** What the runner saw while it pushed the plan through the service (the store holds the rest). */
export interface SimulationCounters {
  /** Events sent to `service.apply` (the seller's, the buyers', and those of notifications and feeds). */
  events: { applied: number; accepted: number; refused: number };
  /** Refused events by the core's refusal code. */
  refusals: Record<string, number>;
  /** ORDER_CHANGE notifications read with `eventsFromNotification`, and the events they gave. */
  notifications: { received: number; events: number };
  /** Cancellation feeds applied with `applyFeed`, and their processing reports summed. */
  feeds: { applied: number; messages: number; successful: number; errors: number; warnings: number };
  /** Calls of `service.sweep` (one per clock step) and the `clock.tick` events they applied. */
  sweeper: { sweeps: number; ticks: number };
}

/**
 * Counters at zero, before a run.
 * @example
 * const total = workers.reduce((sum, w) => addCounters(sum, w.counters), emptyCounters());
 */
export function emptyCounters(): SimulationCounters {
  return {
    events: { applied: 0, accepted: 0, refused: 0 },
    refusals: {},
    notifications: { received: 0, events: 0 },
    feeds: { applied: 0, messages: 0, successful: 0, errors: 0, warnings: 0 },
    sweeper: { sweeps: 0, ticks: 0 },
  };
}

/**
 * Adds `more` into `into` (workers' counters into one) and returns `into`.
 * @example
 * addCounters(emptyCounters(), runner.counters).events.applied === runner.counters.events.applied; // true
 */
export function addCounters(into: SimulationCounters, more: SimulationCounters): SimulationCounters {
  for (const group of ['events', 'notifications', 'feeds', 'sweeper'] as const) {
    const target = into[group] as Record<string, number>;
    for (const [key, value] of Object.entries(more[group])) target[key] = (target[key] ?? 0) + value;
  }
  for (const [code, value] of Object.entries(more.refusals)) into.refusals[code] = (into.refusals[code] ?? 0) + value;
  return into;
}

/** The virtual clock the service reads (`now`) and the runner moves. */
export interface SimulationClock {
  now: number;
}

/** The planned instant of the request being handled, for the service's clock (see `simulationNow`). */
const requestInstant = new AsyncLocalStorage<number>();

/**
 * The service's `now` in a simulation: the planned instant of the request it is handling (the runner sends each
 * action's requests within it, and it follows them through the store's transaction), or else the clock, which the
 * runner moves for the sweeper. Requests of many orders are in flight at once, so one shared clock value would
 * not do.
 * @example
 * const service = await createOrderService({ store, now: simulationNow(clock) });
 */
export function simulationNow(clock: SimulationClock): () => number {
  return () => requestInstant.getStore() ?? clock.now;
}

/**
 * Pushes the actions of a plan through an order service in virtual time: `runUntil(t)` applies the actions
 * before `t` (each request at its action's instant, see `simulationNow`), `sweep(t)` moves the clock to `t` and
 * lets the service's sweeper fire every deadline due by then. `owns` picks the actions of this runner (workers split
 * the orders; feeds go to one of them).
 * @example
 * const runner = new SimulationRunner(service, plan, clock);
 * await runner.runUntil(plan.start + 15 * 60_000);
 * await runner.sweep(plan.start + 15 * 60_000);
 */
export class SimulationRunner {
  readonly counters = emptyCounters();
  private done = 0;
  private readonly source: ActionSource;
  private readonly seed: number;

  constructor(
    private readonly service: OrderService,
    plan: Pick<SimulationPlan, 'actions' | 'seed'> | PlanStream,
    private readonly clock: SimulationClock,
    private readonly owns: (action: SimAction) => boolean = () => true,
  ) {
    this.source = plan instanceof PlanStream ? plan : arraySource(plan.actions.filter(owns));
    this.seed = plan.seed;
  }

  /**
   * How many of this runner's actions are done, of how many: of a plan planned as the clock goes, the total is
   * the actions planned so far scaled up to every order until the last day is planned.
   */
  get progress(): { done: number; total: number } {
    return { done: this.done, total: Math.max(this.done, Math.round(this.source.total)) };
  }

  /**
   * Applies this runner's actions before `until`. Like a back end's request handlers, it does not wait for one
   * order's request before sending another order's: the actions of one order go to the service one after the
   * other, in time order, and a feed (which names many orders) waits for everything before it and holds back
   * everything after it. A service made with `simulationNow(clock)` records each request at its action's instant.
   */
  async runUntil(until: number): Promise<number> {
    const actions = this.source.takeUntil(until);
    const tails = new Map<string, Promise<void>>();
    const inFlight: Array<Promise<void>> = [];
    let count = 0;
    for (const action of actions) {
      if (!this.owns(action)) continue;
      count++;
      this.done++;
      if (action.kind === 'feed') {
        await settled(inFlight.splice(0));
        tails.clear();
        await this.send(action);
        continue;
      }
      const orderId = action.kind === 'place' ? action.input.orderId : action.orderId;
      const send = () => this.send(action);
      const previous = tails.get(orderId);
      const sent = previous ? previous.then(send) : send();
      tails.set(orderId, sent);
      inFlight.push(sent);
    }
    await settled(inFlight);
    return count;
  }

  /** The sweeper as the clock: moves time to `at` and applies every deadline due by then. */
  async sweep(at: number): Promise<number> {
    this.clock.now = at;
    const result = await this.service.sweep(at);
    if (result.failed.length)
      throw new SimulationError(
        `The sweeper could not advance order ${result.failed[0]!.orderId}: ${result.failed[0]!.message}`,
      );
    this.counters.sweeper.sweeps++;
    this.counters.sweeper.ticks += result.applied;
    return result.applied;
  }

  /** Sends the requests of one action, each recorded at the action's instant (`simulationNow`). */
  private send(action: SimAction): Promise<void> {
    return requestInstant.run(action.at, () => this.run(action));
  }

  private async run(action: SimAction): Promise<void> {
    switch (action.kind) {
      case 'place':
        await this.service.place(action.input);
        return;
      case 'apply':
        this.count((await this.service.apply(action.orderId, action.event)).verdict);
        return;
      case 'notify': {
        // As an SQS consumer gets it: the message body is JSON text.
        const { orderId, events } = eventsFromNotification(JSON.parse(JSON.stringify(action.notification)));
        this.counters.notifications.received++;
        this.counters.notifications.events += events.length;
        for (const event of events) this.count((await this.service.apply(orderId, event)).verdict);
        return;
      }
      case 'feed': {
        const xml = buildCancellationFeed(
          action.cancellations.map((c) => ({ orderId: c.orderId, reason: 'NoInventory' as const, items: c.items })),
          { format: 'xml', merchantIdentifier: 'A3TH9S8BH6GOGM' },
        );
        const report = await applyFeed(this.service, xml, {
          at: action.at,
          feedId: `sim-${this.seed}-day-${action.day + 1}`,
        });
        const summary = report.processingSummary;
        const feeds = this.counters.feeds;
        feeds.applied++;
        feeds.messages += summary.messagesProcessed;
        feeds.successful += summary.messagesSuccessful;
        feeds.errors += summary.messagesWithError;
        feeds.warnings += summary.messagesWithWarning;
        this.counters.events.applied += summary.messagesProcessed;
        this.counters.events.accepted += summary.messagesSuccessful - summary.messagesWithWarning;
        this.counters.events.refused += summary.messagesWithError;
        for (const result of report.results)
          if (result.resultCode === 'Error')
            this.counters.refusals[result.code] = (this.counters.refusals[result.code] ?? 0) + 1;
        return;
      }
    }
  }

  private count(verdict: { accepted: boolean; code?: string }): void {
    this.counters.events.applied++;
    if (verdict.accepted) this.counters.events.accepted++;
    else {
      this.counters.events.refused++;
      const code = verdict.code ?? 'REFUSED';
      this.counters.refusals[code] = (this.counters.refusals[code] ?? 0) + 1;
    }
  }
}

/** Where a runner takes its actions from: a plan's whole list, or a plan planned as the clock goes. */
interface ActionSource {
  /** The actions before `until` not taken yet, in order; each once. */
  takeUntil(until: number): SimAction[];
  /** How many actions there are in all (an estimate while they are still being planned). */
  readonly total: number;
}

/** A list of actions in time order as a source; each is let go once taken. */
function arraySource(actions: SimAction[]): ActionSource {
  let next = 0;
  return {
    total: actions.length,
    takeUntil(until) {
      const from = next;
      while (next < actions.length && actions[next]!.at < until) next++;
      const taken = actions.slice(from, next);
      actions.fill(undefined as never, from, next);
      return taken;
    },
  };
}

/** Waits for every request in flight, then throws the first failure: no request is left running behind an error. */
async function settled(requests: Array<Promise<void>>): Promise<void> {
  const failure = (await Promise.allSettled(requests)).find((result) => result.status === 'rejected');
  if (failure) throw failure.reason;
}

/** Who cancelled, as the figures group it: Amazon's auto-cancel apart from its other cancels. */
type CancelledBy = 'buyer' | 'seller' | 'marketplace' | 'auto';

/** One simulated day's Cancellation Rate: `sellerMetrics` at the end of the day (the 7 days before it). */
interface DailyRate {
  day: number;
  /** The day, `YYYY-MM-DD` (UTC). */
  date: string;
  /** Orders placed that day (all channels). */
  placed: number;
  rate: number;
  canceled: number;
  orders: number;
}

/** The figures of a run; the same seed, orders and days give the same figures. Instants are ISO-8601 (UTC). */
export interface SimulationFigures {
  seed: number;
  orders: number;
  days: number;
  /** First instant of the first day. */
  start: string;
  /** End of the last day orders are placed on: the instant the rates are for. */
  weekEnd: string;
  /** Where the clock stopped: every order had settled. */
  end: string;
  /** Orders per scenario kind, as planned from the seed. */
  scenarios: Record<ScenarioKind, number>;
  /** Orders by final state, from the store. */
  states: Record<OrderStatus, number>;
  /** Cancellation records (a partial cancel is one), by reason and by who; `counted`: those against the rate. */
  cancellations: {
    total: number;
    counted: number;
    byReason: Record<string, number>;
    byWho: Record<CancelledBy, number>;
  };
  events: SimulationCounters['events'];
  refusals: Record<string, number>;
  amazon: { notifications: SimulationCounters['notifications']; feeds: SimulationCounters['feeds'] };
  sweeper: SimulationCounters['sweeper'] & { autoCanceled: number };
  /** `sellerMetrics(…, { now: weekEnd })`: seller-fulfilled orders placed in the week. */
  cancellationRate: { rate: number; canceled: number; orders: number; target: number; healthy: boolean };
  lateShipmentRate: { rate: number; late: number; orders: number; target: number; healthy: boolean; days: number };
  /** SKUs with two or more seller cancellations in a row (listing suppression risks), at `weekEnd`. */
  offersAtRisk: Array<{ sku: string; inARow: number; orderIds: string[] }>;
  daily: DailyRate[];
}

const iso = (ms: number) => new Date(ms).toISOString();

function whoOf(record: { by: string; reason: string }): CancelledBy {
  if (record.reason === 'NotShippedInTime') return 'auto';
  // Amazon cancelled, or the marketplace reported a cancel without saying who (Orders v0 `Canceled`).
  if (record.by === 'system' || record.by === 'unknown') return 'marketplace';
  return record.by as CancelledBy;
}

/** What the figures need of a plan: a few numbers (not its orders or actions, which the run lets go). */
type PlanFacts = Pick<SimulationPlan, 'seed' | 'days' | 'start' | 'weekEnd' | 'end' | 'scenarios'> & {
  orders: { length: number };
};

/**
 * The figures of a run, built page by page from the stored orders (`add`), then `figures(counters)`: it keeps a
 * few numbers per day and per SKU, not the snapshots. The rates are `sellerMetrics`'s on each page, summed (its
 * counts add up over disjoint sets of orders, and the rate is the sums' quotient, as it computes it).
 */
class FiguresTally {
  private readonly plan: PlanFacts;
  private readonly states = Object.fromEntries(OrderStatus.options.map((status) => [status, 0])) as Record<
    OrderStatus,
    number
  >;
  private readonly byWho: Record<CancelledBy, number> = { buyer: 0, seller: 0, marketplace: 0, auto: 0 };
  private readonly byReason: Record<string, number> = {};
  private total = 0;
  private counted = 0;
  private readonly placedPerDay: number[];
  private readonly cancellationRate = { canceled: 0, orders: 0 };
  private readonly lateShipmentRate = { late: 0, orders: 0 };
  private readonly daily: Array<{ canceled: number; orders: number }>;
  private readonly suppression: SuppressionTally;

  constructor(plan: PlanFacts) {
    const { seed, days, start, weekEnd, end, scenarios } = plan;
    this.plan = { seed, days, start, weekEnd, end, scenarios, orders: { length: plan.orders.length } };
    this.placedPerDay = new Array<number>(days).fill(0);
    this.daily = Array.from({ length: days }, () => ({ canceled: 0, orders: 0 }));
    this.suppression = new SuppressionTally(weekEnd);
  }

  /** Adds a page of stored orders (each order once; pages in id order give `sellerMetrics`'s order of ties). */
  add(snapshots: readonly OrderSnapshot[]): void {
    const plan = this.plan;
    for (const snapshot of snapshots) {
      this.states[orderStatus(snapshot)]++;
      const context = snapshot.context;
      const day = Math.floor((context.placedAt - plan.start) / DAY);
      if (day >= 0 && day < plan.days) this.placedPerDay[day]!++;
      for (const record of context.cancellations) {
        this.total++;
        if (record.countsAgainstRate) this.counted++;
        this.byWho[whoOf(record)]++;
        this.byReason[record.reason] = (this.byReason[record.reason] ?? 0) + 1;
      }
    }
    const metrics = sellerMetrics(snapshots, { now: plan.weekEnd });
    this.cancellationRate.canceled += metrics.cancellationRate.canceled;
    this.cancellationRate.orders += metrics.cancellationRate.orders;
    this.lateShipmentRate.late += metrics.lateShipmentRate.last10Days.late;
    this.lateShipmentRate.orders += metrics.lateShipmentRate.last10Days.orders;
    for (const snapshot of snapshots) this.suppression.add(snapshot.context);
    this.daily.forEach((sum, day) => {
      const at = plan.start + (day + 1) * DAY;
      // Only orders placed in the 7 days before `at` are in its Cancellation Rate: the others need no checking.
      const inWindow = snapshots.filter(
        (snapshot) => snapshot.context.placedAt >= at - 7 * DAY && snapshot.context.placedAt < at,
      );
      const rate = sellerMetrics(inWindow, { now: at }).cancellationRate;
      sum.canceled += rate.canceled;
      sum.orders += rate.orders;
    });
  }

  /** The figures of the orders added so far, with the runner's counters. */
  figures(counters: SimulationCounters): SimulationFigures {
    const plan = this.plan;
    const states = { ...this.states };
    const cr = this.cancellationRate;
    const crRate = quotient(cr.canceled, cr.orders);
    const lsr = this.lateShipmentRate;
    const lsrRate = quotient(lsr.late, lsr.orders);
    const daily = this.placedPerDay.map((placed, day): DailyRate => {
      const at = plan.start + (day + 1) * DAY;
      const { canceled, orders } = this.daily[day]!;
      return {
        day: day + 1,
        date: iso(at - DAY).slice(0, 10),
        placed,
        rate: quotient(canceled, orders),
        canceled,
        orders,
      };
    });
    return {
      seed: plan.seed,
      orders: plan.orders.length,
      days: plan.days,
      start: iso(plan.start),
      weekEnd: iso(plan.weekEnd),
      end: iso(plan.end),
      scenarios: plan.scenarios,
      states,
      cancellations: {
        total: this.total,
        counted: this.counted,
        byReason: Object.fromEntries(Object.entries(this.byReason).sort(([a], [b]) => (a < b ? -1 : 1))),
        byWho: { ...this.byWho },
      },
      events: counters.events,
      refusals: Object.fromEntries(Object.entries(counters.refusals).sort(([a], [b]) => (a < b ? -1 : 1))),
      amazon: { notifications: counters.notifications, feeds: counters.feeds },
      sweeper: { ...counters.sweeper, autoCanceled: states['auto-canceled'] },
      cancellationRate: {
        rate: crRate,
        canceled: cr.canceled,
        orders: cr.orders,
        target: CANCELLATION_RATE_TARGET,
        healthy: crRate < CANCELLATION_RATE_TARGET,
      },
      lateShipmentRate: {
        rate: lsrRate,
        late: lsr.late,
        orders: lsr.orders,
        target: LATE_SHIPMENT_RATE_TARGET,
        healthy: lsrRate < LATE_SHIPMENT_RATE_TARGET,
        days: 10,
      },
      offersAtRisk: this.suppression.risks().map(({ sku, cancellations }) => ({
        sku,
        inARow: cancellations.length,
        orderIds: cancellations.map((c) => c.orderId),
      })),
      daily,
    };
  }
}

/** `count / orders`, 0 without orders: `sellerMetrics`'s rate. */
const quotient = (count: number, orders: number) => (orders === 0 ? 0 : count / orders);

/**
 * The figures of a run from the stored orders: states, cancellations, `sellerMetrics` at the end of the week
 * and at the end of each day, and the runner's counters.
 * @example
 * const figures = figuresOf(plan, await storedSnapshots(service), runner.counters);
 */
export function figuresOf(
  plan: PlanFacts,
  snapshots: readonly OrderSnapshot[],
  counters: SimulationCounters,
): SimulationFigures {
  const tally = new FiguresTally(plan);
  for (let from = 0; from < snapshots.length; from += STORED_PAGE) tally.add(snapshots.slice(from, from + STORED_PAGE));
  return tally.figures(counters);
}

/** Orders read from the store at a time for the figures. */
const STORED_PAGE = 1000;

/**
 * `figuresOf` on every stored order, read page by page (1,000 ids a page, each page's reads at once, as
 * `storedSnapshots` does) and let go page by page: memory does not grow with the orders.
 * @example
 * const figures = await storedFigures(plan, service, runner.counters);
 */
export async function storedFigures(
  plan: PlanFacts,
  service: OrderService,
  counters: SimulationCounters,
): Promise<SimulationFigures> {
  const tally = new FiguresTally(plan);
  let afterId: string | undefined;
  for (;;) {
    const page = await service.list({ limit: STORED_PAGE, ...(afterId === undefined ? {} : { afterId }) });
    const stored = await Promise.all(page.map((listing) => service.get(listing.orderId)));
    tally.add(stored.flatMap((order) => (order ? [order.snapshot] : [])));
    if (page.length < STORED_PAGE) return tally.figures(counters);
    afterId = page.at(-1)!.orderId;
  }
}

/** The snapshots a simulation's service keeps in memory unless told otherwise (see `SimulateOptions`). */
const SIMULATION_SNAPSHOT_CACHE = 2_000;

/** Options of `simulate`. */
export interface SimulateOptions {
  /** An empty store: the same seed gives the same figures only from an empty store. */
  store: OrderStore;
  orders: number;
  days: number;
  seed: number;
  /** Called after each clock step with the actions done and planned. */
  onProgress?: (done: number, total: number) => void;
  /**
   * Snapshots the service keeps in memory (its `snapshotCache`), 2,000 when left out (about 2 KB each): the orders
   * written in the last few clock steps, which their next actions often find. The figures do not depend on it.
   */
  snapshotCache?: number;
}

/**
 * Runs a seeded seller's week through the durable order service on `store`: the plan's actions in virtual time,
 * the sweeper as the clock (a sweep every 15 virtual minutes until every order has settled), then the figures.
 * @example
 * const figures = await simulate({ store: new SqliteStore({ filename: 'simulation.db' }), orders: 1000, days: 7, seed: 1 });
 * figures.cancellationRate.rate;
 */
export async function simulate(options: SimulateOptions): Promise<SimulationFigures> {
  const plan = new PlanStream(options);
  const clock: SimulationClock = { now: plan.start };
  // A bounded snapshot cache: the figures read the orders back from the store page by page.
  const service = await createOrderService({
    store: options.store,
    now: simulationNow(clock),
    snapshotCache: options.snapshotCache ?? SIMULATION_SNAPSHOT_CACHE,
  });
  try {
    const runner = new SimulationRunner(service, plan, clock);
    await runClock(plan, async (at) => {
      await runner.runUntil(at);
      await runner.sweep(at);
      options.onProgress?.(runner.progress.done, runner.progress.total);
    });
    const { seed, days, start, weekEnd, end, scenarios } = plan;
    const tally = { seed, days, start, weekEnd, end, scenarios, orders: { length: plan.orderCount } };
    return await storedFigures(tally, service, runner.counters);
  } finally {
    await service.close();
  }
}

/**
 * Calls `step(at)` for every clock step of the plan (every 15 virtual minutes), from the first step to the end.
 * @example
 * await runClock(plan, async (at) => { await runner.runUntil(at); await runner.sweep(at); });
 */
export async function runClock(
  plan: Pick<SimulationPlan, 'start' | 'end'> | PlanStream,
  step: (at: number) => Promise<void>,
): Promise<void> {
  // A plan still being planned ends after its last order's day, which the clock has not reached yet.
  const unfinished = () => plan instanceof PlanStream && !plan.finished;
  for (let at = plan.start + SWEEP_STEP_MS; unfinished() || at <= plan.end; at += SWEEP_STEP_MS) await step(at);
}
