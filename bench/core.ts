/**
 * The core's bench sections: the back-end step, the live actor, a 1,000-item cancel, repeated requests, and
 * stored sizes and heap, each against a baseline that does the same work in the same process.
 */
import fc from 'fast-check';
import {
  createActor,
  transition,
  type AnyActorRef,
  type AnyStateMachine,
  type EventFromLogic,
  type SnapshotFrom,
} from 'xstate';
import {
  applyEvent,
  createOrder,
  createOrderActor,
  orderStatus,
  restoreOrder,
  serializeOrder,
  type OrderEventInput,
  type OrderInput,
  type OrderSnapshot,
} from '../src/index.js';
import { minimalMachine } from './baselines/minimal-machine.js';
import { orderMachine } from '../machines/order/index.js';
import { parseEvent } from '../src/runtime/index.js';
import { pureTransition } from '../src/runtime/pure.js';
import {
  plainApply,
  plainOrder,
  plainStep,
  type PlainEvent,
  type PlainState,
  type PlainStatus,
} from './baselines/reducer.js';
import { instantMs } from '../src/testing/arbitraries.js';
import { orderScenarioArbitrary } from '../src/testing/index.js';
import { consume, defineSection, formatBytes, type Table } from './lib.js';

const MINUTE = 60_000;
const placedAt = Date.parse('2026-11-26T10:00:00+08:00');
const latestShipDate = placedAt + 2 * 24 * 60 * MINUTE;

/** A three-item order as Amazon reports it. */
export const threeItemInput = {
  orderId: '113-1234567-1234567',
  marketplaceId: 'ATVPDKIKX0DER',
  placedAt,
  latestShipDate,
  items: [
    { orderItemId: '12345678901234', sku: 'MUG-RED-350', quantity: 2 },
    { orderItemId: '12345678901235', sku: 'MUG-BLUE-350', quantity: 1 },
    { orderItemId: '12345678901236', sku: 'MUG-GREEN-350', quantity: 1 },
  ],
} satisfies OrderInput;
const itemA = threeItemInput.items[0]!;
const itemB = threeItemInput.items[1]!;

/** A typical order's life, in time order: an official request for one item, a partial cancel, a label, a refused cancel, shipment. */
export const journey = [
  {
    type: 'buyer.requestCancellation',
    at: placedAt + 45 * MINUTE,
    source: 'order-flag',
    orderItemIds: [itemA.orderItemId],
  },
  {
    type: 'seller.cancel',
    at: placedAt + 50 * MINUTE,
    reason: 'BuyerCanceled',
    items: [{ orderItemId: itemA.orderItemId, quantity: 1 }],
  },
  { type: 'seller.generateLabel', at: placedAt + 60 * MINUTE },
  {
    type: 'seller.cancel',
    at: placedAt + 61 * MINUTE,
    reason: 'NoInventory',
    items: [{ orderItemId: itemB.orderItemId, quantity: 1 }],
  },
  { type: 'seller.confirmShipment', at: placedAt + 90 * MINUTE },
] satisfies OrderEventInput[] & PlainEvent[];

const stubClock = { now: () => placedAt, setTimeout: () => 0, clearTimeout: () => undefined };
const statusKey: Record<string, PlainStatus> = {
  'buyer-cancellable': 'buyerCancellable',
  unshipped: 'unshipped',
  'label-generated': 'labelGenerated',
  shipped: 'shipped',
  canceled: 'canceled',
  'auto-canceled': 'autoCanceled',
};

