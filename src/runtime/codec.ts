import * as z from 'zod/mini';
import { MACHINE_VERSION, orderMachine, type OrderMachine } from '../../machines/order/index.js';
import {
  autoCancelAtOf,
  hasBuyerWindowClosedAt,
  isAutoCancelDueAt,
  isWindowEndDueAt,
  countsAgainstRate,
  defaultPolicy,
  emptyRecords,
  isLateShipment,
  marketplacePolicies,
  OrderContext,
  orderItem,
  placedStateKeys,
  issueSentence,
  preview,
  quickParser,
  resolvePolicy,
  RestoreError,
  stateKeys,
  stateValueOf,
  statusOfStateKey,
  type Cancellation,
  type OrderItem,
  type Policy,
  type StateKey,
} from '../domain/index.js';
import { stateKey, type OrderSnapshot } from './snapshot.js';
import { compiled } from './compiled.js';

/** Bumped when the envelope or the meaning of the persisted fields changes. Version 2 added the order's clock. */
export const SNAPSHOT_SCHEMA_VERSION = 2;

const FORMAT = 'order-lifecycle/snapshot';
const stateKeyList = Object.keys(statusOfStateKey) as [StateKey, ...StateKey[]];

/**
 * A stored order as `serializeOrder` writes it: the envelope with its versions, the leaf state key, and the
 * context with default values left out.
 * @example
 * const stored: PersistedOrder = JSON.parse(serializeOrder(snapshot));
 */
export const PersistedOrder = z.strictObject({
  format: z.literal(FORMAT),
  schemaVersion: z.number().check(z.int()),
  machineVersion: z.number().check(z.int()),
  state: z.enum(stateKeyList),
  context: z.record(z.string(), z.unknown()),
});
export type PersistedOrder = z.infer<typeof PersistedOrder>;

/** Upgrades a stored order of an older schema or machine version to the current ones. */
export type MigrateOrder = (stored: PersistedOrder) => PersistedOrder;

/** Options of `restoreOrder`. */
export interface RestoreOrderOptions {
  /** The machine the order runs on, when it was created on an extended machine. */
  machine?: OrderMachine;
  /** Called for a stored order of another schema or machine version; e.g. `upgradeOrderSnapshot`. */
  migrate?: MigrateOrder;
}

const samePolicy = (a: Policy, b: Policy) =>
  a.buyerCancelWindowMs === b.buyerCancelWindowMs && a.autoCancelAfterMs === b.autoCancelAfterMs;

/**
 * The context without what restore can fill in: defaults, empty lists, the deadlines (the policy gives them)
 * and the policy itself when it is the marketplace's preset. A change to a preset is a change of schema version.
 */
const basePolicies = new Map<Policy, Policy>();

/** `resolvePolicy(marketplaceId)`, parsed once per preset: it depends only on the preset the id picks. */
function basePolicy(marketplaceId: string | undefined): Policy {
  const preset = (marketplaceId && marketplacePolicies[marketplaceId]) || defaultPolicy;
  let policy = basePolicies.get(preset);
  if (!policy) basePolicies.set(preset, (policy = Object.freeze(resolvePolicy(marketplaceId))));
  return policy;
}

