import { SimulatedClock, type AnyStateMachine } from 'xstate';
import type { OrderMachine } from '../../machines/order/index.js';
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
import { OrderCheckError } from './errors.js';

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
  late?: boolean | undefined;
  duplicate?: boolean | undefined;
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
  /** The order's current snapshot. */
  snapshot(): DriverSnapshot;
  /** Serializes the order, throws the running one away and resumes from the text. */
  restore(): void;
  /** Stops the order (a live actor's timers). */
  stop(): void;
}

/** Ticks a timer-less order at each deadline up to `now`, as a back end's sweeper would. */
function tickDue<S extends DriverSnapshot>(
  snapshot: S,
  now: number,
  step: (s: S, at: number) => { snapshot: S; effects: Effect[] },
): { snapshot: S; effects: Effect[] } {
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
 * `serializeOrder`/`restoreOrder` for restores; on `machine` when given (an app's extension).
 */
export function pureFunctionsDriver(machine?: OrderMachine): OrderDriver {
  let snapshot: OrderSnapshot;
  const options = machine ? { machine } : {};
  return {
    label: machine ? `pure functions on machine "${machine.id}"` : 'pure functions',
    start(input) {
      snapshot = createOrder(input as never, options).snapshot;
    },
    advanceTo(now) {
      const result = tickDue(snapshot, now, (s, at) => applyEvent(s, { type: 'clock.tick', at }));
      snapshot = result.snapshot;
      return result.effects;
    },
    send(event) {
      const result = applyEvent(snapshot, event);
      snapshot = result.snapshot;
      // The verdict is the machine's own decision (an extension's guards included), worded by the rules.
      return { effects: result.effects, verdict: result.verdict };
    },
    snapshot: () => snapshot,
    restore() {
      snapshot = restoreOrder(serializeOrder(snapshot), options);
    },
    stop() {},
  };
}

/** Node's longest timer; a longer `setTimeout` fires at once, so a live actor must never ask for one. */
const MAX_NODE_TIMER_MS = 2 ** 31 - 1;

/** A SimulatedClock that fails the run when it is handed a timer Node could not keep. */
class StrictSimulatedClock extends SimulatedClock {
  /** Schedules `fn` like SimulatedClock, and throws for a timeout Node could not keep. */
  override setTimeout(fn: (...args: any[]) => void, timeout: number): number {
    if (!(timeout >= 0 && timeout <= MAX_NODE_TIMER_MS))
      throw new OrderCheckError(`A timer of ${timeout} ms was scheduled; Node keeps at most ${MAX_NODE_TIMER_MS} ms.`);
    return super.setTimeout(fn, timeout);
  }
}

/** The package's live actor (`createOrderActor`) on xstate's SimulatedClock; on `machine` when given. */
export function liveActorDriver(machine?: OrderMachine): OrderDriver {
  const options = machine ? { machine } : {};
  let clock: SimulatedClock;
  let actor: OrderActor;
  let buffer: Effect[] = [];
  const take = () => buffer.splice(0);
  const listen = (a: OrderActor) =>
    a.on('*', (emitted) => {
      if (emitted.type !== 'order.accepted') buffer.push(emitted as Effect);
    });
  return {
    label: machine ? `live actor of machine "${machine.id}"` : 'live actor',
    start(input, now) {
      clock = new StrictSimulatedClock();
      clock.set(now);
      buffer = [];
      actor = createOrderActor(input as never, { clock, ...options });
      listen(actor);
    },
    advanceTo(now) {
      if (now > clock.now()) clock.set(now);
      return take();
    },
    send(event) {
      // A finished actor ignores events (xstate warns about them); the model checks nothing changed.
      if (actor.getSnapshot().status !== 'active') {
        parseEvent(event);
        return { effects: take() };
      }
      const verdict = actor.send(event);
      return { effects: take(), verdict };
    },
    snapshot: () => actor.getSnapshot(),
    restore() {
      const text = serializeOrder(actor.getSnapshot());
      const now = clock.now();
      actor.stop();
      clock = new StrictSimulatedClock();
      clock.set(now);
      actor = createOrderActor(restoreOrder(text, options), { clock, ...options });
      listen(actor);
    },
    stop: () => actor.stop(),
  };
}

/** Runs a machine an app extended through the pure functions; verdicts are the machine's own decisions. */
export function machinePureDriver(machine: AnyStateMachine): OrderDriver {
  return pureFunctionsDriver(machine as unknown as OrderMachine);
}

/** Runs a machine an app extended as a live actor, woken at its deadlines like `createOrderActor` does. */
export function machineActorDriver(machine: AnyStateMachine): OrderDriver {
  return liveActorDriver(machine as unknown as OrderMachine);
}
