import type { AnyStateMachine } from 'xstate';
import type { OrderMachine } from '../../machines/order/index.js';
import type { OrderEventInput, OrderInput } from '../domain/index.js';
import { applyEvent, createOrder, type OrderSnapshot, type RecordedOrder } from '../runtime/index.js';
import type { DriverSnapshot, VerdictLike } from './drivers.js';
import { OrderCheckError } from './errors.js';
import {
  invariantNames,
  invariantProperties,
  machineStepper,
  type InvariantName,
  type OrderStepper,
} from './invariants.js';
import { createModelOrder, stepModel, type ModelEvent, type ModelInput, type ModelOrder } from './model.js';
import { assertEqual, normalizeEffects, observeModel, observeSnapshot } from './observe.js';

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
const PLACED_AT = Date.UTC(2026, 10, 26, 2);

/**
 * The orders the exhaustive check starts from by default: a seller-fulfilled order of two items (one of them
 * twice, so that a partial cancel or shipment leaves some of an item open) with a latest ship date a day after
 * purchase, one whose latest ship date Amazon has not given yet, and one Amazon fulfils (AFN).
 * @example
 * checkOrderMachineExhaustively(orderMachine, { depth: 2, inputs: [exhaustiveOrderInputs[0]!] });
 */
export const exhaustiveOrderInputs: readonly OrderInput[] = [
  {
    orderId: '111-0000001-0000001',
    placedAt: PLACED_AT,
    latestShipDate: PLACED_AT + DAY,
    fulfillmentChannel: 'MFN',
    items: [
      { orderItemId: 'A', quantity: 2 },
      { orderItemId: 'B', quantity: 1 },
    ],
  },
  {
    orderId: '111-0000002-0000002',
    placedAt: PLACED_AT,
    fulfillmentChannel: 'MFN',
    items: [{ orderItemId: 'A', quantity: 1 }],
  },
  {
    orderId: '111-0000003-0000003',
    placedAt: PLACED_AT,
    latestShipDate: PLACED_AT + DAY,
    fulfillmentChannel: 'AFN',
    items: [{ orderItemId: 'A', quantity: 1 }],
  },
];

/** Options of `checkOrderMachineExhaustively`. */
export interface ExhaustiveCheckOptions {
  /** Every sequence of up to this many events is explored. */
  depth: number;
  /** The orders to start from; `exhaustiveOrderInputs` by default. */
  inputs?: readonly OrderInput[];
  /** The policy your app gives every order; the reference model uses the same deadlines. */
  policy?: { buyerCancelWindowMs?: number; autoCancelAfterMs?: number };
  /** Which invariants to run; all by default. */
  invariants?: readonly InvariantName[];
  /** Compare with the reference model: `'strict'` (default), `'states'` (no effects or refusal codes), or `false`. */
  model?: 'strict' | 'states' | false;
  /** The verdict on an event, for an app that replaced guards; by default the machine's own decision (`applyEvent`). */
  verdict?: (snapshot: DriverSnapshot, event: OrderEventInput) => VerdictLike;
  /** Where the summary line goes (`console.log` by default); `false` prints nothing. */
  log?: ((line: string) => void) | false;
}

/** What an exhaustive check explored: distinct abstract states, transitions checked, and the depth. */
export interface ExhaustiveCheckResult {
  states: number;
  transitions: number;
  depth: number;
}

/**
 * Thrown by the exhaustive check: the check that failed, and the shortest sequence of events that makes it fail,
 * as a recording `order-lifecycle replay` and `replayRecording` accept (`checkOrderRecording` replays the failure).
 * @example
 * try { checkOrderMachineExhaustively(appMachine, { depth: 3 }); }
 * catch (e) { if (e instanceof OrderCounterexampleError) writeFileSync('counterexample.json', JSON.stringify(e.recording)); }
 */
export class OrderCounterexampleError extends OrderCheckError {
  override name = 'OrderCounterexampleError';
  constructor(
    /** The failing check: an invariant's name, or the comparison with the reference model. */
    readonly check: string,
    /** The order and the events that make the check fail, shortest first. */
    readonly recording: RecordedOrder,
    /** Why the check failed. */
    readonly reason: string,
  ) {
    super(
      `"${check}" fails after ${recording.events.length} event${recording.events.length === 1 ? '' : 's'} ` +
        `(${describeEvent(recording.events[recording.events.length - 1])}): ${reason}\n` +
        `Recording (order-lifecycle replay): ${JSON.stringify(recording)}`,
    );
  }
}