/** What the package and a baseline must agree on, so that both did the same work. */
function outcome(state: string, context: PlainState['order'] | OrderSnapshot['context']): string {
  return JSON.stringify({
    state,
    items: context.items.map((item) => [item.orderItemId, item.quantityCanceled, item.buyerRequestedCancel]),
    cancellations: context.cancellations.map((record) => [
      record.by,
      record.reason,
      record.at,
      record.items,
      record.countsAgainstRate,
    ]),
    requests: context.requests.map((request) => [request.at, request.source, request.official, request.orderItemIds]),
    label: context.labelGeneratedAt,
    shipped: [context.shippedAt, context.shippedLate],
  });
}
const packageOutcome = (snapshot: OrderSnapshot) => outcome(statusKey[orderStatus(snapshot)]!, snapshot.context);
const plainOutcome = (state: PlainState) => outcome(state.state, state.order);
function minimalOutcome(actor: AnyActorRef): string {
  const snapshot = actor.getSnapshot();
  const value = snapshot.value as string | { placed: string };
  return outcome(typeof value === 'string' ? value : value.placed, snapshot.context);
}

function sameWork(what: string, ours: string, baseline: string): void {
  if (ours !== baseline) {
    throw new Error(
      `The baseline of "${what}" does not do the same work as the package:\n  package:  ${ours}\n  baseline: ${baseline}`,
    );
  }
}

/** Runs a whole journey each way, with verdicts, and fails when a baseline decides anything differently. */
function checkSameWork(table: Table): void {
  // Units shipped per item, beside the outcome: the journey ships what its cancels leave.
  const shipped = (context: { items: readonly { quantityShipped: number }[] }) =>
    context.items.map((item) => item.quantityShipped).join(' ');
  let snapshot = createOrder(threeItemInput).snapshot;
  let plain = plainOrder(threeItemInput);
  const actor = createActor(minimalMachine, { input: plainOrder(threeItemInput).order }).start();
  const live = createOrderActor(threeItemInput, { clock: stubClock });
  for (const event of journey) {
    const ours = applyEvent(snapshot, event);
    const hand = plainApply(plain, event);
    if (ours.verdict.accepted !== hand.accepted || ours.effects.length !== hand.effects.length) {
      throw new Error(
        `The hand reducer judges ${event.type} differently: package ${JSON.stringify(ours.verdict)}, reducer ${JSON.stringify(hand)}.`,
      );
    }
    snapshot = ours.snapshot;
    plain = hand.next;
    actor.send(event);
    live.send(event);
    sameWork(`${event.type} (hand reducer)`, packageOutcome(snapshot), plainOutcome(plain));
    sameWork(`${event.type} (minimal machine)`, packageOutcome(snapshot), minimalOutcome(actor));
    sameWork(`${event.type} (live actor)`, packageOutcome(snapshot), minimalOutcome(live));
    sameWork(`${event.type} (hand reducer, units shipped)`, shipped(snapshot.context), shipped(plain.order));
    sameWork(
      `${event.type} (minimal machine, units shipped)`,
      shipped(snapshot.context),
      shipped(actor.getSnapshot().context as PlainState['order']),
    );
  }
  actor.stop();
  live.stop();
  table.note(
    `checked before timing: the package, a live order actor, the hand reducer and the minimal machine reach the same state, items, records, label and shipment after each of the ${journey.length} journey events (same verdicts and effect counts from the reducer), and the 1,000-item cancel ends the same in package and reducer.`,
  );
}

/**
 * Random MFN scenarios from the package's own arbitraries (default policy, events around the deadlines, late
 * and repeated events): how often the hand reducer decides as the package does. A note, not a failure: the
 * timed journeys are checked strictly above; this says how far "the same rules" holds beyond them.
 */