function compact(context: OrderContext): Record<string, unknown> {
  const out: Record<string, unknown> = { orderId: context.orderId };
  if (context.marketplaceId !== undefined) out['marketplaceId'] = context.marketplaceId;
  if (context.fulfillmentChannel !== 'MFN') out['fulfillmentChannel'] = context.fulfillmentChannel;
  if (!samePolicy(context.policy, basePolicy(context.marketplaceId))) out['policy'] = context.policy;
  out['placedAt'] = context.placedAt;
  if (context.latestShipDate !== null) out['latestShipDate'] = context.latestShipDate;
  if (context.marketplaceStatus !== null) out['marketplaceStatus'] = context.marketplaceStatus;
  if (context.marketplaceStatusAt !== null) out['marketplaceStatusAt'] = context.marketplaceStatusAt;
  if (context.utcOffsetMinutes !== 0) out['utcOffsetMinutes'] = context.utcOffsetMinutes;
  if (context.clock !== context.placedAt) out['clock'] = context.clock;
  out['items'] = context.items.map((item) => {
    const stored: Record<string, unknown> = { orderItemId: item.orderItemId };
    if (item.sku !== undefined) stored['sku'] = item.sku;
    stored['quantity'] = item.quantity;
    if (item.quantityCanceled !== 0) stored['quantityCanceled'] = item.quantityCanceled;
    if (item.quantityShipped !== 0) stored['quantityShipped'] = item.quantityShipped;
    if (item.buyerRequestedCancel) stored['buyerRequestedCancel'] = true;
    return stored;
  });
  if (context.requests.length) out['requests'] = context.requests;
  if (context.cancellations.length) out['cancellations'] = context.cancellations;
  if (context.labelGeneratedAt !== null) out['labelGeneratedAt'] = context.labelGeneratedAt;
  if (context.labelOccurredAt !== undefined) out['labelOccurredAt'] = context.labelOccurredAt;
  if (context.shippedAt !== null) out['shippedAt'] = context.shippedAt;
  if (context.shipmentOccurredAt !== undefined) out['shipmentOccurredAt'] = context.shipmentOccurredAt;
  if (context.shipmentSource !== undefined) out['shipmentSource'] = context.shipmentSource;
  if (context.shippedLate !== null) out['shippedLate'] = context.shippedLate;
  if (context.eventIds.length) out['eventIds'] = context.eventIds;
  return out;
}

/** The full context from its stored form, defaults filled in. */
function expand(stored: Record<string, unknown>): unknown {
  const items = Array.isArray(stored['items'])
    ? stored['items'].map((item: unknown) =>
        item !== null && typeof item === 'object'
          ? { quantityCanceled: 0, quantityShipped: 0, buyerRequestedCancel: false, ...item }
          : item,
      )
    : stored['items'];
  const context: Record<string, unknown> = {
    fulfillmentChannel: 'MFN',
    latestShipDate: null,
    marketplaceStatus: null,
    marketplaceStatusAt: null,
    utcOffsetMinutes: 0,
    clock: stored['placedAt'],
    ...emptyRecords(),
    ...stored,
    items,
  };
  const marketplaceId = typeof context['marketplaceId'] === 'string' ? context['marketplaceId'] : undefined;
  const policy = (context['policy'] ??= { ...basePolicy(marketplaceId) }) as Partial<Policy>;
  // The deadlines follow from the policy; a stored order that spells them out keeps its own.
  if (
    context['buyerCancelUntil'] === undefined &&
    typeof context['placedAt'] === 'number' &&
    typeof policy.buyerCancelWindowMs === 'number'
  ) {
    context['buyerCancelUntil'] = context['placedAt'] + policy.buyerCancelWindowMs;
  }
  const latestShipDate = context['latestShipDate'];
  if (
    context['autoCancelAt'] === undefined &&
    (latestShipDate === null || typeof latestShipDate === 'number') &&
    typeof policy.autoCancelAfterMs === 'number'
  ) {
    context['autoCancelAt'] = autoCancelAtOf(
      context['fulfillmentChannel'] === 'AFN' ? 'AFN' : 'MFN',
      latestShipDate,
      policy.autoCancelAfterMs,
    );
  }
  return context;
}

/**
 * Serializes a snapshot to compact JSON with its schema version and machine version; pending timers are not
 * part of it because deadlines are absolute and live in the context.
 * @example
 * await db.save(orderId, serializeOrder(snapshot));
 */
export function serializeOrder(snapshot: OrderSnapshot): string {
  return JSON.stringify({
    format: FORMAT,
    schemaVersion: SNAPSHOT_SCHEMA_VERSION,
    machineVersion: MACHINE_VERSION,
    state: stateKey(snapshot),
    context: compact(snapshot.context),
  });
}

