import { createActor, type Actor, type InspectionEvent, type Observer, type Subscription } from 'xstate';
import { orderMachine, type OrderMachine } from '../../machines/order/index.js';
import {
  createOrderContext,
  hasApplied,
  InvalidInputError,
  type OrderEvent,
  type OrderInput,
  type PolicyOverride,
  type Verdict,
} from '../domain/index.js';
import { nextDeadline, type OrderSnapshot } from './snapshot.js';
import { decide, duplicateVerdict, endedVerdict, machineOf, parseEvent, withPolicy } from './step.js';

/** The time source of a live actor: `now()` in epoch ms, and timers. xstate's SimulatedClock fits. */
export interface OrderClock {
  /** The current instant, epoch ms. */
  now(): number;
  /** Calls `fn` after `timeout` ms; returns a handle for `clearTimeout`. */
  setTimeout(fn: (...args: any[]) => void, timeout: number): any;
  /** Cancels a timer `setTimeout` returned. */
  clearTimeout(id: any): void;
}

/**
 * The wall clock, the default of `createOrderActor`.
 * @example
 * createOrderActor(input, { clock: systemClock });
 */
const systemClock: OrderClock = {
  now: () => Date.now(),
  setTimeout: (fn, timeout) => setTimeout(fn, timeout),
  clearTimeout: (id) => clearTimeout(id),
};

/** Node fires any timer longer than 2^31 - 1 ms (about 24.8 days) at once; longer waits are chained. */
export const MAX_TIMER_MS = 2 ** 31 - 1;

/** Options of `createOrderActor`. */
export interface OrderActorOptions {
  /** Time source; defaults to the wall clock. */
  clock?: OrderClock;
  /** An inspection observer, e.g. `createBrowserInspector().inspect` from `@statelyai/inspect`. */
  inspect?: Observer<InspectionEvent> | ((event: InspectionEvent) => void);
  /** Policy override for a new order (a restored order keeps the policy it was created with). */
  policy?: PolicyOverride;
  /** The machine to run, e.g. `orderMachine.provide({ ... })`; defaults to `orderMachine`. */
  machine?: OrderMachine;
}

/** What a live order tells listeners of `order.refused`: the event as sent and the verdict on it. */
export interface OrderRefused {
  type: 'order.refused';
  event: OrderEvent;
  verdict: Verdict;
}

type Base = Actor<typeof orderMachine>;

/**
 * A started order actor. `send` validates events (InvalidInputError on bad ones) and answers with the verdict;
 * `on('order.refused', …)` hears every refused event, besides the effects the machine emits.
 */
export type OrderActor = Omit<Base, 'send' | 'on'> & {
  /** Validates and sends one event; returns the machine's verdict on it (InvalidInputError on a bad event, and nothing is sent). */
  send(event: OrderEvent): Verdict;
  /** Listens to the machine's emitted effects, and to `order.refused` for every refused event. */
  on: Base['on'] & ((type: 'order.refused', handler: (event: OrderRefused) => void) => Subscription);
};

function isSnapshot(value: unknown): value is OrderSnapshot {
  return typeof value === 'object' && value !== null && 'value' in value && 'context' in value;
}

/**
 * Starts a live order actor from an order input or a restored snapshot. It wakes itself at the order's
 * absolute deadlines with `clock.tick` events, so a restored actor resumes with the time that is left, and a
 * restored order whose deadline has passed is brought up to date as it starts.
 * @example
 * const actor = createOrderActor(input, { clock: new SimulatedClock() });
 * actor.on('order.refused', ({ verdict }) => console.log(verdict.code));
 * actor.send({ type: 'seller.generateLabel', at: '2026-11-26T11:00:00Z' });
 */
