import { createActor, type ActorScope, type AnyActorScope } from 'xstate';
import { orderMachine, type OrderMachine } from '../../machines/order/index.js';
import {
  judge,
  OrderEvent,
  parseOrThrow,
  statusAt,
  type Effect,
  type OrderEventInput,
  type OrderInput,
  type PolicyOverride,
  type Verdict,
  createOrderContext,
  outcomeMessage,
  formatInstant,
} from '../domain/index.js';
import { orderStatus, type OrderSnapshot } from './snapshot.js';

/** What a step returns: the new snapshot, the effects to deliver, and the verdict on the event. */
export interface StepResult {
  snapshot: OrderSnapshot;
  effects: Effect[];
  verdict: Verdict;
}

/**
 * One inert actor scope per machine, reused by every pure step. xstate's own `transition()` builds a new
 * actor per call, which costs more than the step itself; the scope only collects the actions a step returns.
 */
const scopes = new WeakMap<OrderMachine, AnyActorScope>();
function stepScope(machine: OrderMachine, collect: unknown[]): AnyActorScope {
  let scope = scopes.get(machine);
  if (!scope) {
    const seed = createOrderContext({ orderId: 'scope', placedAt: 0, latestShipDate: 0, items: [{ orderItemId: 'scope', quantity: 1 }] });
    const self = createActor(machine, { snapshot: machine.resolveState({ value: 'canceled', context: seed }) });
    scope = {
      self,
      id: '',
      sessionId: '',
      system: self.system,
      defer: () => {},
      logger: () => {},
      stopChild: () => {},
      emit: () => {},
      actionExecutor: () => {},
    } as unknown as ActorScope<any, any, any, any>;
    scopes.set(machine, scope);
  }
  scope.actionExecutor = (action) => {
    collect.push(action);
  };
  return scope;
}

function emittedEffects(actions: ReadonlyArray<{ type: string; params?: unknown }>): Effect[] {
  return actions
    .filter((action) => action.type === 'xstate.emit')
    .map((action) => (action.params as { event: Effect }).event);
}

/** Options of `createOrder`. */
export interface CreateOrderOptions {
  /** Policy override laid over the input's own policy and its marketplace preset. */
  policy?: PolicyOverride;
  /** The machine to run, e.g. `orderMachine.provide({ ... })`; later steps use the snapshot's own machine. */
  machine?: OrderMachine;
}

/**
 * Starts an order from its input. Throws InvalidInputError naming the field when the input is bad.
 * @example
 * const { snapshot } = createOrder({ orderId: '111-1', placedAt: '2026-11-26T10:00:00+08:00',
 *   latestShipDate: '2026-11-28T23:59:59+08:00', items: [{ orderItemId: 'A', quantity: 2 }] });
 */
export function createOrder(input: OrderInput, options: CreateOrderOptions = {}): StepResult {
  const machineInput = withPolicy(input, options.policy);
  const actions: Array<{ type: string; params?: unknown }> = [];
  const machine = options.machine ?? orderMachine;
  const snapshot = machine.getInitialSnapshot(stepScope(machine, actions), machineInput);
  // xstate turns the context factory's InvalidInputError into an errored snapshot; hand it to the caller.
  if (snapshot.status === 'error') throw snapshot.error;
  const { orderId, buyerCancelUntil } = snapshot.context;
  const message = outcomeMessage('orderPlaced', { orderId, until: formatInstant(buyerCancelUntil) });
  return { snapshot, effects: emittedEffects(actions), verdict: { accepted: true, message } };
}

/** The input with a policy override laid over its own `policy`. */
export function withPolicy(input: OrderInput, policy: PolicyOverride | undefined): OrderInput {
  return policy ? { ...input, policy: { ...input.policy, ...policy } } : input;
}

/**
 * Parses an untrusted event; throws InvalidInputError naming the field and value.
 * @example
 * parseEvent({ type: 'clock.tick', at: '2026-11-26T10:30:00Z' }).at; // 1795653000000
 */
export function parseEvent(event: unknown): OrderEvent {
  return parseOrThrow(OrderEvent, event, 'event');
}

/**
 * The verdict on `event` for the order in `snapshot`, without applying it.
 * @example
 * explain(snapshot, { type: 'buyer.cancel', at: '2026-11-26T10:45:00Z' }).code; // 'BUYER_WINDOW_CLOSED'
 */
export function explain(snapshot: OrderSnapshot, event: OrderEventInput | OrderEvent): Verdict {
  const parsed = parseEvent(event);
  return judge(snapshot.context, statusAt(orderStatus(snapshot), snapshot.context, parsed.at), parsed);
}

/**
 * Applies one event: deadlines due by its `at` take effect, then the event is judged and, if accepted,
 * applied. A refused event changes only what a `clock.tick` at the same instant would. Bad events throw
 * InvalidInputError and change nothing.
 * @example
 * const { snapshot: next, verdict } = applyEvent(snapshot, { type: 'seller.generateLabel', at: Date.now() });
 */
export function applyEvent(snapshot: OrderSnapshot, event: OrderEventInput | OrderEvent): StepResult {
  const parsed = parseEvent(event);
  const verdict = judge(snapshot.context, statusAt(orderStatus(snapshot), snapshot.context, parsed.at), parsed);
  if (snapshot.status !== 'active') return { snapshot, effects: [], verdict };
  const actions: Array<{ type: string; params?: unknown }> = [];
  // A snapshot knows the machine that made it, so an order created on an extended machine stays on it.
  const machine = (snapshot.machine as unknown as OrderMachine | undefined) ?? orderMachine;
  const next = machine.transition(snapshot, parsed, stepScope(machine, actions));
  return { snapshot: next, effects: emittedEffects(actions), verdict };
}
