import { MACHINE_VERSION } from '../../machines/order/index.js';
import { RestoreError, type OrderStatus } from '../domain/index.js';
import {
  SNAPSHOT_SCHEMA_VERSION,
  applyEvent,
  nextDeadline,
  orderStatus,
  restoreOrder,
  serializeOrder,
  type OrderSnapshot,
  type RestoreOrderOptions,
  type StepResult,
} from '../runtime/index.js';
import type { OrderRow } from '../store/index.js';
import { UnreadableOrderError } from './errors.js';

/** A row's snapshot and its `serializeOrder` text. */
export interface Restored {
  snapshot: OrderSnapshot;
  text: string;
}

/** What one step writes, worked out before the write: texts only, which the transaction stores. */
export interface PreparedStep {
  /** The snapshot after the step, serialized. */
  text: string;
  /** Whether the step changed the snapshot (the version moves on only then). */
  changed: boolean;
  status: OrderStatus;
  /** Null for the place. */
  statusBefore: OrderStatus | null;
  nextDeadline: number | null;
  /** The history row's event and verdict, as JSON. */
  event: string;
  verdict: string;
  /** Each effect as JSON: one outbox row each, and the history row's list. */
  effects: string[];
  /** The event's `eventId`, stored beside the history row so that the id is judged once. */
  eventId?: string;
}

/** The write of `step`, taken from the order `before`, for `event` as the history records it (`eventText`: its JSON, when the caller has it). */
export function prepareStep(
  before: Restored,
  step: StepResult,
  event: object,
  eventText = JSON.stringify(event),
): PreparedStep {
  const text = serializeOrder(step.snapshot);
  const eventId = (event as { eventId?: unknown }).eventId;
  return {
    ...(typeof eventId === 'string' ? { eventId } : {}),
    text,
    changed: text !== before.text,
    status: orderStatus(step.snapshot),
    statusBefore: orderStatus(before.snapshot),
    nextDeadline: nextDeadline(step.snapshot),
    event: eventText,
    verdict: JSON.stringify(step.verdict),
    effects: step.effects.map((effect) => JSON.stringify(effect)),
  };
}

/** One due order's `clock.tick` at its deadline: the write and the stepped snapshot, or why the order is skipped. */
type DueTick =
  { orderId: string; prepared: PreparedStep; snapshot: OrderSnapshot } | { orderId: string; failed: string };

/**
 * Steps a due row by a `clock.tick` at its stored deadline. A row that does not restore, a machine that throws and
 * an order still due after the tick fail this order only.
 */
export function tickDue(row: OrderRow, restore: (row: OrderRow) => Restored): DueTick {
  const orderId = row.orderId;
  try {
    const before = restore(row);
    const tick = { type: 'clock.tick' as const, at: row.nextDeadline! };
    const step = applyEvent(before.snapshot, tick);
    const next = nextDeadline(step.snapshot);
    if (next !== null && next <= tick.at) {
      return {
        orderId,
        failed: `Order ${JSON.stringify(orderId)} is still due at ${next} after a clock.tick at its deadline ${tick.at}.`,
      };
    }
    return { orderId, prepared: prepareStep(before, step, tick), snapshot: step.snapshot };
  } catch (error) {
    return { orderId, failed: (error as Error).message };
  }
}

/**
 * How a service reads stored rows: `snapshotOf` restores a snapshot text with every check of the core's
 * `restoreOrder` and checks that it is the named order's; `restored` also checks the row's columns against the
 * snapshot (see `rowMismatch`) and adds the snapshot's canonical text. Either throws `UnreadableOrderError`
 * naming the order.
 */
export function rowReader(options: RestoreOrderOptions = {}) {
  const snapshotOf = (row: Pick<OrderRow, 'orderId' | 'snapshot'>): OrderSnapshot => {
    let snapshot: OrderSnapshot;
    try {
      snapshot = restoreOrder(row.snapshot, options);
    } catch (error) {
      throw new UnreadableOrderError(row.orderId, error);
    }
    // A row holding another order's snapshot would be stepped as that order and written under this id.
    if (snapshot.context.orderId !== row.orderId) {
      throw new UnreadableOrderError(
        row.orderId,
        new RestoreError(`Its row holds the snapshot of order ${JSON.stringify(snapshot.context.orderId)}.`),
      );
    }
    return snapshot;
  };
  const restored = (row: OrderRow): Restored => {
    const snapshot = snapshotOf(row);
    const text = serializeOrder(snapshot);
    const mismatch = rowMismatch(row, snapshot, text);
    if (mismatch) throw new UnreadableOrderError(row.orderId, new RestoreError(mismatch));
    return { snapshot, text };
  };
  return { snapshotOf, restored };
}

/**
 * Why the columns of a row disagree with its snapshot, or undefined: `seq` a whole number from 1, `version` one
 * from 1 to `seq` (it grows at most once per history row), `status` and `next_deadline` those of the snapshot. A
 * row that an older schema or machine version wrote (read through `migrate`) keeps the status and deadline that
 * version computed until its next write; only its id, seq and version are checked.
 */
export function rowMismatch(row: OrderRow, snapshot: OrderSnapshot, text: string): string | undefined {
  if (!Number.isSafeInteger(row.seq) || row.seq < 1)
    return `Its seq column is ${row.seq}, expected a whole number of at least 1.`;
  if (!Number.isSafeInteger(row.version) || row.version < 1 || row.version > row.seq) {
    return `Its version column is ${row.version}, expected a whole number from 1 to its seq ${row.seq}.`;
  }
  if (text !== row.snapshot && !isCurrentEnvelope(row.snapshot)) return undefined;
  const status = orderStatus(snapshot);
  if (row.status !== status)
    return `Its status column is ${JSON.stringify(row.status)}, but its snapshot's status is ${JSON.stringify(status)}.`;
  const deadline = nextDeadline(snapshot);
  if (row.nextDeadline !== deadline)
    return `Its next_deadline column is ${row.nextDeadline}, but its snapshot's next deadline is ${deadline}.`;
  return undefined;
}

/** Whether stored text that restored is of this package's schema and machine versions (not upgraded on read). */
function isCurrentEnvelope(text: string): boolean {
  const envelope = JSON.parse(text) as { schemaVersion?: unknown; machineVersion?: unknown };
  return envelope.schemaVersion === SNAPSHOT_SCHEMA_VERSION && envelope.machineVersion === MACHINE_VERSION;
}
