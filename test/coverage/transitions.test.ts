import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createActor, type AnyStateMachine, type AnyStateNode, type InspectionEvent } from 'xstate';
import { getShortestPaths } from 'xstate/graph';
import { timeGuards } from '../../machines/order/index.js';
import { orderMachine, type OrderEventInput } from '../../src/index.js';
import { parseEvent } from '../../src/runtime/index.js';
import { orderScenarioArbitrary } from '../../src/testing/index.js';

// Only XState's public API: the machine's definition (`root`, `states`, `transitions`, `always`), snapshots'
// `value`, inspection events' `event` and `snapshot`, and `machine.getTransitionData(snapshot, event)`, which
// selects the transitions a snapshot takes for an event the same way the interpreter does.
type AnyTransition = { source: AnyStateNode; eventType: string; target?: readonly AnyStateNode[] | undefined; guard?: unknown };

function allNodes(machine: AnyStateMachine): AnyStateNode[] {
  const nodes: AnyStateNode[] = [];
  const visit = (node: AnyStateNode) => {
    nodes.push(node);
    for (const child of Object.values(node.states) as AnyStateNode[]) visit(child);
  };
  visit(machine.root);
  return nodes;
}

const guardOf = (guard: unknown): string =>
  typeof guard === 'string' ? guard : typeof guard === 'function' ? ((guard as { guards?: unknown[] }).guards ?? []).map(guardOf).join('&&') || 'in' : ((guard as { type?: string } | undefined)?.type ?? '');

/** Every transition of the machine (each guarded branch separately, eventless ones too), labelled for failure messages. */
function allTransitions(machine: AnyStateMachine): Map<AnyTransition, string> {
  const found = new Map<AnyTransition, string>();
  // The time transitions at the head of every list inside `placed` are one transition each, wherever they are copied.
  const label = (node: AnyStateNode, eventType: string, branch: AnyTransition) => {
    const target = branch.target?.map((t) => t.id).join(',') ?? '(self)';
    const guard = guardOf(branch.guard);
    if (timeGuards.some((name) => guard.includes(name)) && eventType !== '(always)') return `(time first) [${guard.replace(/^in&&/, '')}] --> ${target.replace(/^order\.placed\.unshipped$/, 'unshipped')}`;
    return `${node.id} --${eventType}[${guard}]--> ${target}`;
  };
  for (const node of allNodes(machine)) {
    for (const [eventType, branches] of node.transitions) {
      (branches as AnyTransition[]).forEach((branch) => found.set(branch, label(node, eventType, branch)));
    }
    ((node.always ?? []) as AnyTransition[]).forEach((branch) => found.set(branch, label(node, '(always)', branch)));
  }
  return found;
}

const allStateIds = (machine: AnyStateMachine) => allNodes(machine).map((node) => node.id);

/** The ids of the state nodes a state value is in, from the root down (`{ placed: 'unshipped' }` → order, order.placed, …). */
function activeIds(machine: AnyStateMachine, value: unknown): string[] {
  const ids = [machine.root.id];
  const visit = (prefix: string, value: unknown) => {
    if (typeof value === 'string') ids.push(`${prefix}.${value}`);
    else if (value && typeof value === 'object') {
      for (const [key, child] of Object.entries(value)) {
        ids.push(`${prefix}.${key}`);
        visit(`${prefix}.${key}`, child);
      }
    }
  };
  visit(machine.root.id, value);
  return ids;
}

type Snap = { value: unknown };

/** The transitions a microstep from `before` to `after` on `event` took: the event's own, or else eventless ones. */
function transitionsOf(machine: AnyStateMachine, before: Snap, event: { type: string }, after: Snap): AnyTransition[] {
  const afterIds = new Set(activeIds(machine, after.value));
  const leadsThere = (transitions: AnyTransition[]) =>
    transitions.length > 0 &&
    transitions.every((t) => (t.target ? t.target.every((target) => afterIds.has(target.id)) : JSON.stringify(before.value) === JSON.stringify(after.value)));
  const byEvent = machine.getTransitionData(before as never, event as never) as unknown as AnyTransition[];
  if (leadsThere(byEvent)) return byEvent;
  const beforeIds = new Set(activeIds(machine, before.value));
  const eventless = allNodes(machine)
    .filter((node) => beforeIds.has(node.id))
    .flatMap((node) => (node.always ?? []) as AnyTransition[])
    .filter((t) => leadsThere([t]));
  return eventless.slice(0, 1);
}