/** A stored value as a restore error shows it: JSON cut at 60 characters, bounded however large or deep the value. */
const PREVIEW_LENGTH = 60;
const describe = (value: unknown) => preview(value, PREVIEW_LENGTH);

/** The last instant a JavaScript Date holds (year 275760), as `Instant` bounds every event's `at`. */
const LAST_INSTANT = 8_640_000_000_000_000;

/** A broken invariant: the field, the value found, and what the machine would have kept true. */
type Violation = [field: string, value: unknown, expected: string];

/** Every invariant the machine keeps, checked on a context and its state; the first broken one, if any. */
function violation(state: StateKey, context: OrderContext): Violation | undefined {
  const c = context;
  const open = (placedStateKeys as readonly string[]).includes(state);
  if (c.buyerCancelUntil !== c.placedAt + c.policy.buyerCancelWindowMs) {
    return [
      'context.buyerCancelUntil',
      c.buyerCancelUntil,
      `placedAt + the policy's window, ${c.placedAt + c.policy.buyerCancelWindowMs}`,
    ];
  }
  if (c.latestShipDate !== null && c.latestShipDate < c.placedAt)
    return ['context.latestShipDate', c.latestShipDate, `at or after placedAt ${c.placedAt}`];
  const autoCancelAt = autoCancelAtOf(c.fulfillmentChannel, c.latestShipDate, c.policy.autoCancelAfterMs);
  if (c.autoCancelAt !== autoCancelAt) {
    const expected =
      autoCancelAt === null
        ? `null for an order ${c.fulfillmentChannel === 'AFN' ? 'Fulfilled by Amazon' : 'without a latest ship date'}`
        : `latestShipDate + the policy's auto-cancel delay, ${autoCancelAt}`;
    return ['context.autoCancelAt', c.autoCancelAt, expected];
  }
  if (c.clock < c.placedAt) return ['context.clock', c.clock, `at or after placedAt ${c.placedAt}`];
  // Every instant an event can carry is a valid Date; a clock past the last one was written by no event.
  if (c.clock > LAST_INSTANT)
    return ['context.clock', c.clock, `at most ${LAST_INSTANT}, the last instant a Date holds`];
  if (new Set(c.eventIds).size !== c.eventIds.length) return ['context.eventIds', c.eventIds, 'each id once'];

  // State against deadlines, the clock and the marketplace's word: Pending holds an order, Unshipped frees it.
  const pending = c.marketplaceStatus === 'pending';
  if ((c.marketplaceStatus === null) !== (c.marketplaceStatusAt === null)) {
    return [
      'context.marketplaceStatusAt',
      c.marketplaceStatusAt,
      c.marketplaceStatus === null ? 'null without a marketplace status' : 'the instant of the marketplace status',
    ];
  }
  if (state === stateKeys.buyerCancellable && c.marketplaceStatus === 'unshipped')
    return ['state', state, 'unshipped, since the marketplace reports the order Unshipped'];
  if (state === stateKeys.buyerCancellable && isWindowEndDueAt(c, c.clock)) {
    return [
      'state',
      state,
      `a state after the buyer's window, since the clock ${c.clock} is at or after buyerCancelUntil ${c.buyerCancelUntil}`,
    ];
  }
  if (state === stateKeys.unshipped && pending)
    return ['state', state, 'buyerCancellable, since the marketplace reports the order Pending'];
  if (
    (state === stateKeys.unshipped || state === stateKeys.labelGenerated) &&
    !hasBuyerWindowClosedAt(c, c.clock) &&
    c.marketplaceStatus === null
  ) {
    return [
      'state',
      state,
      `buyerCancellable, since the clock ${c.clock} is before buyerCancelUntil ${c.buyerCancelUntil}`,
    ];
  }
  if (open && isAutoCancelDueAt(c, c.clock)) {
    return ['state', state, `autoCanceled, since the clock ${c.clock} is at or after autoCancelAt ${c.autoCancelAt}`];
  }
  if (state === stateKeys.labelGenerated && c.labelGeneratedAt === null)
    return ['context.labelGeneratedAt', null, 'the instant the label was generated in state labelGenerated'];
  if ((state === stateKeys.buyerCancellable || state === stateKeys.unshipped) && c.labelGeneratedAt !== null) {
    return ['context.labelGeneratedAt', c.labelGeneratedAt, `null in state ${state}`];
  }
  const shippedAny = c.items.some((item) => item.quantityShipped > 0);
  if (state === stateKeys.shipped && c.shippedAt === null)
    return ['context.shippedAt', null, 'the instant of shipment in state shipped'];
  if (shippedAny !== (c.shippedAt !== null))
    return [
      'context.shippedAt',
      c.shippedAt,
      shippedAny ? 'the instant of the first shipment, since units shipped' : 'null, since no unit shipped',
    ];
  if ((c.shippedAt === null) !== (c.shippedLate === null))
    return [
      'context.shippedLate',
      c.shippedLate,
      c.shippedAt === null ? 'null before any shipment' : 'true or false once units shipped',
    ];
  if (c.shippedAt !== null && isLateShipment(c, c.shippedAt) && !c.shippedLate)
    return ['context.shippedLate', c.shippedLate, `true for a shipment at ${c.shippedAt}`];
  if (state === stateKeys.shipped && !shippedAny) return ['state', state, 'canceled, since no unit shipped'];
  if ((state === stateKeys.canceled || state === stateKeys.autoCanceled) && shippedAny)
    return ['state', state, 'shipped, since some units shipped'];

  // Quantities: what each item lost is what its cancellation records took, never more than it had.
  const taken = new Map<string, number>();
  for (const [index, record] of c.cancellations.entries()) {
    for (const entry of record.items) {
      if (!c.items.some((item) => item.orderItemId === entry.orderItemId))
        return [`context.cancellations.${index}.items`, entry.orderItemId, 'an item of the order'];
      taken.set(entry.orderItemId, (taken.get(entry.orderItemId) ?? 0) + entry.quantity);
    }
  }
  for (const [index, item] of c.items.entries()) {
    if (item.quantityCanceled + item.quantityShipped > item.quantity) {
      return [
        `context.items.${index}.quantityCanceled`,
        item.quantityCanceled,
        `at most the quantity ${item.quantity} less the ${item.quantityShipped} shipped`,
      ];
    }
    if (item.quantityCanceled !== (taken.get(item.orderItemId) ?? 0)) {
      return [
        `context.items.${index}.quantityCanceled`,
        item.quantityCanceled,
        `${taken.get(item.orderItemId) ?? 0}, the sum of its cancellation records`,
      ];
    }
  }
  const left = c.items.some((item) => item.quantityCanceled + item.quantityShipped < item.quantity);
  if (open && !left)
    return ['state', state, `${shippedAny ? 'shipped' : 'canceled'}, since no unit of the order is open`];
  if (state === stateKeys.canceled && left)
    return ['state', state, 'an open state, since some units are neither shipped nor cancelled'];
  if (
    state === stateKeys.autoCanceled &&
    !c.cancellations.some((record) => record.by === 'system' && c.autoCancelAt !== null && record.at >= c.autoCancelAt)
  ) {
    return [
      'context.cancellations',
      c.cancellations.length,
      `a system cancellation at autoCancelAt ${c.autoCancelAt} in state autoCanceled`,
    ];
  }
  if (!open && left) return ['state', state, 'an open state, since some units are neither shipped nor cancelled'];

  // Records: in time order, within [placedAt, clock], and each rate flag as the rule gives it.
  const official = new Map<string, number>();
  let previous = c.placedAt;
  for (const [index, request] of c.requests.entries()) {
    if (request.at < previous || request.at > c.clock)
      return [`context.requests.${index}.at`, request.at, `between ${previous} and the clock ${c.clock}`];
    previous = request.at;
    if (request.official)
      for (const itemId of request.orderItemIds) if (!official.has(itemId)) official.set(itemId, request.at);
  }
  for (const [index, item] of c.items.entries()) {
    if (item.buyerRequestedCancel !== official.has(item.orderItemId)) {
      return [
        `context.items.${index}.buyerRequestedCancel`,
        item.buyerRequestedCancel,
        `${official.has(item.orderItemId)}, as its official requests say`,
      ];
    }
  }
  previous = c.placedAt;
  for (const [index, record] of c.cancellations.entries()) {
    // A fact from the marketplace is recorded at its own instant and its flag follows its own rule.
    if (record.source === 'marketplace') continue;
    const upper = record.by === 'system' ? Math.max(c.clock, c.autoCancelAt ?? c.clock) : c.clock;
    if (record.at < previous || record.at > upper)
      return [`context.cancellations.${index}.at`, record.at, `between ${previous} and the clock ${c.clock}`];
    previous = record.at;
    // A request recorded at the same instant may have come before or after the cancellation: both are possible.
    const expected = countsAgainstRate(asOf(c, official, record, false), record.by, record.reason, record.items);
    const alsoPossible = countsAgainstRate(asOf(c, official, record, true), record.by, record.reason, record.items);
    if (record.countsAgainstRate !== expected && record.countsAgainstRate !== alsoPossible) {
      return [
        `context.cancellations.${index}.countsAgainstRate`,
        record.countsAgainstRate,
        `${expected} for a ${record.by} cancellation with reason ${record.reason}`,
      ];
    }
  }
  // Before the window's end only when the marketplace had said the order was ready.
  const earliest = c.marketplaceStatus === null ? c.buyerCancelUntil : c.placedAt;
  if (c.labelGeneratedAt !== null && (c.labelGeneratedAt < earliest || c.labelGeneratedAt > c.clock)) {
    return ['context.labelGeneratedAt', c.labelGeneratedAt, `between ${earliest} and the clock ${c.clock}`];
  }
  if (c.shippedAt !== null && c.shipmentSource !== 'marketplace' && (c.shippedAt < earliest || c.shippedAt > c.clock)) {
    return ['context.shippedAt', c.shippedAt, `between ${earliest} and the clock ${c.clock}`];
  }
  return undefined;
}

