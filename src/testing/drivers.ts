import { createActor, initialTransition, SimulatedClock, transition, type AnyStateMachine } from 'xstate';
import type { Effect, OrderContext, OrderEventInput } from '../domain/index.js';
import {
  applyEvent,
  createOrder,
  createOrderActor,
  nextDeadline,
  parseEvent,
  restoreOrder,
  serializeOrder,
  type OrderActor,
  type OrderSnapshot,
} from '../runtime/index.js';

/** The parts of a snapshot the suite looks at. */
export interface DriverSnapshot {
  value: unknown;
  context: OrderContext;
  status: string;
}

/** A verdict as the suite compares it: accepted, or the refusal code. */
export interface VerdictLike {
  accepted: boolean;
  code?: string | undefined;
}

/**
 * One way of running an order: pure functions, a live actor on a simulated clock, a machine an app
 * extended. The model-based commands drive any of them the same way.
 */
export interface OrderDriver {
  readonly label: string;
  /** Creates the order with the clock at `now`. */
  start(input: unknown, now: number): void;
  /** Moves the clock forward to `now`; returns the effects emitted by deadlines that fell due. */
  advanceTo(now: number): Effect[];
  /** Sends one event; the verdict is reported when this way of running knows it. */
  send(event: OrderEventInput): { effects: Effect[]; verdict?: VerdictLike };
  snapshot(): DriverSnapshot;
  /** Serializes the order, throws the running one away and resumes from the text. */
  restore(): void;
  stop(): void;
}

function emitted(actions: ReadonlyArray<{ type: string; params?: unknown }>): Effect[] {
  return actions.filter((action) => action.type === 'xstate.emit').map((action) => (action.params as { event: Effect }).event);
}

/** Ticks a timer-less order at each deadline up to `now`, as a back end's sweeper would. */
function tickDue<S extends DriverSnapshot>(snapshot: S, now: number, step: (s: S, at: number) => { snapshot: S; effects: Effect[] }): { snapshot: S; effects: Effect[] } {
  const effects: Effect[] = [];
  let current = snapshot;
  for (let i = 0; i < 4; i++) {
    const due = nextDeadline(current as unknown as OrderSnapshot);
    if (due === null || due > now) break;
    const result = step(current, due);
    current = result.snapshot;
    effects.push(...result.effects);
  }
  return { snapshot: current, effects };
}

/**
 * The package's pure functions: `createOrder`, `applyEvent`, `nextDeadline` for time, and
 * `serializeOrder`/`restoreOrder` for restores.
 */
export function pureFunctionsDriver(): OrderDriver {
  let snapshot: OrderSnapshot;
  return {
    label: 'pure functions',
    start(input) {
      snapshot = createOrder(input as never).snapshot;
    },
    advanceTo(now) {
      const result = tickDue(snapshot, now, (s, at) => applyEvent(s, { type: 'clock.tick', at }));
      snapshot = result.snapshot;
      return result.effects;
    },
    send(event) {
      const result = applyEvent(snapshot, event);
      snapshot = result.snapshot;
      return { effects: result.effects, verdict: result.verdict };
    },
    snapshot: () => snapshot,
    restore() {
      snapshot = restoreOrder(serializeOrder(snapshot));
    },
    stop() {},
  };
}

/** Node's longest timer; a longer `setTimeout` fires at once, so a live actor must never ask for one. */
const MAX_NODE_TIMER_MS = 2 ** 31 - 1;

/** A SimulatedClock that fails the run when it is handed a timer Node could not keep. */
export class StrictSimulatedClock extends SimulatedClock {
  override setTimeout(fn: (...args: any[]) => void, timeout: number): number {
    if (!(timeout >= 0 && timeout <= MAX_NODE_TIMER_MS)) throw new Error(`A timer of ${timeout} ms was scheduled; Node keeps at most ${MAX_NODE_TIMER_MS} ms.`);
    return super.setTimeout(fn, timeout);
  }
}