/** Runs an order through a live actor and records the transitions it takes and the states it enters. */
function record(input: unknown, events: readonly unknown[], taken: Set<AnyTransition>, states: Set<string>): void {
  let current: Snap | undefined;
  const inspect = (event: InspectionEvent) => {
    if (event.type !== '@xstate.microstep' && event.type !== '@xstate.snapshot') return;
    const snapshot = event.snapshot as unknown as Snap;
    if (event.type === '@xstate.microstep' && current) {
      for (const t of transitionsOf(orderMachine, current, event.event, snapshot)) taken.add(t);
    }
    current = snapshot;
    for (const id of activeIds(orderMachine, snapshot.value)) states.add(id);
  };
  const actor = createActor(orderMachine, { input: input as never, inspect });
  actor.start();
  for (const event of events) if (actor.getSnapshot().status === 'active') actor.send(parseEvent(event) as never);
  actor.stop();
}

const input = {
  orderId: '111-0000000-0000001',
  placedAt: 1_700_000_000_000,
  latestShipDate: 1_700_000_000_000 + 2 * 86_400_000,
  items: [
    { orderItemId: 'A', quantity: 2 },
    { orderItemId: 'B', quantity: 1 },
  ],
};

/** Explicit events at the instants that matter: before placement, inside the window, after it, just before and at auto-cancel. */
function explicitEvents(snapshot: { context: { placedAt: number; buyerCancelUntil: number; autoCancelAt: number } }): OrderEventInput[] {
  const { placedAt, buyerCancelUntil, autoCancelAt } = snapshot.context;
  const events: OrderEventInput[] = [];
  for (const at of [placedAt - 1, placedAt + 1, buyerCancelUntil, autoCancelAt - 1, autoCancelAt]) {
    events.push(
      { type: 'buyer.requestCancellation', at, source: 'message', subject: 'Where is my order?', eventId: 'redelivered' },
      { type: 'buyer.requestCancellation', at, source: 'message', subject: 'Where is my order?', eventId: 'redelivered' },
      { type: 'buyer.requestCancellation', at, source: 'message', subject: 'Where is my order?' },
      { type: 'buyer.requestCancellation', at, source: 'order-flag' },
      { type: 'marketplace.orderCanceled', at, cancelledBy: 'amazon', items: [{ orderItemId: 'A', quantity: 1 }] },
      { type: 'marketplace.orderShipped', at },
      { type: 'buyer.cancel', at },
      { type: 'seller.cancel', at, reason: 'BuyerCanceled' },
      { type: 'seller.cancel', at, reason: 'NoInventory', items: [{ orderItemId: 'A', quantity: 1 }] },
      { type: 'seller.generateLabel', at },
      { type: 'seller.voidLabel', at },
      { type: 'seller.confirmShipment', at },
      { type: 'seller.confirmShipment', at, items: [{ orderItemId: 'A', quantity: 1 }] },
      { type: 'marketplace.orderShipped', at, items: [{ orderItemId: 'B', quantity: 1 }] },
      { type: 'marketplace.statusReported', at, status: 'pending' },
      { type: 'marketplace.statusReported', at, status: 'unshipped' },
      { type: 'clock.tick', at },
    );
  }
  // A report older than one the order follows (it arrived late).
  events.push({ type: 'marketplace.statusReported', at: placedAt, status: 'pending' });
  return events;
}

/** The events of a path, without the initial `xstate.init` step. */
const eventsOf = (path: { steps: { event: { type: string } }[] }) => path.steps.map((step) => step.event).filter((event) => event.type !== 'xstate.init');

const transitions = allTransitions(orderMachine);
const stateIds = allStateIds(orderMachine);
// Delayed (`after`) transitions would appear as xstate.after.* events; the machine wakes itself with clock.tick
// instead, but if one is added the graph walk sends it explicitly.
const afterEvents = [...transitions.keys()].filter((t) => t.eventType.startsWith('xstate.after')).map((t) => ({ type: t.eventType }));