const MODEL_CHECK = 'agrees with the reference model';
const MACHINE_CHECK = 'steps without throwing';
/** The invariant that reads the history of official requests, not only the state: it walks the whole path. */
const PATH_INVARIANT: InvariantName =
  'every cancellation has a reason and exactly the metric flag DESIGN.md prescribes';
/** Invariants about states, not events: checked once in every distinct state. */
const STATE_INVARIANTS: readonly InvariantName[] = [
  'nextDeadline never lies',
  'malformed events are refused with an error and never corrupt a snapshot',
];
/** Malformed events tried in every state: an unknown type, an empty partial cancel. */
const MALFORMED: readonly unknown[] = [
  { type: 'buyer.explode', at: 0 },
  { type: 'seller.cancel', at: 0, reason: 'NoInventory', items: [] },
];

function describeEvent(event: Record<string, unknown> | undefined): string {
  return event === undefined ? 'the new order' : JSON.stringify(event);
}

/** One kind of event with its variant; the instant is filled in per state. */
interface EventKind {
  fact: boolean;
  /** Whether the latest ship date matters to it (a shipment is late after it; a report may change it). */
  shipping: boolean;
  /** Whether it is also sent with an event id (a redelivery is any event with an id the order has seen). */
  withId: boolean;
  at(at: number, eventId?: string): OrderEventInput;
}

/**
 * The abstract events: every event type with the variants the rules tell apart (reasons, whole or partial,
 * official or not, the marketplace's facts by who and what).
 */
function eventKinds(input: OrderInput): EventKind[] {
  const first = input.items[0]!.orderItemId;
  const last = input.items[input.items.length - 1]!.orderItemId;
  const firstQuantity = input.items[0]!.quantity;
  const placedAt = typeof input.placedAt === 'number' ? input.placedAt : Date.parse(String(input.placedAt));
  const several = input.items.length > 1;
  const command = (event: Record<string, unknown>, withId = false): EventKind => ({
    fact: String(event['type']).startsWith('marketplace.'),
    shipping: /Shipment|orderShipped|statusReported/.test(String(event['type'])),
    withId,
    at: (at, eventId) => ({ ...event, at, ...(eventId === undefined ? {} : { eventId }) }) as OrderEventInput,
  });
  const kinds = [
    command({ type: 'buyer.cancel' }),
    command({ type: 'buyer.requestCancellation', source: 'order-flag' }, true),
    ...(several ? [command({ type: 'buyer.requestCancellation', source: 'order-flag', orderItemIds: [first] })] : []),
    command({ type: 'buyer.requestCancellation', source: 'message', subject: 'Please cancel my order' }),
    command({ type: 'seller.cancel', reason: 'BuyerCanceled' }),
    command({ type: 'seller.cancel', reason: 'BuyerCanceled', items: [{ orderItemId: first, quantity: 1 }] }, true),
    command({ type: 'seller.cancel', reason: 'NoInventory', items: [{ orderItemId: first, quantity: firstQuantity }] }),
    command({ type: 'seller.generateLabel' }),
    command({ type: 'seller.voidLabel' }),
    command({ type: 'seller.confirmShipment' }),
    command({ type: 'seller.confirmShipment', items: [{ orderItemId: first, quantity: 1 }] }, true),
    command({ type: 'clock.tick' }),
    command({ type: 'marketplace.orderCanceled', cancelledBy: 'buyer' }),
    command({
      type: 'marketplace.orderCanceled',
      cancelledBy: 'seller',
      reason: 'BuyerCanceled',
      items: [{ orderItemId: last, quantity: 1 }],
    }),
    command({ type: 'marketplace.orderCanceled', cancelledBy: 'amazon' }),
    command({ type: 'marketplace.orderShipped', items: [{ orderItemId: first, quantity: 1 }] }, true),
    command({ type: 'marketplace.orderShipped' }),
    command({ type: 'marketplace.statusReported', status: 'pending' }),
    command({ type: 'marketplace.statusReported', status: 'unshipped' }),
    // Amazon names (or moves earlier) the latest ship date: a deadline that may already be past.
    command({ type: 'marketplace.statusReported', status: 'unshipped', latestShipDate: placedAt }),
  ];
  return kinds;
}