function compareOnRandomScenarios(table: Table, runs = 300): void {
  const seed = Number(process.env['BENCH_SEED'] ?? 20261126);
  const scenarios = fc.sample(orderScenarioArbitrary({ channel: 'MFN', withPolicy: false, maxEvents: 12 }), {
    numRuns: runs,
    seed,
  });
  let differing = 0;
  let first = '';
  let machineDiffering = 0;
  let machineFirst = '';
  // Each step's outcome with the units shipped per item, which partial shipments change.
  const shipped = (context: { items: readonly { quantityShipped: number }[] }) =>
    ` shipped ${context.items.map((item) => item.quantityShipped).join(' ')}`;
  for (const { input, events } of scenarios) {
    // The baselines always have an auto-cancel deadline: an order that starts without a latest ship date (Amazon's
    // data allows it) is the package's alone, like the marketplace facts below.
    if (input.latestShipDate === undefined) continue;
    const base = {
      ...input,
      placedAt: instantMs(input.placedAt as number | string),
      latestShipDate: instantMs(input.latestShipDate as number | string),
    };
    delete (base as { marketplaceId?: string }).marketplaceId;
    let snapshot = createOrder(base).snapshot;
    let plain = plainOrder(base);
    const actor = createActor(minimalMachine, { input: plainOrder(base).order }).start();
    let machineAgrees = true;
    // The baselines model the seller's and buyer's commands and time; marketplace facts are the package's alone.
    for (const [index, raw] of events.filter((candidate) => !candidate.type.startsWith('marketplace.')).entries()) {
      const event = { ...raw, at: instantMs(raw.at as number | string) } as OrderEventInput & PlainEvent;
      const ours = applyEvent(snapshot, event);
      const hand = plainApply(plain, event);
      snapshot = ours.snapshot;
      plain = hand.next;
      actor.send(event);
      const ourOutcome = packageOutcome(snapshot) + shipped(snapshot.context);
      const machineOutcome = minimalOutcome(actor) + shipped(actor.getSnapshot().context as PlainState['order']);
      if (machineAgrees && ourOutcome !== machineOutcome) {
        machineAgrees = false;
        machineDiffering++;
        machineFirst ||= `event ${index + 1} ${JSON.stringify(event)}: package ${ourOutcome}; minimal machine ${machineOutcome}`;
      }
      const a = `${ours.verdict.accepted} ${ourOutcome}`;
      const b = `${hand.accepted} ${plainOutcome(plain)}${shipped(plain.order)}`;
      if (a !== b) {
        differing++;
        first ||= `event ${index + 1} ${JSON.stringify(event)}: package ${a}; reducer ${b}`;
        break;
      }
    }
    actor.stop();
  }
  table.note(
    `the hand reducer decides as the package on ${runs - differing} of ${runs} random MFN scenarios (fast-check seed ${seed}, BENCH_SEED to change)` +
      (first ? `; first difference at ${first}` : '.'),
  );
  table.note(
    `the minimal machine ends each step as the package on ${runs - machineDiffering} of ${runs} of the same scenarios` +
      (machineFirst ? `; first difference at ${machineFirst}` : '.'),
  );
}

function bigOrder(count: number) {
  const input = {
    orderId: '113-0000000-0001000',
    placedAt,
    latestShipDate,
    items: Array.from({ length: count }, (_, i) => ({
      orderItemId: `item-${String(i).padStart(5, '0')}`,
      quantity: 1,
    })),
  } satisfies OrderInput;
  const tick = { type: 'clock.tick', at: placedAt + 35 * MINUTE } as const;
  const cancel = {
    type: 'seller.cancel',
    at: placedAt + 40 * MINUTE,
    reason: 'NoInventory',
    items: input.items.map((item) => ({ orderItemId: item.orderItemId, quantity: 1 })),
  } satisfies OrderEventInput & PlainEvent;
  return {
    snapshot: applyEvent(createOrder(input).snapshot, tick).snapshot,
    plain: plainApply(plainOrder(input), tick).next,
    cancel,
  };
}

/** What a journey step must leave the same: the outcome and each item's units shipped (partial shipments change them). */
function stepOutcome(state: string, context: PlainState['order'] | OrderSnapshot['context']): string {
  return `${outcome(state, context)} shipped ${context.items.map((item) => item.quantityShipped).join(' ')}`;
}
const packageStepOutcome = (snapshot: OrderSnapshot) =>
  stepOutcome(statusKey[orderStatus(snapshot)]!, snapshot.context);
const stateOf = (value: unknown) => (typeof value === 'string' ? value : (value as { placed: string }).placed);

/** The package's outcome after each event of the journey, stepped in memory. */
function journeyOutcomes(): string[] {
  let snapshot = createOrder(threeItemInput).snapshot;
  return journey.map((event) => packageStepOutcome((snapshot = applyEvent(snapshot, event).snapshot)));
}

