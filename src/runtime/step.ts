import { orderMachine, timeGuards, type OrderAccepted, type OrderMachine } from '../../machines/order/index.js';
import {
  hasApplied,
  isAnyDeadlineDueAt,
  isFact,
  isLate,
  judge,
  judgedAt,
  message,
  outcomeMessage,
  parseOrderEvent,
  type OrderEvent,
  refusalMessage,
  type Effect,
  type OrderInput,
  type OrderStatus,
  type ParsedOrderEvent,
  type PolicyOverride,
  type Ruling,
  type Verdict,
} from '../domain/index.js';
import { pureInitialTransition, pureTransition } from './pure.js';
import { orderStatus, type OrderSnapshot } from './snapshot.js';

/** What a step returns: the new snapshot, the effects to deliver, and the verdict on the event. */
export interface StepResult {
  snapshot: OrderSnapshot;
  effects: Effect[];
  verdict: Verdict;
}

type Emitted = Effect | OrderAccepted;

/** The emitted events among the actions XState's `transition()` returns. */
function emitted(actions: ReadonlyArray<{ type: string; params?: unknown }>): Emitted[] {
  const events: Emitted[] = [];
  for (const action of actions)
    if (action.type === 'xstate.emit') events.push((action.params as { event: Emitted }).event);
  return events;
}