/**
 * The instants that matter for an event on an order as the reference model sees it: before placement, placement,
 * the end of the buyer's window (1 ms before, at, 1 ms after), the auto-cancel (1 ms before, at, 1 ms after; a month
 * on when there is none), the latest ship date (at, 1 ms after) for events it matters to, the order's clock and 1 ms
 * before it (a late event). Commands earlier than the clock are all judged at the clock, so only the late instant
 * and one before placement are kept for them; facts are recorded at their own instants, so they get every one. An
 * ended order takes no transition: only whether an event is before placement, late or not tells its answers apart.
 */
function instantsFor(order: ModelOrder, kind: EventKind): number[] {
  const { placedAt, windowEnd, latestShipDate, autoCancelAt, clock } = order;
  const now = [placedAt - 1, clock - 1, clock];
  if (FINAL.includes(order.status)) return [...new Set(now.filter((at) => at >= 0))].sort((a, b) => a - b);
  const all = [...now, placedAt, windowEnd - 1, windowEnd, windowEnd + 1];
  if (latestShipDate !== null && kind.shipping) all.push(latestShipDate, latestShipDate + 1);
  if (autoCancelAt !== null) all.push(autoCancelAt - 1, autoCancelAt, autoCancelAt + 1);
  else all.push(Math.max(clock, windowEnd) + 30 * DAY);
  const kept = kind.fact ? all : all.filter((at) => at >= clock || at === placedAt - 1 || at === clock - 1);
  return [...new Set(kept.filter((at) => at >= 0))].sort((a, b) => a - b);
}

const FINAL: readonly ModelOrder['status'][] = ['shipped', 'canceled', 'auto-canceled'];

/** The context's and the model's fields that hold instants an event brought (deadlines are kept exactly). */
const INSTANT_FIELDS = new Set([
  'at',
  'occurredAt',
  'clock',
  'marketplaceStatusAt',
  'labelGeneratedAt',
  'labelOccurredAt',
  'shippedAt',
  'shipmentOccurredAt',
]);

/**
 * A state's abstract key: the state and every field of the context and of the model, with each instant an event
 * brought replaced by its time class (the answers of every deadline comparison the rules make: before placement,
 * at or after the window's end, after the latest ship date, at or after the auto-cancel) and its rank among the
 * state's other instants of that class. Two states with the same key differ only in where, inside a time class,
 * their instants lie; no guard and no rule can tell them apart, and their instants compare alike with each other.
 */
function abstractKey(order: ModelOrder, state: unknown): string {
  const instants = new Set<number>();
  JSON.stringify(state, (key, value: unknown) => {
    if (INSTANT_FIELDS.has(key) && typeof value === 'number') instants.add(value);
    return value;
  });
  const { placedAt, windowEnd, latestShipDate, autoCancelAt } = order;
  // Each deadline comparison's answer; and placement itself, the one instant nothing can come late after.
  const classOf = (at: number): string =>
    [
      at < placedAt,
      at === placedAt,
      at >= windowEnd,
      latestShipDate !== null && at > latestShipDate,
      autoCancelAt !== null && at >= autoCancelAt,
    ]
      .map(Number)
      .join('');
  const sorted = [...instants].sort((a, b) => a - b);
  const names = new Map<number, string>();
  const ranks = new Map<string, number>();
  for (const at of sorted) {
    const time = classOf(at);
    const rank = ranks.get(time) ?? 0;
    ranks.set(time, rank + 1);
    names.set(at, `${time}#${rank}`);
  }
  return JSON.stringify(state, (key, value: unknown) =>
    INSTANT_FIELDS.has(key) && typeof value === 'number' ? names.get(value) : value,
  );
}

/** A reached state: the machine's snapshot, the model's order and the shortest path that reached them. */
interface Node {
  input: OrderInput;
  snapshot: DriverSnapshot;
  model: ModelOrder;
  path: OrderEventInput[];
}

type Step = ReturnType<OrderStepper['step']>;