/** Fails unless `outcomes` are the package's, event by event. */
function sameJourney(what: string, outcomes: readonly string[]): void {
  journeyOutcomes().forEach((ours, i) => sameWork(`${journey[i]!.type} (${what})`, ours, outcomes[i]!));
}

/**
 * The minimal machine's stored form: its state value and context as JSON, what a back end built on XState alone
 * would keep. Its step is the least XState does for one event of a stored order: parse the text, resolve the
 * snapshot, one transition on a kept scope (the package's own `pureTransition`), stringify.
 */
/** A machine's snapshot as a back end built on XState alone keeps it: its state value and context as JSON. */
function stateJson(snapshot: { value: unknown; context: unknown }): string {
  return JSON.stringify({ value: snapshot.value, context: snapshot.context });
}
/** One step of such a stored snapshot: parse, resolve, one transition on a kept scope, stringify. */
function jsonStep<M extends AnyStateMachine>(machine: M, text: string, event: EventFromLogic<M>): string {
  const [next] = pureTransition(machine, machine.resolveState(JSON.parse(text) as never) as SnapshotFrom<M>, event);
  return stateJson(next);
}
function minimalStepStart(): string {
  return stateJson(createActor(minimalMachine, { input: plainOrder(threeItemInput).order }).getSnapshot());
}
function minimalStep(text: string, event: PlainEvent): string {
  return jsonStep(minimalMachine, text, event);
}
function minimalStepOutcomes(start: string): string[] {
  let text = start;
  return journey.map((event) => {
    text = minimalStep(text, event);
    const stored = JSON.parse(text) as { value: unknown; context: PlainState['order'] };
    return stepOutcome(stateOf(stored.value), stored.context);
  });
}

/**
 * The package's own chart with nothing of the package around it: its state value and context as JSON, the event
 * parsed beforehand, one transition on a kept scope. What XState costs for this chart, without the event's
 * validation, the stored context's checks and invariants, the verdict or the compact stored form.
 */
const parsedJourney = journey.map((event) => parseEvent(event));
function chartStep(text: string, event: ReturnType<typeof parseEvent>): string {
  return jsonStep(orderMachine, text, event);
}
function chartStepOutcomes(start: string): string[] {
  let text = start;
  return parsedJourney.map((event) => {
    text = chartStep(text, event);
    return packageStepOutcome(orderMachine.resolveState(JSON.parse(text) as never));
  });
}