function effectsOf(events: readonly Emitted[]): Effect[] {
  return events.filter((event): event is Effect => event.type !== 'order.accepted');
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
  const [snapshot, actions] = pureInitialTransition(options.machine ?? orderMachine, withPolicy(input, options.policy));
  // xstate turns the context factory's InvalidInputError into an errored snapshot; hand it to the caller.
  if (snapshot.status === 'error') throw snapshot.error;
  const { orderId, buyerCancelUntil, utcOffsetMinutes } = snapshot.context;
  const message = outcomeMessage('orderPlaced', { orderId, until: buyerCancelUntil, offset: utcOffsetMinutes });
  return { snapshot, effects: effectsOf(emitted(actions)), verdict: { accepted: true, message } };
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
export function parseEvent(event: unknown): ParsedOrderEvent {
  return parseOrderEvent(event);
}

/** The machine a snapshot was made by: an order created on an extended machine stays on it. */
export function machineOf(snapshot: OrderSnapshot): OrderMachine {
  return (snapshot.machine as unknown as OrderMachine | undefined) ?? orderMachine;
}

/**
 * The status the machine gives the order at `at` from time alone: the state a `clock.tick` at `at` would leave it
 * in, by XState's pure `transition()` (nothing is applied). The deadlines are the machine's own guards; no second
 * copy of them decides a status.
 */
export function statusAt(snapshot: OrderSnapshot, at: number): OrderStatus {
  const status = orderStatus(snapshot);
  if (snapshot.status !== 'active') return status;
  const machine = machineOf(snapshot);
  // On the package's own machine most events find no deadline due, and the guards' own functions say so: the
  // status stands without a second transition per step. An extended machine may give the time guards other
  // implementations (`.provide()`), so only its own transition can tell.
  if (machine === orderMachine && !isAnyDeadlineDueAt(status, snapshot.context, at)) return status;
  const [ticked] = pureTransition(machine, snapshot, { type: 'clock.tick', at });
  return orderStatus(ticked);
}

/** The rules' ruling on `event`, and the status it was judged in (every deadline up to its instant applied). */
export function ruled(snapshot: OrderSnapshot, event: ParsedOrderEvent): { status: OrderStatus; ruling: Ruling } {
  const context = snapshot.context;
  const status = statusAt(snapshot, judgedAt(context, event));
  return { status, ruling: judge(context, status, event) };
}

/**
 * A ruling in words: the edge where a rule's data becomes the public `Verdict`, its message rendered in every
 * language; `late` is set when the event arrived after the order's clock had passed it (a fact never is).
 */
function worded(ruling: Ruling, event: ParsedOrderEvent, clock: number): Verdict {
  const verdict: Verdict = ruling.accepted
    ? {
        accepted: true,
        ...(ruling.conflict ? { conflict: ruling.conflict, overrode: ruling.overrode! } : {}),
        message: message(ruling.outcome, ruling.params),
      }
    : { accepted: false, code: ruling.code, message: refusalMessage(ruling.code, ruling.params, ruling.variant) };
  return isLate({ clock }, event) && !isFact(event) ? { ...verdict, late: true } : verdict;
}

/**
 * The guard that refused an event the package's rules allow: the event is stepped again, by XState, on the same
 * machine with every named guard's answer noted, and the last one that said no, other than the time guards, is
 * the one that left the event without a transition.
 */
function refusingGuard(machine: OrderMachine, snapshot: OrderSnapshot, event: ParsedOrderEvent): string {
  let refusing = 'an inline guard';
  type Guard = (args: unknown, params: unknown) => boolean;
  const noted = Object.fromEntries(
    Object.entries(machine.implementations.guards as Record<string, Guard>).map(([name, guard]) => [
      name,
      (args: unknown, params: unknown) => {
        const answer = guard(args, params);
        if (!answer && !timeGuards.includes(name)) refusing = name;
        return answer;
      },
    ]),
  );
  // A snapshot asks its own machine for guards: the same state and context, resolved on the noting machine.
  const noting = machine.provide({ guards: noted as never });
  pureTransition(noting, noting.resolveState({ value: snapshot.value, context: snapshot.context }), event);
  return refusing;
}

/** The machine's decision, worded by the rules when they agree and plainly when an extension decided otherwise. */
export function decide(
  machine: OrderMachine,
  snapshot: OrderSnapshot,
  event: ParsedOrderEvent,
  accepted: boolean,
): Verdict {
  const { status, ruling } = ruled(snapshot, event);
  if (accepted === ruling.accepted) return worded(ruling, event, snapshot.context.clock);
  // A fact that time ended the order before it could apply: reported as on an ended order.
  if (isFact(event) && !accepted && ruling.accepted && ruling.conflict) return endedVerdict(snapshot, event);
  const late = isLate(snapshot.context, event) && !isFact(event) ? { late: true as const } : {};
  const params = { event: event.type, status, offset: snapshot.context.utcOffsetMinutes };
  if (accepted)
    return {
      accepted: true,
      message: outcomeMessage('acceptedByMachine', { ...params, code: ruling.accepted ? '' : ruling.code }),
      ...late,
    };
  const guard = refusingGuard(machine, snapshot, event);
  return {
    accepted: false,
    code: 'REFUSED_BY_MACHINE',
    message: refusalMessage('REFUSED_BY_MACHINE', { ...params, guard }),
    ...late,
  };
}

/**
 * The verdict on an event for an order that has ended. A fact that agrees with how it ended is accepted; one
 * that contradicts it cannot be applied to a final state and is reported as a conflict.
 */
export function endedVerdict(snapshot: OrderSnapshot, event: ParsedOrderEvent): Verdict {
  const { status, ruling } = ruled(snapshot, event);
  const verdict = worded(ruling, event, snapshot.context.clock);
  if (!isFact(event) || !verdict.conflict) return verdict;
  const code = status === 'shipped' ? 'ALREADY_SHIPPED' : 'ALREADY_CANCELED';
  return {
    ...verdict,
    accepted: false,
    code,
    message: refusalMessage(code, { offset: snapshot.context.utcOffsetMinutes }, 'conflict'),
  };
}

/** The answer to an event whose id the order has applied: nothing changes. */
export function duplicateVerdict(event: ParsedOrderEvent): Verdict {
  return { accepted: true, duplicate: true, message: outcomeMessage('duplicate', { eventId: event.eventId ?? '' }) };
}

/**
 * The verdict on `event` for the order in `snapshot`, without applying it: the machine's own decision, in the
 * rules' words.
 * @example
 * explain(snapshot, { type: 'buyer.cancel', at: '2026-11-26T10:45:00Z' }).code; // 'BUYER_WINDOW_CLOSED'
 */
export function explain(snapshot: OrderSnapshot, event: OrderEvent | ParsedOrderEvent): Verdict {
  return applyEvent(snapshot, event).verdict;
}

/**
 * Applies one event: the order's clock moves to the event's `at` (a late event is judged at the clock), deadlines
 * due by then take effect, then the machine judges the event. A refused event changes only what a `clock.tick`
 * at the same instant would; an event whose `eventId` the order has applied changes nothing. Bad events throw
 * InvalidInputError and change nothing.
 * @example
 * const { snapshot: next, verdict } = applyEvent(snapshot, { type: 'seller.generateLabel', at: new Date() });
 */
export function applyEvent(snapshot: OrderSnapshot, event: OrderEvent | ParsedOrderEvent): StepResult {
  return stepParsed(snapshot, parseEvent(event));
}

/** `applyEvent` on an event `parseEvent` returned to the caller, which kept it to itself (not public API). */
export function stepParsed(snapshot: OrderSnapshot, parsed: ParsedOrderEvent): StepResult {
  if (hasApplied(snapshot.context, parsed)) return { snapshot, effects: [], verdict: duplicateVerdict(parsed) };
  // An ended order takes no transition; ticks on it are still "time passing", refused commands say why.
  if (snapshot.status !== 'active') return { snapshot, effects: [], verdict: endedVerdict(snapshot, parsed) };
  const machine = machineOf(snapshot);
  const [next, actions] = pureTransition(machine, snapshot, parsed);
  const events = emitted(actions);
  const accepted = events.some((emittedEvent) => emittedEvent.type === 'order.accepted');
  return { snapshot: next, effects: effectsOf(events), verdict: decide(machine, snapshot, parsed, accepted) };
}