/** A check that failed on the last event of `path`. */
class Failure {
  constructor(
    readonly check: string,
    readonly reason: string,
  ) {}
}

const reasonOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/**
 * Steps, the invariants and the comparison with the reference model for one machine, shared by the exhaustive
 * walk and by `checkOrderRecording`.
 */
class EdgeChecker {
  private readonly stepper: OrderStepper;
  /** Steps already taken from a snapshot on a shortest path (by event), so that a walk along it takes none again. */
  private readonly steps = new WeakMap<object, Map<unknown, Step>>();
  /** Ticks from a snapshot by instant: the invariants compare many refused events of one instant with the same tick. */
  private readonly ticks = new WeakMap<object, Map<number, Step>>();
  /** Inputs that stand for "resume from this snapshot" in a one-event scenario of the invariants. */
  private readonly resume = new WeakMap<object, DriverSnapshot>();
  private readonly roots = new Map<OrderInput, DriverSnapshot>();
  private readonly kindsOf = new Map<OrderInput, EventKind[]>();
  private readonly properties: ReturnType<typeof invariantProperties>;
  private readonly edgeInvariants: InvariantName[];
  private readonly stateInvariants: InvariantName[];

  constructor(
    machine: AnyStateMachine,
    private readonly options: Omit<ExhaustiveCheckOptions, 'depth'>,
  ) {
    const inner: OrderStepper = options.verdict
      ? machineStepper(machine, options.verdict)
      : {
          label: `machine "${machine.id}"`,
          create: (input) => createOrder(input as OrderInput, { machine: machine as unknown as OrderMachine }).snapshot,
          step: (snapshot, event) => applyEvent(snapshot as OrderSnapshot, event as OrderEventInput),
        };
    this.stepper = {
      label: inner.label,
      create: (input) => this.resume.get(input as object) ?? this.roots.get(input as OrderInput) ?? inner.create(input),
      step: (snapshot, event) => {
        const taken = this.steps.get(snapshot)?.get(event);
        if (taken) return taken;
        const { type, at, eventId } = event as { type?: unknown; at?: unknown; eventId?: unknown };
        if (type !== 'clock.tick' || typeof at !== 'number' || eventId !== undefined)
          return inner.step(snapshot, event);
        let ticks = this.ticks.get(snapshot);
        if (!ticks) this.ticks.set(snapshot, (ticks = new Map()));
        let tick = ticks.get(at);
        if (!tick) ticks.set(at, (tick = inner.step(snapshot, event)));
        return tick;
      },
    };
    this.properties = invariantProperties(this.stepper, options.policy ? { policy: options.policy } : {});
    const names = options.invariants ?? invariantNames;
    this.edgeInvariants = names.filter((name) => !STATE_INVARIANTS.includes(name));
    this.stateInvariants = names.filter((name) => STATE_INVARIANTS.includes(name));
  }

  /** The order as created: the input with the check's policy laid over its own, so that its recording carries it. */
  placed(input: OrderInput): OrderInput {
    const { policy } = this.options;
    return policy ? { ...input, policy: { ...input.policy, ...policy } } : input;
  }

  /** The new order (from `placed`), checked like any reached state. */
  start(input: OrderInput): Node | Failure {
    let snapshot: DriverSnapshot;
    try {
      snapshot = this.stepper.create(input);
    } catch (error) {
      return new Failure(MACHINE_CHECK, reasonOf(error));
    }
    this.roots.set(input, snapshot);
    const model = createModelOrder(input as ModelInput, this.options.policy);
    const node: Node = { input, snapshot, model, path: [] };
    if (this.options.model !== false) {
      try {
        assertEqual(observeSnapshot(snapshot), observeModel(model), 'The new order and the reference model');
      } catch (error) {
        return new Failure(MODEL_CHECK, reasonOf(error));
      }
    }
    return this.checkState(node) ?? node;
  }

  /** The events to try in a state: every kind at every instant that matters, and each kind again with an id. */
  events(node: Node): OrderEventInput[] {
    const events: OrderEventInput[] = [];
    for (const kind of this.kinds(node.input)) {
      for (const at of instantsFor(node.model, kind)) events.push(kind.at(at));
      // A redelivery is any event with an id the order has seen: one id on several kinds makes them common.
      if (kind.withId) events.push(kind.at(node.model.clock, 'evt-1'));
    }
    return events;
  }