describe('statechart coverage', () => {
  const paths = getShortestPaths(orderMachine, {
    input: input as never,
    events: ((snapshot: Parameters<typeof explicitEvents>[0]) => [...explicitEvents(snapshot), ...afterEvents]) as never,
    serializeState: (snapshot) => {
      const { value, context } = snapshot as unknown as {
        value: unknown;
        context: { items: { quantityCanceled: number; quantityShipped: number }[]; requests: unknown[]; marketplaceStatus: unknown };
      };
      return JSON.stringify([value, context.items.map((item) => [item.quantityCanceled, item.quantityShipped]), context.requests.length > 0, context.marketplaceStatus]);
    },
  });

  it('should reach every state of the machine with getShortestPaths and explicit events', () => {
    const reached = new Set<string>();
    for (const path of paths) record(input, eventsOf(path), new Set(), reached);
    expect(stateIds.filter((id) => !reached.has(id))).toEqual([]);
  });

  const missing = (taken: Set<AnyTransition>) => {
    const labels = new Set([...taken].map((t) => transitions.get(t)));
    return [...new Set(transitions.values())].filter((label) => !labels.has(label));
  };

  it('should take every transition of the machine on the shortest paths followed by each explicit event', () => {
    const taken = new Set<AnyTransition>();
    for (const path of paths) {
      const prefix = eventsOf(path);
      for (const event of explicitEvents(path.state as never)) record(input, [...prefix, event], taken, new Set());
    }
    expect(missing(taken)).toEqual([]);
  });

  it('should reach every state and take every transition with the property suite\'s own scenarios', () => {
    // The arbitraries the properties use, sampled with a fixed seed: a transition no scenario takes fails here.
    const taken = new Set<AnyTransition>();
    const reached = new Set<string>();
    for (const scenario of fc.sample(orderScenarioArbitrary(), { numRuns: 400, seed: 20261126 })) record(scenario.input, scenario.events, taken, reached);
    expect(stateIds.filter((id) => !reached.has(id))).toEqual([]);
    expect(missing(taken)).toEqual([]);
  });

  it('should know every state and transition it checks, so that a new one is noticed', () => {
    expect(stateIds).toEqual([
      'order',
      'order.placed',
      'order.placed.buyerCancellable',
      'order.placed.unshipped',
      'order.placed.labelGenerated',
      'order.shipped',
      'order.canceled',
      'order.autoCanceled',
    ]);
    // A transition added to the machine must be added here too, after the tests above show the suite reaches it.
    expect([...new Set(transitions.values())]).toEqual([
      '(time first) [isDuplicateEvent] --> (self)',
      '(time first) [isBeforePlacement] --> (self)',
      '(time first) [isAutoCancelDue&&hasShippedAny] --> order.shipped',
      '(time first) [isAutoCancelDue] --> order.autoCanceled',
      '(time first) [hasBuyerWindowClosed] --> unshipped',
      'order.placed --clock.tick[]--> (self)',
      'order.placed --marketplace.orderCanceled[]--> (self)',
      'order.placed --marketplace.orderShipped[shipsUnits]--> order.placed.unshipped',
      'order.placed --marketplace.orderShipped[in]--> order.placed.unshipped',
      'order.placed --marketplace.orderShipped[]--> (self)',
      'order.placed --marketplace.statusReported[isStaleReport]--> (self)',
      'order.placed --marketplace.statusReported[in&&isReportedUnshipped]--> order.placed.unshipped',
      'order.placed --marketplace.statusReported[in&&isReportedPending]--> order.placed.buyerCancellable',
      'order.placed --marketplace.statusReported[]--> (self)',
      'order.placed --(always)[hasNothingLeft&&hasShippedAny]--> order.shipped',
      'order.placed --(always)[hasNothingLeft]--> order.canceled',
      'order.placed.buyerCancellable --buyer.cancel[isInsideBuyerWindow&&mayBuyerCancel]--> (self)',
      'order.placed.buyerCancellable --buyer.requestCancellation[isRepeatedRequest]--> (self)',
      'order.placed.buyerCancellable --buyer.requestCancellation[mayRequestCancellation]--> (self)',
      'order.placed.unshipped --buyer.cancel[isInsideBuyerWindow&&mayBuyerCancel]--> (self)',
      'order.placed.unshipped --buyer.requestCancellation[isRepeatedRequest]--> (self)',
      'order.placed.unshipped --buyer.requestCancellation[mayRequestCancellation]--> (self)',
      'order.placed.unshipped --seller.cancel[maySellerCancel]--> (self)',
      'order.placed.unshipped --seller.generateLabel[mayGenerateLabel]--> order.placed.labelGenerated',
      'order.placed.unshipped --seller.confirmShipment[mayConfirmShipment]--> (self)',
      'order.placed.labelGenerated --seller.voidLabel[mayVoidLabel]--> (self)',
      'order.placed.labelGenerated --seller.generateLabel[mayGenerateLabel]--> (self)',
      'order.placed.labelGenerated --seller.confirmShipment[mayConfirmShipment]--> order.placed.unshipped',
    ]);
    expect(paths.length).toBeGreaterThan(stateIds.length);
  });
});