/** The back-end step (restore, apply, serialize) against the hand reducer's JSON round trip. */
export const backEnd = defineSection('back-end', async (t) => {
  checkSameWork(t);
  compareOnRandomScenarios(t);
  const start = serializeOrder(createOrder(threeItemInput).snapshot);
  const plainStart = JSON.stringify(plainOrder(threeItemInput));
  const minimalText = minimalStepStart();
  sameJourney('minimal machine through JSON', minimalStepOutcomes(minimalText));
  const chartText = stateJson(createOrder(threeItemInput).snapshot);
  sameJourney("the package's chart through JSON", chartStepOutcomes(chartText));
  /** A task that steps a stored order's text through every event of the journey, one event per operation. */
  const journeyTask = <E>(
    name: string,
    text: string,
    events: readonly E[],
    step: (text: string, event: E) => string,
  ) => ({
    name,
    opsPerCall: journey.length,
    run: () => events.reduce(step, text),
  });
  const m = await t.interleave([
    journeyTask('package', start, journey, (text, event) =>
      serializeOrder(applyEvent(restoreOrder(text), event).snapshot),
    ),
    journeyTask('hand', plainStart, journey, (text, event) => plainStep(text, event).text),
    journeyTask('minimal', minimalText, journey, minimalStep),
    journeyTask('chart', chartText, parsedJourney, chartStep),
  ]);
  t.ratio(
    'step: restoreOrder + applyEvent + serializeOrder, per event (3 items, 5-event journey) vs hand reducer with JSON parse/stringify',
    m.get('package'),
    m.get('hand'),
    { max: 4 },
  );
  // What XState itself costs on this step, and what the package adds to it, in the same rounds.
  t.ratio(
    "XState's floor: the minimal machine's step through JSON (JSON.parse, resolveState, pureTransition, JSON.stringify) vs hand reducer",
    m.get('minimal'),
    m.get('hand'),
  );
  t.ratio(
    "the package's chart through JSON: the order machine's step with the event parsed beforehand (JSON.parse, resolveState, pureTransition, JSON.stringify) vs hand reducer",
    m.get('chart'),
    m.get('hand'),
  );
  t.ratio(
    "step vs the package's chart through JSON (what validation, invariants, verdicts and the compact stored form add)",
    m.get('package'),
    m.get('chart'),
  );
  t.ratio(
    "step vs the minimal machine's step through JSON (what the package's chart, validation, invariants, verdicts and stored form add)",
    m.get('package'),
    m.get('minimal'),
  );

  // The same step in its three parts, each against the hand reducer's part, on the journey's own inputs.
  const texts: string[] = [];
  const snapshots: OrderSnapshot[] = [];
  const plainTexts: string[] = [];
  const plainStates: PlainState[] = [];
  let text = start;
  let plainText = plainStart;
  for (const event of journey) {
    texts.push(text);
    snapshots.push(restoreOrder(text));
    plainTexts.push(plainText);
    plainStates.push(JSON.parse(plainText) as PlainState);
    text = serializeOrder(applyEvent(restoreOrder(text), event).snapshot);
    plainText = plainStep(plainText, event).text;
  }
  const after = journey.map((event, i) => applyEvent(snapshots[i]!, event).snapshot);
  const plainAfter = journey.map((event, i) => plainApply(plainStates[i]!, event).next);
  const each =
    <T>(values: readonly T[], f: (value: T, i: number) => unknown) =>
    () =>
      values.map((value, i) => f(value, i));
  const parts = await t.interleave([
    { name: 'restoreOrder', opsPerCall: journey.length, run: each(texts, (value) => restoreOrder(value)) },
    { name: 'JSON.parse', opsPerCall: journey.length, run: each(plainTexts, (value) => JSON.parse(value)) },
    {
      name: 'applyEvent',
      opsPerCall: journey.length,
      run: each(snapshots, (value, i) => applyEvent(value, journey[i]!)),
    },
    {
      name: 'plainApply',
      opsPerCall: journey.length,
      run: each(plainStates, (value, i) => plainApply(value, journey[i]!)),
    },
    { name: 'serializeOrder', opsPerCall: journey.length, run: each(after, (value) => serializeOrder(value)) },
    { name: 'JSON.stringify', opsPerCall: journey.length, run: each(plainAfter, (value) => JSON.stringify(value)) },
  ]);
  t.ratio(
    "part of the step: restoreOrder vs JSON.parse of the hand reducer's text",
    parts.get('restoreOrder'),
    parts.get('JSON.parse'),
  );
  t.ratio(
    "part of the step: applyEvent (in memory) vs the hand reducer's apply",
    parts.get('applyEvent'),
    parts.get('plainApply'),
  );
  t.ratio(
    "part of the step: serializeOrder vs JSON.stringify of the hand reducer's state",
    parts.get('serializeOrder'),
    parts.get('JSON.stringify'),
  );

  // Repeated identical requests (no eventId) must not make later steps slower.
  // Both orders hold the first request; one has also received it 100 more times.
  const request = (i: number): OrderEventInput => ({
    type: 'buyer.requestCancellation',
    at: placedAt + 36 * MINUTE + i * 1000,
    source: 'message',
    subject: 'please cancel',
    orderItemIds: [itemA.orderItemId],
  });
  const unshipped = applyEvent(createOrder(threeItemInput).snapshot, {
    type: 'clock.tick',
    at: placedAt + 35 * MINUTE,
  }).snapshot;
  const once = applyEvent(unshipped, request(0)).snapshot;
  let repeated = once;
  for (let i = 1; i <= 100; i++) repeated = applyEvent(repeated, request(i)).snapshot;
  const after0 = serializeOrder(once);
  const after100 = serializeOrder(repeated);
  const label = { type: 'seller.generateLabel', at: placedAt + 3 * 60 * MINUTE } as const;
  const step = (text: string) => serializeOrder(applyEvent(restoreOrder(text), label).snapshot);
  const flat = await t.interleave([
    { name: 'after 100', run: () => step(after100) },
    { name: 'after 0', run: () => step(after0) },
  ]);
  t.ratio(
    'step after a request and 100 identical repeats vs after the request alone (same event: generateLabel)',
    flat.get('after 100'),
    flat.get('after 0'),
    { max: 1.2 },
  );
  t.bytes(
    'stored order after a request and 100 identical repeats vs after the request alone',
    Buffer.byteLength(after100),
    { baseline: Buffer.byteLength(after0) },
  );

  // A full cancel of 1,000 items, in memory (no JSON), against the hand reducer's same decision.
  const big = bigOrder(1000);
  sameWork(
    '1,000-item cancel',
    packageOutcome(applyEvent(big.snapshot, big.cancel).snapshot),
    plainOutcome(plainApply(big.plain, big.cancel).next),
  );
  const cancel = await t.interleave([
    { name: 'package', run: () => applyEvent(big.snapshot, big.cancel) },
    { name: 'hand', run: () => plainApply(big.plain, big.cancel) },
  ]);
  t.time('full seller cancel of 1,000 items listed one by one: applyEvent (in memory)', cancel.get('package'), {
    underMs: 1,
  });
  t.ratio('full seller cancel of 1,000 items vs hand reducer (in memory)', cancel.get('package'), cancel.get('hand'));
  // Linear in the items: twice the items, twice the time (same rounds).
  const bigger = bigOrder(2000);
  const scale = await t.interleave([
    { name: '2000', run: () => applyEvent(bigger.snapshot, bigger.cancel) },
    { name: '1000', run: () => applyEvent(big.snapshot, big.cancel) },
  ]);
  t.ratio(
    'full seller cancel of 2,000 items vs of 1,000 items (linear: about 2x)',
    scale.get('2000'),
    scale.get('1000'),
    { max: 2.2 },
  );

  // The pure step's kept scope (src/runtime/pure.ts) against XState's transition(), which builds an actor and a
  // system per call: the same machine, snapshot and event (a label on an unshipped order), the same result.
  const unshippedOrder = applyEvent(createOrder(threeItemInput).snapshot, {
    type: 'clock.tick',
    at: placedAt + 35 * MINUTE,
  }).snapshot;
  const labelEvent = parseEvent({ type: 'seller.generateLabel', at: placedAt + 40 * MINUTE });
  const [viaScope] = pureTransition(orderMachine, unshippedOrder, labelEvent);
  const [viaActor] = transition(orderMachine, unshippedOrder, labelEvent);
  if (JSON.stringify([viaScope.value, viaScope.context]) !== JSON.stringify([viaActor.value, viaActor.context]))
    throw new Error('pureTransition and transition() reached different snapshots');
  const scoped = await t.interleave([
    { name: 'pureTransition', run: () => pureTransition(orderMachine, unshippedOrder, labelEvent) },
    { name: 'transition', run: () => transition(orderMachine, unshippedOrder, labelEvent) },
  ]);
  t.ratio(
    "one step of the order machine: pureTransition (kept scope) vs xstate's transition() (an actor per call)",
    scoped.get('pureTransition'),
    scoped.get('transition'),
  );

  // For reference: the in-memory step against XState's public transition() on the minimal machine.
  const created = createOrder(threeItemInput).snapshot;
  const minimalStart = createActor(minimalMachine, { input: plainOrder(threeItemInput).order }).getSnapshot();
  const pure = await t.interleave([
    {
      name: 'package',
      opsPerCall: journey.length,
      run: () => {
        let snapshot = created;
        for (const event of journey) snapshot = applyEvent(snapshot, event).snapshot;
        return snapshot;
      },
    },
    {
      name: 'transition',
      opsPerCall: journey.length,
      run: () => {
        let snapshot = minimalStart;
        for (const event of journey) [snapshot] = transition(minimalMachine, snapshot, event);
        return snapshot;
      },
    },
  ]);
  t.ratio(
    'in-memory step: applyEvent per event vs xstate transition() on the minimal machine',
    pure.get('package'),
    pure.get('transition'),
  );
});