  /** Steps `event` from `node`, compares with the model and checks every invariant of that step. */
  step(node: Node, event: OrderEventInput): Node | Failure {
    let result: Step;
    try {
      result = this.stepper.step(node.snapshot, event);
    } catch (error) {
      return new Failure(MACHINE_CHECK, reasonOf(error));
    }
    const expected = stepModel(node.model, event as ModelEvent);
    const child: Node = {
      input: node.input,
      snapshot: result.snapshot,
      model: expected.order,
      path: [...node.path, event],
    };
    if (this.options.model !== false) {
      try {
        this.compare(result, expected);
      } catch (error) {
        return new Failure(MODEL_CHECK, reasonOf(error));
      }
    }
    // The walk of the path-reading invariant finds this step already taken.
    let taken = this.steps.get(node.snapshot);
    if (!taken) this.steps.set(node.snapshot, (taken = new Map()));
    taken.set(event, result);
    for (const name of this.edgeInvariants) {
      const scenario =
        name === PATH_INVARIANT
          ? { input: node.input, events: child.path }
          : { input: this.resumeFrom(node), events: [event] };
      const failure = this.run(name, [scenario]);
      if (failure) return failure;
    }
    return child;
  }

  /** Keeps the step for later walks along a shortest path, or forgets it. */
  keep(node: Node, event: OrderEventInput, kept: boolean): void {
    if (!kept) this.steps.get(node.snapshot)?.delete(event);
  }

  /** The invariants about a state alone, checked once in every distinct state. */
  checkState(node: Node): Failure | undefined {
    for (const name of this.stateInvariants) {
      const scenario = { input: this.resumeFrom(node), events: [] };
      const failure = this.run(name, name === STATE_INVARIANTS[1] ? [scenario, MALFORMED] : [scenario]);
      if (failure) return failure;
    }
    return undefined;
  }

  /**
   * A state's abstract key (`abstractKey`): states with the same key are explored once. An ended order takes no
   * transition and answers every event from its state, its clock, its ids, and whether anything of it was cancelled
   * or is open: its key is only these.
   */
  key(node: Node): string {
    const { value, status, context } = node.snapshot;
    if (status !== 'active') {
      const { placedAt, clock, eventIds, cancellations, items } = context;
      const open = items.some((item) => item.quantity > item.quantityCanceled + item.quantityShipped);
      const ended = { placedAt, clock, eventIds, cancelled: cancellations.length > 0, open };
      return abstractKey(node.model, [value, status, ended, node.model.status]);
    }
    return abstractKey(node.model, [value, status, context, node.model]);
  }

  private kinds(input: OrderInput): EventKind[] {
    let kinds = this.kindsOf.get(input);
    if (!kinds) this.kindsOf.set(input, (kinds = eventKinds(input)));
    return kinds;
  }

  private resumeFrom(node: Node): OrderInput {
    const token = { ...node.input };
    this.resume.set(token, node.snapshot);
    return token;
  }

  private run(name: InvariantName, args: unknown[]): Failure | undefined {
    const property = this.properties[name] as unknown as {
      run(args: unknown[]): { error: unknown } | null;
      runBeforeEach(): void;
      runAfterEach(): void;
    };
    property.runBeforeEach();
    const outcome = property.run(args);
    property.runAfterEach();
    return outcome && 'error' in outcome ? new Failure(name, reasonOf(outcome.error)) : undefined;
  }

  private compare(result: Step, expected: ReturnType<typeof stepModel>): void {
    const strict = this.options.model !== 'states';
    // Equal JSON is equal; only different JSON needs assertEqual's key-order-blind comparison (and its message).
    const agree = <T>(actual: T, expected: T, what: string) => {
      if (JSON.stringify(actual) !== JSON.stringify(expected)) assertEqual(actual, expected, what);
    };
    agree(observeSnapshot(result.snapshot), observeModel(expected.order), 'The machine and the reference model');
    if (strict) agree(normalizeEffects(result.effects), expected.effects, 'Effects of the machine and the model');
    const verdict = (v: VerdictLike) => ({
      accepted: v.accepted,
      late: v.late === true,
      duplicate: v.duplicate === true,
      ...(strict && !v.accepted ? { code: v.code } : {}),
    });
    agree(verdict(result.verdict), verdict(expected.verdict), 'Verdicts of the machine and the model');
  }
}

