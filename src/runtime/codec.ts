import { z } from 'zod';
import { MACHINE_VERSION, orderMachine, type OrderMachine } from '../../machines/order/index.js';
import { OrderContext, RestoreError, statusOfStateKey, type StateKey } from '../domain/index.js';
import { stateKey, type OrderSnapshot } from './snapshot.js';

/** Bumped when the envelope or the meaning of the persisted fields changes. */
export const SNAPSHOT_SCHEMA_VERSION = 1;

const stateKeys = Object.keys(statusOfStateKey) as [StateKey, ...StateKey[]];
const placedKeys = ['buyerCancellable', 'unshipped', 'labelGenerated'] as const;

const PersistedOrder = z.strictObject({
  format: z.literal('order-lifecycle/snapshot'),
  schemaVersion: z.number().int(),
  machineVersion: z.number().int(),
  state: z.enum(stateKeys),
  context: z.unknown(),
});

/**
 * Serializes a snapshot to JSON with its schema version and machine version; pending timers are not
 * part of it because deadlines are absolute and live in the context.
 * @example
 * await db.save(orderId, serializeOrder(snapshot));
 */
export function serializeOrder(snapshot: OrderSnapshot): string {
  return JSON.stringify({
    format: 'order-lifecycle/snapshot',
    schemaVersion: SNAPSHOT_SCHEMA_VERSION,
    machineVersion: MACHINE_VERSION,
    state: stateKey(snapshot),
    context: snapshot.context,
  });
}

/**
 * Restores a snapshot from `serializeOrder` text, onto `options.machine` when the order runs on an extended
 * machine. Throws RestoreError when the text is not JSON, has another schema or machine version, names a
 * state that does not exist, or has an invalid context.
 * @example
 * const snapshot = restoreOrder(await db.load(orderId));
 */
export function restoreOrder(text: string, options: { machine?: OrderMachine } = {}): OrderSnapshot {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw new RestoreError(`Cannot restore an order from text that is not JSON: ${JSON.stringify(String(text).slice(0, 40))}.`);
  }
  const envelope = PersistedOrder.safeParse(raw);
  if (!envelope.success) {
    const issue = envelope.error.issues[0]!;
    throw new RestoreError(`Cannot restore an order: field "${issue.path.join('.') || '(root)'}" ${issue.message.toLowerCase()}.`);
  }
  const { schemaVersion, machineVersion, state } = envelope.data;
  if (schemaVersion !== SNAPSHOT_SCHEMA_VERSION) {
    throw new RestoreError(`Cannot restore an order with schemaVersion ${schemaVersion}: this package reads version ${SNAPSHOT_SCHEMA_VERSION}.`);
  }
  if (machineVersion !== MACHINE_VERSION) {
    throw new RestoreError(`Cannot restore an order made by machine version ${machineVersion}: this package runs version ${MACHINE_VERSION}.`);
  }
  const context = OrderContext.safeParse(envelope.data.context);
  if (!context.success) {
    const issue = context.error.issues[0]!;
    throw new RestoreError(`Cannot restore an order: context.${issue.path.join('.')} ${issue.message.toLowerCase()}.`);
  }
  const value = (placedKeys as readonly string[]).includes(state) ? { placed: state } : state;
  return (options.machine ?? orderMachine).resolveState({ value, context: context.data });
}