/** Live actors: `send` through createOrderActor against a raw actor of the minimal machine. */
export const live = defineSection('live', async (t) => {
  // The package's own machine, sent the journey's events already parsed, as a raw XState actor: no validation,
  // no verdict. It must end where createOrderActor does.
  const machineActor = () => createActor(orderMachine, { input: threeItemInput, clock: stubClock }).start();
  const check = machineActor();
  const wrapped = createOrderActor(threeItemInput, { clock: stubClock });
  const raw: string[] = [];
  const wrappedOutcomes: string[] = [];
  parsedJourney.forEach((event, i) => {
    check.send(event);
    wrapped.send(journey[i]!);
    raw.push(packageStepOutcome(check.getSnapshot() as OrderSnapshot));
    wrappedOutcomes.push(packageStepOutcome(wrapped.getSnapshot()));
  });
  sameJourney('order machine sent raw', raw);
  sameJourney('createOrderActor', wrappedOutcomes);
  check.stop();
  wrapped.stop();
  const m = await t.interleave([
    {
      name: 'package',
      opsPerCall: journey.length,
      setup: (calls: number) =>
        Array.from({ length: calls }, () => createOrderActor(threeItemInput, { clock: stubClock })),
      run: (actors: ReturnType<typeof createOrderActor>[], i: number) => {
        const actor = actors[i]!;
        for (const event of journey) actor.send(event);
        return actor;
      },
      teardown: (actors: ReturnType<typeof createOrderActor>[]) => actors.forEach((actor) => actor.stop()),
    },
    {
      name: 'raw',
      opsPerCall: journey.length,
      setup: (calls: number) =>
        Array.from({ length: calls }, () =>
          createActor(minimalMachine, { input: plainOrder(threeItemInput).order }).start(),
        ),
      run: (actors: AnyActorRef[], i: number) => {
        const actor = actors[i]!;
        for (const event of journey) actor.send(event);
        return actor;
      },
      teardown: (actors: AnyActorRef[]) => actors.forEach((actor) => actor.stop()),
    },
    {
      name: 'machine',
      opsPerCall: journey.length,
      setup: (calls: number) => Array.from({ length: calls }, machineActor),
      run: (actors: AnyActorRef[], i: number) => {
        const actor = actors[i]!;
        for (const event of parsedJourney) actor.send(event);
        return actor;
      },
      teardown: (actors: AnyActorRef[]) => actors.forEach((actor) => actor.stop()),
    },
  ]);
  t.ratio(
    'live send per event: createOrderActor(...).send vs raw actor.send on the minimal machine (actor creation untimed)',
    m.get('package'),
    m.get('raw'),
    { max: 1.3 },
  );
  // Where the gap is, in the same rounds: XState running the package's chart, and the package's work around it.
  t.ratio(
    "live send: the package's own machine sent raw (createActor(orderMachine), events parsed beforehand) vs raw actor.send on the minimal machine",
    m.get('machine'),
    m.get('raw'),
  );
  t.ratio(
    "live send: createOrderActor(...).send vs the package's own machine sent raw (what parsing, judging and the verdict's words add)",
    m.get('package'),
    m.get('machine'),
  );
});