const counterexample = (node: Node, failure: Failure, event?: OrderEventInput): OrderCounterexampleError =>
  new OrderCounterexampleError(
    failure.check,
    {
      input: node.input as unknown as Record<string, unknown>,
      events: [...node.path, ...(event ? [event] : [])] as unknown as Record<string, unknown>[],
    },
    failure.reason,
  );

/**
 * Proves the order invariants and the agreement with the reference model up to a bound: from each input, every
 * sequence of up to `depth` abstract events (each event type with its variants, at every instant that matters:
 * each deadline exactly and 1 ms either side, late, before placement, with and without an `eventId`) is explored
 * breadth-first, states reached twice are explored once, and every step is checked. Returns (and logs) how many
 * distinct states and transitions it explored; throws `OrderCounterexampleError` with the shortest counterexample.
 * @example
 * const { states, transitions } = checkOrderMachineExhaustively(orderMachine.provide({ ... }), { depth: 3 });
 */
export function checkOrderMachineExhaustively(
  machine: AnyStateMachine,
  options: ExhaustiveCheckOptions,
): ExhaustiveCheckResult {
  if (!Number.isInteger(options.depth) || options.depth < 0)
    throw new OrderCheckError(
      `The exhaustive check's depth must be a whole number of events, 0 or more (got ${String(options.depth)}).`,
    );
  const started = Date.now();
  const checker = new EdgeChecker(machine, options);
  const seen = new Set<string>();
  let level: Node[] = [];
  for (const given of options.inputs ?? exhaustiveOrderInputs) {
    const input = checker.placed(given);
    const root = checker.start(input);
    if (root instanceof Failure)
      throw counterexample({ input, snapshot: undefined as never, model: undefined as never, path: [] }, root);
    const key = checker.key(root);
    if (!seen.has(key)) {
      seen.add(key);
      level.push(root);
    }
  }
  let transitions = 0;
  for (let depth = 1; depth <= options.depth; depth++) {
    const next: Node[] = [];
    // The last level's states are checked but not explored: nothing walks on from them.
    const last = depth === options.depth;
    for (const node of level) {
      for (const event of checker.events(node)) {
        transitions++;
        const child = checker.step(node, event);
        if (child instanceof Failure) throw counterexample(node, child, event);
        const key = checker.key(child);
        const fresh = !seen.has(key);
        checker.keep(node, event, fresh && !last);
        if (!fresh) continue;
        seen.add(key);
        const failure = checker.checkState(child);
        if (failure) throw counterexample(child, failure);
        if (!last) next.push(child);
      }
    }
    level = next;
  }
  const result = { states: seen.size, transitions, depth: options.depth };
  const log = options.log === undefined ? console.log : options.log;
  if (log)
    log(
      `${machine.id}: exhaustive check to depth ${result.depth}: ${result.states} abstract states, ` +
        `${result.transitions} transitions, ${((Date.now() - started) / 1000).toFixed(1)} s`,
    );
  return result;
}

/**
 * Replays a recording (an `OrderCounterexampleError`'s, or any `{ input, events }`) on `machine` with every check
 * of the exhaustive check at every step; throws the same `OrderCounterexampleError` where one fails.
 * @example
 * checkOrderRecording(appMachine, JSON.parse(readFileSync('counterexample.json', 'utf8')));
 */
export function checkOrderRecording(
  machine: AnyStateMachine,
  recording: RecordedOrder,
  options: Omit<ExhaustiveCheckOptions, 'depth' | 'inputs' | 'log'> = {},
): void {
  const checker = new EdgeChecker(machine, options);
  const input = checker.placed(recording.input as unknown as OrderInput);
  let node = checker.start(input);
  if (node instanceof Failure)
    throw counterexample({ input, snapshot: undefined as never, model: undefined as never, path: [] }, node);
  for (const event of recording.events as unknown as OrderEventInput[]) {
    const child: Node | Failure = checker.step(node, event);
    if (child instanceof Failure) throw counterexample(node, child, event);
    const failure = checker.checkState(child);
    if (failure) throw counterexample(child, failure);
    node = child;
  }
}