/** The order as it stood when `record` was made: items flagged by the official requests recorded by then. */
function asOf(
  order: OrderContext,
  official: ReadonlyMap<string, number>,
  record: Cancellation,
  sameInstantCounts: boolean,
): OrderContext {
  const requestedBy = (at: number | undefined) =>
    at !== undefined && (at < record.at || (sameInstantCounts && at === record.at));
  const items: OrderItem[] = order.items.map((item) =>
    orderItem(item, item.quantityCanceled, item.quantityShipped, requestedBy(official.get(item.orderItemId))),
  );
  return { ...order, items };
}

function fail(orderId: string | undefined, detail: string): never {
  throw new RestoreError(
    `Cannot restore order ${orderId === undefined ? '(unknown id)' : JSON.stringify(orderId)}: ${detail}.`,
  );
}

/**
 * Restores a snapshot from `serializeOrder` text (or its parsed JSON), onto `options.machine` when the order runs
 * on an extended machine. Throws RestoreError naming the field and the value when the text is not JSON, has
 * another schema or machine version and no `migrate` upgrades it, names a state that does not exist, or holds
 * an order the machine could never have produced (a state against its deadlines, quantities, rate flags).
 * @example
 * const snapshot = restoreOrder(await db.load(orderId), { migrate: upgradeOrderSnapshot });
 */
