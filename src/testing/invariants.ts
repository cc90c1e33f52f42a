import fc from 'fast-check';
import { initialTransition, transition, type AnyStateMachine } from 'xstate';
import type { Effect, OrderEventInput, OrderInput } from '../domain/index.js';
import { applyEvent, createOrder, explain, nextDeadline, parseEvent, type OrderSnapshot } from '../runtime/index.js';
import {
  cancelReasons,
  instantMs,
  orderScenarioArbitrary,
  type OrderInputOptions,
  type OrderScenario,
} from './arbitraries.js';
import type { DriverSnapshot, VerdictLike } from './drivers.js';
import { createModelOrder, isOfficialRequestModel, type ModelInput } from './model.js';
import { assertEqual, canonical, statusOf } from './observe.js';
import { OrderCheckError } from './errors.js';

/** A pure way to step an order; `verdict` is the verdict on the event just applied. */
export interface OrderStepper {
  readonly label: string;
  /** Creates an order from an input. */
  create(input: unknown): DriverSnapshot;
  /** Applies one (possibly malformed) event; throws on events that are not events. */
  step(snapshot: DriverSnapshot, event: unknown): { snapshot: DriverSnapshot; effects: Effect[]; verdict: VerdictLike };
}

/** The package's `createOrder` / `applyEvent`. */
export const pureFunctionsStepper: OrderStepper = {
  label: 'createOrder/applyEvent',
  create: (input) => createOrder(input as never).snapshot,
  step: (snapshot, event) => applyEvent(snapshot as OrderSnapshot, event as OrderEventInput),
};

/**
 * Any machine with the order's states, events and context, stepped with xstate's `transition`; the verdict
 * comes from `verdict` (by default the package's `explain`, i.e. the rule functions).
 */
export function machineStepper(
  machine: AnyStateMachine,
  verdict: (snapshot: DriverSnapshot, event: OrderEventInput) => VerdictLike = (s, e) => explain(s as OrderSnapshot, e),
): OrderStepper {
  return {
    label: `machine "${machine.id}"`,
    create: (input) => initialTransition(machine, input)[0] as DriverSnapshot,
    step(snapshot, event) {
      const parsed = parseEvent(event);
      const judged = verdict(snapshot, parsed);
      const [next, actions] = transition(machine, snapshot as never, parsed as never);
      const effects = (actions as { type: string; params?: unknown }[])
        .filter((action) => action.type === 'xstate.emit')
        .map((action) => (action.params as { event: Effect }).event)
        .filter((effect) => (effect.type as string) !== 'order.accepted');
      return { snapshot: next as DriverSnapshot, effects, verdict: judged };
    },
  };
}

/** The parts of a snapshot two runs must agree on to be indistinguishable. */
const essence = (snapshot: DriverSnapshot) => ({
  value: snapshot.value,
  status: snapshot.status,
  context: snapshot.context,
  output: (snapshot as { output?: unknown }).output,
});
const same = (a: DriverSnapshot, b: DriverSnapshot) => canonical(essence(a)) === canonical(essence(b));

interface Visit {
  input: OrderInput;
  windowEnd: number;
  autoCancelAt: number | null;
  channel: 'MFN' | 'AFN';
  before: DriverSnapshot;
  event: OrderEventInput;
  after: DriverSnapshot;
  effects: Effect[];
  verdict: VerdictLike;
  /** Items an accepted official request had named before this event. */
  requestedBefore: ReadonlySet<string>;
}