/** Retained heap of `count` values made by `make`, per value: the gc() delta while they are all kept. */
function retained(make: (index: number) => unknown, count: number): number {
  const gc = (globalThis as { gc?: () => void }).gc!;
  const runs: number[] = [];
  for (let run = 0; run < 3; run++) {
    gc();
    gc();
    const before = process.memoryUsage().heapUsed;
    const kept = Array.from({ length: count }, (_, index) => make(index));
    gc();
    gc();
    runs.push((process.memoryUsage().heapUsed - before) / count);
    consume(kept);
  }
  consume(undefined);
  return runs.sort((a, b) => a - b)[1]!;
}

/** Stored bytes (real JSON bytes) and retained heap, against the hand reducer's plain object. */
export const memory = defineSection('memory', (t) => {
  const created = createOrder(threeItemInput).snapshot;
  const stored = serializeOrder(created);
  const plainStored = JSON.stringify(plainOrder(threeItemInput));
  t.bytes(
    'stored three-item order, new (Buffer.byteLength of serializeOrder) vs hand reducer JSON',
    Buffer.byteLength(stored),
    {
      baseline: Buffer.byteLength(plainStored),
      maxBytes: 500,
    },
  );
  // The same order with one-letter item ids and short SKUs, as in the first measurement.
  const short = {
    ...threeItemInput,
    marketplaceId: undefined,
    items: threeItemInput.items.map((item, i) => ({
      orderItemId: 'ABC'[i]!,
      sku: item.sku.slice(0, -4),
      quantity: item.quantity,
    })),
  };
  delete short.marketplaceId;
  t.bytes(
    'stored three-item order, new, one-letter item ids, no marketplaceId vs hand reducer JSON',
    Buffer.byteLength(serializeOrder(createOrder(short).snapshot)),
    {
      baseline: Buffer.byteLength(JSON.stringify(plainOrder(short))),
      maxBytes: 500,
    },
  );
  let snapshot = created;
  let plain = plainOrder(threeItemInput);
  for (const event of journey) {
    snapshot = applyEvent(snapshot, event).snapshot;
    plain = plainApply(plain, event).next;
  }
  const shipped = serializeOrder(snapshot);
  t.bytes('stored three-item order after the 5-event journey vs hand reducer JSON', Buffer.byteLength(shipped), {
    baseline: Buffer.byteLength(JSON.stringify(plain)),
  });
  if (!(globalThis as { gc?: unknown }).gc) {
    t.note('retained heap not measured: run node with --expose-gc.');
    return;
  }
  // Each text gets its own order id so that no two restored orders share strings.
  const texts = Array.from({ length: 5000 }, (_, i) =>
    shipped.replaceAll(threeItemInput.orderId, `113-${String(i).padStart(7, '0')}-1234567`),
  );
  const plainTexts = texts.map((_, i) =>
    JSON.stringify(plain).replaceAll(threeItemInput.orderId, `113-${String(i).padStart(7, '0')}-1234567`),
  );
  const heapOurs = retained((i) => restoreOrder(texts[i]!), texts.length);
  const heapHand = retained((i) => JSON.parse(plainTexts[i]!), plainTexts.length);
  t.add({
    measure:
      "retained heap per restored order after the journey (gc() delta over 5,000 kept, approximate) vs JSON.parse of the hand reducer's JSON",
    value: formatBytes(heapOurs),
    baseline: formatBytes(heapHand),
    ratio: `${(heapOurs / heapHand).toFixed(2)}×`,
    goal: '—',
    met: undefined,
  });
  const actorsOurs = retained(() => createOrderActor(threeItemInput, { clock: stubClock }), 2000);
  const actorsRaw = retained(
    () => createActor(minimalMachine, { input: plainOrder(threeItemInput).order }).start(),
    2000,
  );
  t.add({
    measure:
      'retained heap per started live actor, new order (gc() delta over 2,000 kept, approximate) vs raw actor of the minimal machine',
    value: formatBytes(actorsOurs),
    baseline: formatBytes(actorsRaw),
    ratio: `${(actorsOurs / actorsRaw).toFixed(2)}×`,
    goal: '—',
    met: undefined,
  });
});

export const sections = [backEnd, live, memory];