export function restoreOrder(stored: string | PersistedOrder, options: RestoreOrderOptions = {}): OrderSnapshot {
  let raw: unknown = stored;
  if (typeof stored === 'string') {
    try {
      raw = JSON.parse(stored);
    } catch {
      throw new RestoreError(
        `Cannot restore an order from text that is not JSON: ${JSON.stringify(stored.slice(0, 40))}.`,
      );
    }
  }
  let envelope = parseEnvelope(raw);
  if (envelope.schemaVersion === SNAPSHOT_SCHEMA_VERSION && envelope.machineVersion === 2)
    envelope = fromMachineVersion2(envelope);
  if (envelope.schemaVersion !== SNAPSHOT_SCHEMA_VERSION || envelope.machineVersion !== MACHINE_VERSION) {
    const orderId = typeof envelope.context['orderId'] === 'string' ? envelope.context['orderId'] : undefined;
    if (!options.migrate) {
      fail(
        orderId,
        `it has schemaVersion ${envelope.schemaVersion} and machine version ${envelope.machineVersion}, this package reads schemaVersion ${SNAPSHOT_SCHEMA_VERSION} and machine version ${MACHINE_VERSION}; pass { migrate } (e.g. upgradeOrderSnapshot) to upgrade it`,
      );
    }
    envelope = parseEnvelope(options.migrate(envelope));
    if (envelope.schemaVersion !== SNAPSHOT_SCHEMA_VERSION || envelope.machineVersion !== MACHINE_VERSION) {
      fail(
        orderId,
        `migrate returned schemaVersion ${envelope.schemaVersion} and machine version ${envelope.machineVersion}`,
      );
    }
  }
  const expanded = expand(envelope.context);
  const orderId = typeof envelope.context['orderId'] === 'string' ? envelope.context['orderId'] : undefined;
  const context = quickContext(expanded) ?? parsedContext(orderId, expanded, envelope.context);
  const broken = violation(envelope.state, context);
  if (broken) fail(orderId, `${broken[0]} is ${describe(broken[1])}, expected ${broken[2]}`);
  return (options.machine ?? orderMachine).resolveState({ value: stateValueOf(envelope.state), context });
}