/** Runs a scenario through the stepper and calls `visit` for every event. */
function walk(
  stepper: OrderStepper,
  scenario: OrderScenario,
  policy: ModelRunPolicy | undefined,
  visit: (v: Visit) => void,
  onSnapshot?: (s: DriverSnapshot) => void,
): void {
  const model = createModelOrder(scenario.input as ModelInput, policy);
  let snapshot = stepper.create(scenario.input);
  onSnapshot?.(snapshot);
  const requested = new Set<string>();
  for (const event of scenario.events) {
    const result = stepper.step(snapshot, event);
    visit({
      input: scenario.input,
      windowEnd: model.windowEnd,
      autoCancelAt: model.autoCancelAt,
      channel: model.channel,
      before: snapshot,
      event,
      after: result.snapshot,
      effects: result.effects,
      verdict: result.verdict,
      requestedBefore: new Set(requested),
    });
    if (
      event.type === 'buyer.requestCancellation' &&
      result.verdict.accepted &&
      !result.verdict.duplicate &&
      isOfficialRequestModel(event.source, event.subject)
    ) {
      for (const id of event.orderItemIds ?? scenario.input.items.map((item) => item.orderItemId)) requested.add(id);
    }
    snapshot = result.snapshot;
    onSnapshot?.(snapshot);
  }
}

type ModelRunPolicy = { buyerCancelWindowMs?: number; autoCancelAfterMs?: number };

const fail = (message: string): never => {
  throw new OrderCheckError(message);
};
const newRecords = (v: Visit) => v.after.context.cancellations.slice(v.before.context.cancellations.length);
/** Records the order's own rules made: the marketplace's facts follow their own rule (checked apart). */
const ruledRecords = (v: Visit) => newRecords(v).filter((record) => record.source !== 'marketplace');
const isFactEvent = (event: { type: string }) => event.type.startsWith('marketplace.');
const tickAt = (at: OrderEventInput['at']): OrderEventInput => ({ type: 'clock.tick', at });

/** The names of the invariants, each its own property. */
export const invariantNames = [
  'final states absorb every event',
  'nothing is cancelled once a label exists or after shipment',
  'a buyer self-cancel is accepted only inside the window',
  'auto-cancel happens exactly when the order is not ship-confirmed at autoCancelAt',
  'ordered = remaining + cancelled for every item, always',
  'ordered = cancelled + shipped + open for every item, always',
  'every cancellation has a reason and exactly the metric flag DESIGN.md prescribes',
  'a refused event leaves the snapshot deep-equal to a clock.tick at its at',
  'nextDeadline never lies',
  'malformed events are refused with an error and never corrupt a snapshot',
  'recorded history is in time order, and every recorded act was allowed at its recorded instant',
  'an event whose id the order has applied changes nothing',
] as const;
/** The name of one invariant, as in `invariantNames`. */
export type InvariantName = (typeof invariantNames)[number];

/** Malformed events: random JSON, and valid-looking events with one field broken. */
export const malformedEventArbitrary = (): fc.Arbitrary<unknown> =>
  fc.oneof(
    fc.jsonValue(),
    fc.anything(),
    fc.constantFrom<unknown>(
      { type: 'buyer.cancel' },
      { type: 'buyer.cancel', at: -1 },
      { type: 'buyer.cancel', at: 1.5 },
      { type: 'buyer.cancel', at: 8_640_000_000_000_001 },
      { type: 'buyer.cancel', at: '2026-02-30T00:00:00Z' },
      { type: 'buyer.cancel', at: 'yesterday' },
      { type: 'buyer.cancel', at: '2026-11-26T10:00:00' },
      { type: 'buyer.cancel', at: 0, extra: true },
      { type: 'buyer.explode', at: 0 },
      { type: 'seller.cancel', at: 0 },
      { type: 'seller.cancel', at: 0, reason: 'Whatever' },
      { type: 'seller.cancel', at: 0, reason: 'NoInventory', items: [] },
      { type: 'seller.cancel', at: 0, reason: 'NoInventory', items: [{ orderItemId: 'A', quantity: 0 }] },
      { type: 'seller.cancel', at: 0, reason: 'NoInventory', items: [{ orderItemId: 'A', quantity: -1 }] },
      { type: 'seller.cancel', at: 0, reason: 'NoInventory', items: [{ orderItemId: 'A', quantity: 1.5 }] },
      {
        type: 'seller.cancel',
        at: 0,
        reason: 'NoInventory',
        items: [
          { orderItemId: 'A', quantity: 1 },
          { orderItemId: 'A', quantity: 1 },
        ],
      },
      { type: 'seller.cancel', at: 0, reason: 'NoInventory', items: [{ orderItemId: '', quantity: 1 }] },
      { type: 'buyer.requestCancellation', at: 0 },
      { type: 'buyer.requestCancellation', at: 0, source: 'email' },
      { type: 'buyer.requestCancellation', at: 0, source: 'message', orderItemIds: [] },
      { type: 'buyer.requestCancellation', at: 0, source: 'message', subject: 42 },
      { type: 'clock.tick', at: null },
      null,
      'clock.tick',
      [],
    ),
  );