/** The package's live actor (`createOrderActor`) on xstate's SimulatedClock. */
export function liveActorDriver(): OrderDriver {
  let clock: SimulatedClock;
  let actor: OrderActor;
  let buffer: Effect[] = [];
  const take = () => buffer.splice(0);
  const listen = (a: OrderActor) => a.on('*', (effect) => buffer.push(effect as Effect));
  return {
    label: 'live actor',
    start(input, now) {
      clock = new StrictSimulatedClock();
      clock.set(now);
      buffer = [];
      actor = createOrderActor(input as never, { clock });
      listen(actor);
    },
    advanceTo(now) {
      if (now > clock.now()) clock.set(now);
      return take();
    },
    send(event) {
      // A finished actor ignores events (xstate warns about them); the model checks nothing changed.
      if (actor.getSnapshot().status === 'active') actor.send(event);
      else parseEvent(event);
      return { effects: take() };
    },
    snapshot: () => actor.getSnapshot(),
    restore() {
      const text = serializeOrder(actor.getSnapshot());
      const now = clock.now();
      actor.stop();
      clock = new StrictSimulatedClock();
      clock.set(now);
      actor = createOrderActor(restoreOrder(text), { clock });
      listen(actor);
    },
    stop: () => actor.stop(),
  };
}

/**
 * Runs any machine with the order's states, events and context through xstate's pure `initialTransition`
 * and `transition` (effects are its `emit` actions); restores go through JSON and `machine.resolveState`.
 */
export function machinePureDriver(machine: AnyStateMachine): OrderDriver {
  let snapshot: DriverSnapshot;
  const step = (s: DriverSnapshot, event: unknown) => {
    const [next, actions] = transition(machine, s as never, parseEvent(event) as never);
    return { snapshot: next as DriverSnapshot, effects: emitted(actions as never) };
  };
  return {
    label: `pure transition of machine "${machine.id}"`,
    start(input) {
      snapshot = initialTransition(machine, input)[0] as DriverSnapshot;
    },
    advanceTo(now) {
      const result = tickDue(snapshot, now, (s, at) => step(s, { type: 'clock.tick', at }));
      snapshot = result.snapshot;
      return result.effects;
    },
    send(event) {
      const result = step(snapshot, event);
      snapshot = result.snapshot;
      return { effects: result.effects };
    },
    snapshot: () => snapshot,
    restore() {
      const { value, context } = JSON.parse(JSON.stringify({ value: snapshot.value, context: snapshot.context })) as DriverSnapshot;
      snapshot = machine.resolveState({ value: value as never, context }) as DriverSnapshot;
    },
    stop() {},
  };
}

/**
 * Runs any machine as a live xstate actor on a SimulatedClock, woken with `clock.tick` at `nextDeadline`
 * the way `createOrderActor` wakes the package's own machine.
 */
export function machineActorDriver(machine: AnyStateMachine): OrderDriver {
  let clock: SimulatedClock;
  let actor: ReturnType<typeof createActor<AnyStateMachine>>;
  let timer: unknown;
  let buffer: Effect[] = [];
  const schedule = () => {
    if (timer !== undefined) clock.clearTimeout(timer as number);
    timer = undefined;
    const snapshot = actor.getSnapshot();
    if (snapshot.status !== 'active') return;
    const due = nextDeadline(snapshot as unknown as OrderSnapshot);
    if (due === null) return;
    timer = clock.setTimeout(() => {
      timer = undefined;
      actor.send({ type: 'clock.tick', at: clock.now() });
      schedule();
    }, Math.max(0, due - clock.now()));
  };
  const launch = (options: { input: unknown } | { snapshot: unknown }) => {
    actor = createActor(machine, { clock, ...options } as never);
    actor.on('*', (effect: unknown) => buffer.push(effect as Effect));
    actor.start();
    schedule();
  };
  return {
    label: `live actor of machine "${machine.id}"`,
    start(input, now) {
      clock = new SimulatedClock();
      clock.set(now);
      buffer = [];
      launch({ input });
    },
    advanceTo(now) {
      if (now > clock.now()) clock.set(now);
      return buffer.splice(0);
    },
    send(event) {
      const parsed = parseEvent(event);
      if (actor.getSnapshot().status === 'active') actor.send(parsed);
      schedule();
      return { effects: buffer.splice(0) };
    },
    snapshot: () => actor.getSnapshot() as DriverSnapshot,
    restore() {
      const { value, context } = JSON.parse(JSON.stringify({ value: actor.getSnapshot().value, context: actor.getSnapshot().context })) as DriverSnapshot;
      const now = clock.now();
      if (timer !== undefined) clock.clearTimeout(timer as number);
      timer = undefined;
      actor.stop();
      clock = new SimulatedClock();
      clock.set(now);
      launch({ snapshot: machine.resolveState({ value: value as never, context }) });
    },
    stop() {
      if (timer !== undefined) clock.clearTimeout(timer as number);
      actor.stop();
    },
  };
}