/** `OrderContext`'s output on a context it takes as it is (every stored order the package wrote), without zod's walk. */
const quickContext = quickParser(OrderContext);

/** The context as the schema parses it, or a RestoreError naming the first field it refuses and the stored value. */
function parsedContext(orderId: string | undefined, expanded: unknown, stored: Record<string, unknown>): OrderContext {
  const parsed = compiledContext().safeParse(expanded);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  fail(orderId, `context.${issue.path.join('.')}: ${issueSentence(issue, stored, { previewLength: PREVIEW_LENGTH })}`);
}

let compiledOrderContext: typeof OrderContext | undefined;
/** OrderContext as classic zod parsed it, compiled (a restore parses the whole context); built on the first restore. */
function compiledContext(): typeof OrderContext {
  return (compiledOrderContext ??= compiled(OrderContext));
}

const stateKeySet: ReadonlySet<unknown> = new Set(stateKeyList);
const envelopeKeys = Object.keys(PersistedOrder.shape);

/**
 * Whether `raw` is an envelope `PersistedOrder` takes as it is: each of its keys, nothing else, every value of the
 * right kind. Only a quick yes: anything else goes to the schema, which accepts or names what is wrong.
 */
function isPlainEnvelope(raw: unknown): raw is PersistedOrder {
  if (typeof raw !== 'object' || raw === null || Object.getPrototypeOf(raw) !== Object.prototype) return false;
  const r = raw as Record<string, unknown>;
  const context = r['context'];
  let keys = 0;
  for (const key in r) if (Object.hasOwn(r, key) && ++keys > envelopeKeys.length) return false;
  return (
    keys === envelopeKeys.length &&
    r['format'] === FORMAT &&
    Number.isSafeInteger(r['schemaVersion']) &&
    Number.isSafeInteger(r['machineVersion']) &&
    stateKeySet.has(r['state']) &&
    typeof context === 'object' &&
    context !== null &&
    Object.getPrototypeOf(context) === Object.prototype
  );
}