/**
 * The invariants of the order statechart as fast-check properties over random scenarios, for any stepper.
 * @example
 * for (const [name, property] of Object.entries(invariantProperties(pureFunctionsStepper))) fc.assert(property);
 */
export function invariantProperties(
  stepper: OrderStepper,
  options: OrderInputOptions & { policy?: ModelRunPolicy; maxEvents?: number; inputs?: fc.Arbitrary<OrderInput> } = {},
): Record<InvariantName, fc.IRawProperty<[OrderScenario]> | fc.IRawProperty<[OrderScenario, unknown[]]>> {
  const scenarios = orderScenarioArbitrary(options);
  const each = (check: (v: Visit) => void) =>
    fc.property(scenarios, (scenario) => walk(stepper, scenario, options.policy, check));
  const sellerReasons: readonly string[] = cancelReasons;

  return {
    'final states absorb every event': each((v) => {
      if (v.before.status !== 'done') return;
      if (!same(v.after, v.before)) fail(`A ${statusOf(v.before.value)} order changed on ${fc.stringify(v.event)}.`);
      if (v.effects.length)
        fail(`A ${statusOf(v.before.value)} order emitted ${fc.stringify(v.effects)} on ${fc.stringify(v.event)}.`);
      const placed = instantMs(v.event.at) >= v.before.context.placedAt;
      const known = v.event.eventId !== undefined && v.before.context.eventIds.includes(v.event.eventId);
      // A fact agrees with the end it finds: a shipment with a shipped order, a cancel with an order some of which
      // was cancelled; a readiness report is outlived by any end.
      const ended = statusOf(v.before.value);
      const agrees =
        v.event.type === 'marketplace.statusReported' ||
        (v.event.type === 'marketplace.orderShipped'
          ? ended === 'shipped'
          : v.event.type === 'marketplace.orderCanceled' &&
            (ended !== 'shipped' || v.before.context.cancellations.length > 0));
      if (v.verdict.accepted !== (known || ((v.event.type === 'clock.tick' || agrees) && placed)))
        fail(`A ${statusOf(v.before.value)} order answered ${fc.stringify(v.verdict)} to ${fc.stringify(v.event)}.`);
    }),

    'nothing is cancelled once a label exists or after shipment': each((v) => {
      const status = statusOf(v.before.value);
      const labelled = v.before.context.labelGeneratedAt !== null || status === 'label-generated';
      if (!labelled && status !== 'shipped') return;
      const records = ruledRecords(v);
      if (status === 'shipped' && records.length) fail(`A shipped order got cancellation ${fc.stringify(records)}.`);
      const manual = records.filter((record) => record.by !== 'system');
      if (manual.length)
        fail(`An order with a label got cancellation ${fc.stringify(manual)} from ${fc.stringify(v.event)}.`);
      if (v.event.type === 'seller.cancel' || v.event.type === 'buyer.cancel') {
        if (v.verdict.accepted && !v.verdict.duplicate)
          fail(`${v.event.type} was accepted with a label: ${fc.stringify(v.verdict)}.`);
      }
      if (statusOf(v.after.value) === 'canceled' && status !== 'canceled' && !isFactEvent(v.event))
        fail(`An order with a label became canceled on ${fc.stringify(v.event)}.`);
    }),

    'a buyer self-cancel is accepted only inside the window': each((v) => {
      const buyerRecords = ruledRecords(v).filter((record) => record.by === 'buyer');
      if (v.event.type !== 'buyer.cancel') {
        if (buyerRecords.length) fail(`${v.event.type} recorded a buyer cancellation.`);
        return;
      }
      const own = instantMs(v.event.at);
      const at = Math.max(own, v.before.context.clock);
      const known = v.event.eventId !== undefined && v.before.context.eventIds.includes(v.event.eventId);
      // The window is time alone: an order the marketplace already reports Unshipped is still the buyer's to cancel.
      const open = ['buyer-cancellable', 'unshipped'].includes(statusOf(v.before.value));
      const inside =
        !known && v.before.status === 'active' && own >= v.before.context.placedAt && at < v.windowEnd && open;
      if (known) return;
      if (inside !== v.verdict.accepted)
        fail(
          `buyer.cancel at ${at} (window ends ${v.windowEnd}) was ${v.verdict.accepted ? 'accepted' : 'refused'} in ${statusOf(v.before.value)}.`,
        );
      if (inside !== (buyerRecords.length === 1))
        fail(`buyer.cancel at ${at} (window ends ${v.windowEnd}) recorded ${buyerRecords.length} buyer cancellations.`);
      const ended = v.before.context.items.some((item) => item.quantityShipped > 0) ? 'shipped' : 'canceled';
      if (inside && statusOf(v.after.value) !== ended)
        fail(`An accepted buyer.cancel left the order ${statusOf(v.after.value)}, not ${ended}.`);
      if (inside && buyerRecords[0]!.countsAgainstRate) fail('A buyer self-cancel counted against the seller.');
    }),

    'auto-cancel happens exactly when the order is not ship-confirmed at autoCancelAt': each((v) => {
      const before = statusOf(v.before.value);
      const after = statusOf(v.after.value);
      const own = instantMs(v.event.at);
      const at = Math.max(own, v.before.context.clock);
      const known = v.event.eventId !== undefined && v.before.context.eventIds.includes(v.event.eventId);
      const open = v.before.status === 'active' && !known;
      // The deadline the order knew before the event; none runs while the marketplace reports the order Pending.
      const autoCancelAt = v.before.context.autoCancelAt;
      const pending = v.before.context.marketplaceStatus === 'pending';
      const due = open && own >= v.before.context.placedAt && autoCancelAt !== null && !pending && at >= autoCancelAt;
      if (!open) return;
      // A fact that starts or moves a deadline (a latest ship date, the end of Pending) may find it past already.
      const learnsDeadline =
        isFactEvent(v.event) && (autoCancelAt === null || pending || v.after.context.autoCancelAt !== autoCancelAt);
      const shippedBefore = v.before.context.items.some((item) => item.quantityShipped > 0);
      const autoCanceled =
        after === 'auto-canceled' ||
        (shippedBefore && after === 'shipped' && ruledRecords(v).some((record) => record.by === 'system'));
      if (due !== autoCanceled && !learnsDeadline)
        fail(`${fc.stringify(v.event)} (autoCancelAt ${autoCancelAt}) took a ${before} order to ${after}.`);
      if (due && shippedBefore !== (after === 'shipped'))
        fail(`An auto-cancel took a ${before} order ${shippedBefore ? 'with' : 'without'} shipped units to ${after}.`);
      if (!due) return;
      const records = ruledRecords(v);
      const remaining = v.before.context.items
        .map((item) => ({
          orderItemId: item.orderItemId,
          quantity: item.quantity - item.quantityCanceled - item.quantityShipped,
        }))
        .filter((item) => item.quantity > 0);
      assertEqual(
        records,
        [
          {
            by: 'system',
            reason: 'NotShippedInTime',
            at: autoCancelAt,
            items: remaining,
            countsAgainstRate: v.channel === 'MFN',
          },
        ],
        'The auto-cancellation record',
      );
      // Only time itself, and the marketplace's word that agrees with how time ended the order, are accepted.
      const agrees =
        v.event.type === 'marketplace.orderCanceled' ||
        v.event.type === 'marketplace.statusReported' ||
        (v.event.type === 'marketplace.orderShipped' && after === 'shipped');
      if (v.event.type !== 'clock.tick' && !agrees && v.verdict.accepted)
        fail(`${v.event.type} after autoCancelAt was accepted.`);
    }),

    'ordered = remaining + cancelled for every item, always': each((v) => {
      const { context } = v.after;
      assertEqual(
        context.items.map((item) => [item.orderItemId, item.quantity]),
        v.input.items.map((item) => [item.orderItemId, item.quantity]),
        'Ordered quantities',
      );
      for (const item of context.items) {
        const cancelled = context.cancellations
          .flatMap((record) => record.items)
          .filter((entry) => entry.orderItemId === item.orderItemId)
          .reduce((sum, entry) => sum + entry.quantity, 0);
        if (item.quantityCanceled !== cancelled)
          fail(
            `Item ${item.orderItemId}: quantityCanceled ${item.quantityCanceled} but the records cancel ${cancelled}.`,
          );
        if (item.quantityCanceled < 0 || item.quantityCanceled > item.quantity)
          fail(`Item ${item.orderItemId}: ${item.quantityCanceled} of ${item.quantity} cancelled.`);
      }
      const left = context.items.reduce((sum, item) => sum + item.quantity - item.quantityCanceled, 0);
      const status = statusOf(v.after.value);
      if ((status === 'canceled' || status === 'auto-canceled') !== (left === 0))
        fail(`A ${status} order has ${left} units left.`);
    }),

    'ordered = cancelled + shipped + open for every item, always': each((v) => {
      const status = statusOf(v.after.value);
      let open = 0;
      for (const item of v.after.context.items) {
        const before = v.before.context.items.find((candidate) => candidate.orderItemId === item.orderItemId)!;
        const itemOpen = item.quantity - item.quantityCanceled - item.quantityShipped;
        if (item.quantityShipped < 0 || itemOpen < 0)
          fail(
            `Item ${item.orderItemId}: ${item.quantity} ordered, ${item.quantityCanceled} cancelled, ${item.quantityShipped} shipped.`,
          );
        if (item.quantityShipped < before.quantityShipped)
          fail(
            `Item ${item.orderItemId}: shipped went down from ${before.quantityShipped} to ${item.quantityShipped}.`,
          );
        open += itemOpen;
      }
      const shipped = v.after.context.items.some((item) => item.quantityShipped > 0);
      const shipping = v.event.type === 'seller.confirmShipment' || v.event.type === 'marketplace.orderShipped';
      if (!shipping || !v.verdict.accepted || v.verdict.duplicate) {
        assertEqual(
          v.after.context.items.map((item) => item.quantityShipped),
          v.before.context.items.map((item) => item.quantityShipped),
          `Shipped units after ${v.event.type} (${v.verdict.accepted ? 'accepted' : 'refused'})`,
        );
      }
      const openStatus = ['buyer-cancellable', 'unshipped', 'label-generated'].includes(status);
      if (openStatus !== open > 0) fail(`A ${status} order has ${open} open units.`);
      if (status === 'shipped' && !shipped) fail('A shipped order shipped no unit.');
      if ((status === 'canceled' || status === 'auto-canceled') && shipped)
        fail(`A ${status} order shipped some units.`);
      if (shipped !== (v.after.context.shippedAt !== null))
        fail(`shippedAt is ${v.after.context.shippedAt} with${shipped ? '' : 'out'} shipped units.`);
    }),

    'every cancellation has a reason and exactly the metric flag DESIGN.md prescribes': each((v) => {
      for (const record of ruledRecords(v)) {
        const allowed =
          record.by === 'buyer' ? ['BuyerSelfCanceled'] : record.by === 'system' ? ['NotShippedInTime'] : sellerReasons;
        if (!allowed.includes(record.reason))
          fail(`A ${record.by} cancellation has the reason ${fc.stringify(record.reason)}.`);
        if (!record.items.length || record.items.some((item) => item.quantity <= 0))
          fail(`A cancellation without items: ${fc.stringify(record)}.`);
        let counts: boolean;
        if (v.channel === 'AFN' || record.by === 'buyer') counts = false;
        else if (record.by === 'system' || record.reason !== 'BuyerCanceled') counts = true;
        else counts = !record.items.every((item) => v.requestedBefore.has(item.orderItemId));
        if (record.countsAgainstRate !== counts)
          fail(
            `countsAgainstRate is ${record.countsAgainstRate} for ${fc.stringify(record)} (${v.channel}, official requests for ${fc.stringify([...v.requestedBefore])}).`,
          );
        const judged = Math.max(instantMs(v.event.at), v.before.context.clock);
        if (record.by === 'seller' && record.at !== judged)
          fail(`A seller cancellation at ${record.at} for an event at ${String(v.event.at)} judged at ${judged}.`);
      }
    }),

    'a refused event leaves the snapshot deep-equal to a clock.tick at its at': each((v) => {
      if (v.verdict.accepted) return;
      if (!v.verdict.code) fail(`A refusal of ${fc.stringify(v.event)} has no code.`);
      const tick = stepper.step(v.before, tickAt(v.event.at));
      if (!same(v.after, tick.snapshot))
        fail(
          `Refused ${fc.stringify(v.event)} (${v.verdict.code}) left ${canonical(essence(v.after))}\nbut a tick gives ${canonical(essence(tick.snapshot))}.`,
        );
      assertEqual(v.effects, tick.effects, `Effects of refused ${fc.stringify(v.event)} and of a tick`);
    }),

    'nextDeadline never lies': fc.property(scenarios, (scenario) =>
      walk(
        stepper,
        scenario,
        options.policy,
        () => {},
        (snapshot) => {
          const due = nextDeadline(snapshot as unknown as OrderSnapshot);
          const status = statusOf(snapshot.value);
          if (due === null) {
            const amazonShips = snapshot.context.fulfillmentChannel === 'AFN' && status !== 'buyer-cancellable';
            const waits =
              snapshot.context.marketplaceStatus === 'pending' ||
              (snapshot.context.latestShipDate === null && status !== 'buyer-cancellable');
            if (snapshot.status === 'active' && !amazonShips && !waits)
              fail(`An active ${status} order has no next deadline.`);
            const later = stepper.step(
              snapshot,
              tickAt(Math.max(snapshot.context.clock, snapshot.context.latestShipDate ?? 0) + 400 * 86_400_000),
            );
            if (!same(later.snapshot, snapshot)) fail(`A ${status} order with no deadline changed with time.`);
            return;
          }
          const expected =
            status === 'buyer-cancellable'
              ? snapshot.context.placedAt + snapshot.context.policy.buyerCancelWindowMs
              : (snapshot.context.latestShipDate ?? Number.NaN) + snapshot.context.policy.autoCancelAfterMs;
          if (due !== expected) fail(`nextDeadline is ${due} for a ${status} order, expected ${expected}.`);
          const early = stepper.step(snapshot, tickAt(due - 1));
          if (!same(early.snapshot, snapshot) || early.effects.length)
            fail(`A tick at nextDeadline - 1 (${due - 1}) changed a ${status} order.`);
          const onTime = stepper.step(snapshot, tickAt(due));
          if (statusOf(onTime.snapshot.value) === status)
            fail(`A tick at nextDeadline (${due}) left the order ${status}.`);
        },
      ),
    ),

    'malformed events are refused with an error and never corrupt a snapshot': fc.property(
      scenarios,
      fc.array(malformedEventArbitrary(), { minLength: 1, maxLength: 3 }),
      (scenario, junk) =>
        walk(
          stepper,
          scenario,
          options.policy,
          () => {},
          (snapshot) => {
            const before = canonical(essence(snapshot));
            for (const event of junk) {
              let threw: unknown;
              try {
                stepper.step(snapshot, event);
              } catch (error) {
                threw = error;
              }
              if (!(threw instanceof Error))
                fail(`The malformed event ${fc.stringify(event)} was not refused with an error.`);
              if ((threw as Error).name !== 'InvalidInputError')
                fail(
                  `The malformed event ${fc.stringify(event)} threw ${(threw as Error).name}: ${(threw as Error).message}`,
                );
              if (canonical(essence(snapshot)) !== before)
                fail(`The malformed event ${fc.stringify(event)} changed the snapshot.`);
            }
          },
        ),
    ),

    'recorded history is in time order, and every recorded act was allowed at its recorded instant': each((v) => {
      const c = v.after.context;
      const instants = (records: ReadonlyArray<{ at: number }>) => records.map((record) => record.at);
      const ownRules = c.cancellations.filter((record) => record.source !== 'marketplace');
      for (const [what, list] of [
        ['requests', instants(c.requests)],
        ['cancellations', instants(ownRules)],
      ] as const) {
        list.forEach((at, index) => {
          if (index > 0 && at < list[index - 1]!) fail(`${what} are out of time order: ${fc.stringify(list)}.`);
          if (at < c.placedAt || at > Math.max(c.clock, c.autoCancelAt ?? c.clock))
            fail(`${what} record at ${at} outside [placedAt ${c.placedAt}, clock ${c.clock}].`);
        });
      }
      if (c.clock < v.before.context.clock)
        fail(`The order's clock ran backwards from ${v.before.context.clock} to ${c.clock}.`);
      // Inside the buyer's window the seller acts only once the marketplace has said the order is ready. Acts are
      // checked against the auto-cancel of the input's own ship date while it stands: a date Amazon reported later
      // (learned, or moved) may fall before or after them.
      const told = c.marketplaceStatus !== null;
      const autoCancelAt = c.autoCancelAt === v.autoCancelAt ? v.autoCancelAt : null;
      for (const record of ruledRecords(v)) {
        if (record.by === 'buyer' && record.at >= v.windowEnd)
          fail(`A buyer self-cancel recorded at ${record.at}, after the window closed at ${v.windowEnd}.`);
        if (record.by === 'seller' && record.at < v.windowEnd && !told)
          fail(`A seller cancel recorded at ${record.at}, inside the buyer's window (until ${v.windowEnd}).`);
        if (record.by === 'seller' && autoCancelAt !== null && record.at >= autoCancelAt)
          fail(`A seller cancel recorded at ${record.at}, after autoCancelAt ${autoCancelAt}.`);
        if (record.by === 'seller' && c.labelGeneratedAt !== null && c.labelGeneratedAt <= record.at)
          fail(`A seller cancel recorded at ${record.at}, after a label at ${c.labelGeneratedAt}.`);
      }
      if (c.labelGeneratedAt !== null && c.labelGeneratedAt < v.windowEnd && !told)
        fail(`A label recorded at ${c.labelGeneratedAt}, inside the buyer's window.`);
      if (c.shippedAt !== null && c.shipmentSource !== 'marketplace') {
        if (c.shippedAt < v.windowEnd && !told)
          fail(`A shipment recorded at ${c.shippedAt}, inside the buyer's window.`);
        if (autoCancelAt !== null && c.shippedAt >= autoCancelAt)
          fail(`A shipment recorded at ${c.shippedAt}, after autoCancelAt ${autoCancelAt}.`);
      }
    }),

    'an event whose id the order has applied changes nothing': each((v) => {
      const id = v.event.eventId;
      if (id === undefined) return;
      if (v.before.context.eventIds.includes(id)) {
        if (!same(v.after, v.before) || v.effects.length)
          fail(`The known event id ${id} changed the order or emitted ${fc.stringify(v.effects)}.`);
        if (!v.verdict.duplicate)
          fail(`The known event id ${id} was not answered as a duplicate: ${fc.stringify(v.verdict)}.`);
        return;
      }
      const remembered = v.after.context.eventIds.includes(id);
      if (v.verdict.accepted && v.event.type !== 'clock.tick' && !isFactEvent(v.event) && !remembered)
        fail(`The accepted event id ${id} was not remembered.`);
      if (!v.verdict.accepted && remembered) fail(`The refused event id ${id} was remembered.`);
      if (v.after.context.eventIds.length - v.before.context.eventIds.length > 1) fail('One event added several ids.');
    }),
  };
}