export function createOrderActor(
  inputOrSnapshot: OrderInput | OrderSnapshot,
  options: OrderActorOptions = {},
): OrderActor {
  const clock = options.clock ?? systemClock;
  const restoring = isSnapshot(inputOrSnapshot);
  if (restoring && options.policy) {
    throw new InvalidInputError(
      'actor options',
      'policy: a restored order keeps the policy it was created with (got a policy override)',
    );
  }
  const input = restoring ? undefined : withPolicy(inputOrSnapshot as OrderInput, options.policy);
  // Validate first: a bad input throws here, synchronously, instead of erroring the actor.
  if (input) createOrderContext(input);
  const actor = createActor(options.machine ?? orderMachine, {
    clock,
    ...(options.inspect ? { inspect: options.inspect } : {}),
    ...(input ? { input } : { snapshot: inputOrSnapshot as OrderSnapshot }),
  });

  const refusedListeners = new Set<(event: OrderRefused) => void>();
  let timer: unknown;
  /** The deadline the pending timer wakes the order for. */
  let armedFor: number | undefined;
  const clearTimer = () => {
    if (timer !== undefined) clock.clearTimeout(timer);
    timer = undefined;
    armedFor = undefined;
  };
  // Each deadline that has come is applied at its own instant, as a back end's sweeper does.
  const wakeIfDue = () => {
    for (let snapshot = actor.getSnapshot(); snapshot.status === 'active'; snapshot = actor.getSnapshot()) {
      const deadline = nextDeadline(snapshot);
      if (deadline === null || deadline > clock.now()) return;
      actor.send({ type: 'clock.tick', at: deadline });
    }
  };
  const schedule = () => {
    const snapshot = actor.getSnapshot();
    const deadline = snapshot.status === 'active' ? nextDeadline(snapshot) : null;
    // Most events leave the next deadline where it was: the timer already set for it stays.
    if (deadline !== null && timer !== undefined && armedFor === deadline) return;
    clearTimer();
    if (deadline === null) return;
    const wait = Math.min(Math.max(0, deadline - clock.now()), MAX_TIMER_MS);
    armedFor = deadline;
    timer = clock.setTimeout(() => {
      timer = undefined;
      armedFor = undefined;
      wakeIfDue();
      schedule();
    }, wait);
  };

  const send = actor.send.bind(actor);
  const stop = actor.stop.bind(actor);
  const on = actor.on.bind(actor) as (type: string, handler: (event: never) => void) => Subscription;
  const live = actor as unknown as OrderActor;
  // The machine marks every transition that accepts an event; the verdict is read from that, not re-judged.
  let accepted = false;
  on('order.accepted', () => {
    accepted = true;
  });
  const verdictOn = (before: OrderSnapshot, parsed: ReturnType<typeof parseEvent>): Verdict => {
    if (hasApplied(before.context, parsed)) return duplicateVerdict(parsed);
    accepted = false;
    // An ended actor takes no transition, but inspectors still see the event it was sent.
    send(parsed);
    if (before.status !== 'active') return endedVerdict(before, parsed);
    return decide(machineOf(before), before, parsed, accepted);
  };
  live.send = (event) => {
    const verdict = verdictOn(actor.getSnapshot(), parseEvent(event));
    // An event may start a deadline that has already passed on this clock (Amazon lets go of a Pending order
    // days late): it applies at once, as it would on a restore.
    wakeIfDue();
    schedule();
    if (!verdict.accepted) for (const listener of refusedListeners) listener({ type: 'order.refused', event, verdict });
    return verdict;
  };
  live.on = ((type: string, handler: (event: never) => void): Subscription => {
    if (type !== 'order.refused') return on(type, handler);
    const listener = handler as unknown as (event: OrderRefused) => void;
    refusedListeners.add(listener);
    return { unsubscribe: () => refusedListeners.delete(listener) };
  }) as OrderActor['on'];
  (live as { stop: () => unknown }).stop = () => {
    clearTimer();
    return stop();
  };
  actor.start();
  wakeIfDue();
  schedule();
  return live;
}