function parseEnvelope(raw: unknown): PersistedOrder {
  // The schema's answer on an envelope it takes as it is, without the copy of the context it makes.
  if (isPlainEnvelope(raw)) return raw;
  const envelope = PersistedOrder.safeParse(raw);
  if (envelope.success) return envelope.data;
  const issue = envelope.error.issues[0]!;
  const path = issue.path.join('.') || '(root)';
  throw new RestoreError(
    `Cannot restore an order: field "${path}": ${issueSentence(issue, raw, { previewLength: PREVIEW_LENGTH })}.`,
  );
}

/**
 * Machine version 2 knew no partial shipments and no marketplace readiness: a shipped order shipped every unit
 * it had not cancelled. `restoreOrder` reads such an order as it is, without `migrate`.
 */
function fromMachineVersion2(stored: PersistedOrder): PersistedOrder {
  const context = { ...stored.context };
  if (stored.state === stateKeys.shipped && Array.isArray(context['items'])) {
    context['items'] = context['items'].map((item: unknown) => {
      if (item === null || typeof item !== 'object') return item;
      const { quantity, quantityCanceled = 0 } = item as { quantity?: unknown; quantityCanceled?: unknown };
      return typeof quantity === 'number' && typeof quantityCanceled === 'number' && quantity > quantityCanceled
        ? { ...item, quantityShipped: quantity - quantityCanceled }
        : item;
    });
  }
  return { ...stored, machineVersion: MACHINE_VERSION, context };
}

/**
 * Upgrades a stored order written by version 1 of this package (schema 1, machine 1) to the current versions:
 * the order's clock is set to the latest instant it had recorded, no event ids are known, times show in UTC,
 * and orders Fulfilled by Amazon lose the auto-cancel deadline they never had. Orders of machine version 2 are
 * read as they are (a shipped one shipped all it had not cancelled).
 * @example
 * const snapshot = restoreOrder(oldText, { migrate: upgradeOrderSnapshot });
 */
export function upgradeOrderSnapshot(stored: PersistedOrder): PersistedOrder {
  if (stored.schemaVersion === SNAPSHOT_SCHEMA_VERSION && stored.machineVersion === MACHINE_VERSION) return stored;
  if (stored.schemaVersion === SNAPSHOT_SCHEMA_VERSION && stored.machineVersion === 2)
    return fromMachineVersion2(stored);
  if (stored.schemaVersion !== 1 || stored.machineVersion !== 1) {
    throw new RestoreError(
      `Cannot upgrade an order from schemaVersion ${stored.schemaVersion} and machine version ${stored.machineVersion}: only version 1 is known.`,
    );
  }
  const context = { ...stored.context };
  const instants: number[] = [context['placedAt'] as number];
  for (const record of [
    ...((context['requests'] as Array<{ at: number }>) ?? []),
    ...((context['cancellations'] as Array<{ at: number }>) ?? []),
  ])
    instants.push(record.at);
  for (const key of ['labelGeneratedAt', 'shippedAt'])
    if (typeof context[key] === 'number') instants.push(context[key] as number);
  // Version 1 kept no clock: an open order past the window has seen at least the window's end.
  if (stored.state === stateKeys.unshipped || stored.state === stateKeys.labelGenerated)
    instants.push(context['buyerCancelUntil'] as number);
  if (stored.state === stateKeys.autoCanceled) instants.push(context['autoCancelAt'] as number);
  context['clock'] = Math.max(...instants);
  context['eventIds'] = [];
  context['utcOffsetMinutes'] = 0;
  if (context['fulfillmentChannel'] === 'AFN') context['autoCancelAt'] = null;
  return fromMachineVersion2({ ...stored, schemaVersion: SNAPSHOT_SCHEMA_VERSION, machineVersion: 2, context });
}
