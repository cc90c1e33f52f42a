import { createActor, type Actor, type InspectionEvent, type Observer } from 'xstate';
import { orderMachine, type OrderMachine } from '../../machines/order/index.js';
import { createOrderContext, InvalidInputError, type OrderEventInput, type OrderInput, type PolicyOverride } from '../domain/index.js';
import { nextDeadline, type OrderSnapshot } from './snapshot.js';
import { parseEvent, withPolicy } from './step.js';

/** The time source of a live actor: `now()` in epoch ms, and timers. xstate's SimulatedClock fits. */
export interface OrderClock {
  now(): number;
  setTimeout(fn: (...args: any[]) => void, timeout: number): any;
  clearTimeout(id: any): void;
}

/**
 * The wall clock, the default of `createOrderActor`.
 * @example
 * createOrderActor(input, { clock: systemClock });
 */
export const systemClock: OrderClock = {
  now: () => Date.now(),
  setTimeout: (fn, timeout) => setTimeout(fn, timeout),
  clearTimeout: (id) => clearTimeout(id),
};

/** Node fires any timer longer than 2^31 - 1 ms (about 24.8 days) at once; longer waits are chained. */
export const MAX_TIMER_MS = 2 ** 31 - 1;

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

/** A started order actor; `send` validates events and throws InvalidInputError on bad ones. */
export type OrderActor = Omit<Actor<typeof orderMachine>, 'send'> & { send(event: OrderEventInput): void };

function isSnapshot(value: unknown): value is OrderSnapshot {
  return typeof value === 'object' && value !== null && 'value' in value && 'context' in value;
}

/**
 * Starts a live order actor from an order input or a restored snapshot. It wakes itself at the order's
 * absolute deadlines with `clock.tick` events, so a restored actor resumes with the time that is left.
 * @example
 * const actor = createOrderActor(input, { clock: new SimulatedClock() });
 * actor.send({ type: 'seller.generateLabel', at: '2026-11-26T11:00:00Z' });
 */
export function createOrderActor(inputOrSnapshot: OrderInput | OrderSnapshot, options: OrderActorOptions = {}): OrderActor {
  const clock = options.clock ?? systemClock;
  const restoring = isSnapshot(inputOrSnapshot);
  if (restoring && options.policy) {
    throw new InvalidInputError('actor options', 'policy: a restored order keeps the policy it was created with (got a policy override)');
  }
  const input = restoring ? undefined : withPolicy(inputOrSnapshot as OrderInput, options.policy);
  // Validate first: a bad input throws here, synchronously, instead of erroring the actor.
  if (input) createOrderContext(input);
  const actor = createActor(options.machine ?? orderMachine, {
    clock,
    ...(options.inspect ? { inspect: options.inspect } : {}),
    ...(input ? { input } : { snapshot: inputOrSnapshot as OrderSnapshot }),
  });

  let timer: unknown;
  const clearTimer = () => {
    if (timer !== undefined) clock.clearTimeout(timer);
    timer = undefined;
  };
  const schedule = () => {
    clearTimer();
    const snapshot = actor.getSnapshot();
    if (snapshot.status !== 'active') return;
    const deadline = nextDeadline(snapshot);
    if (deadline === null) return;
    const wait = Math.min(Math.max(0, deadline - clock.now()), MAX_TIMER_MS);
    timer = clock.setTimeout(() => {
      timer = undefined;
      const now = clock.now();
      if (now >= deadline) actor.send({ type: 'clock.tick', at: now });
      schedule();
    }, wait);
  };

  const send = actor.send.bind(actor);
  const stop = actor.stop.bind(actor);
  const live = actor as unknown as OrderActor;
  live.send = (event) => {
    send(parseEvent(event));
    schedule();
  };
  (live as { stop: () => unknown }).stop = () => {
    clearTimer();
    return stop();
  };
  actor.start();
  schedule();
  return live;
}
