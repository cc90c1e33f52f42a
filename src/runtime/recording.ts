import * as z from 'zod/mini';
import {
  Instant,
  InvalidInputError,
  outcomeMessage,
  parseOrThrow,
  RestoreError,
  type Effect,
  type OrderEventInput,
  type OrderInput,
  type Verdict,
} from '../domain/index.js';
import { restoreOrder } from './codec.js';
import { applyEvent, createOrder } from './step.js';
import { orderStatus, type OrderSnapshot } from './snapshot.js';

/**
 * A recorded order: its input (or, for an order restored from storage, the snapshot it was restored from, as
 * `serializeOrder` writes it, and when) and the events it received, in order (a JSON file the CLI and inspector open).
 * @example
 * RecordedOrder.parse({ input, events: [{ type: 'seller.generateLabel', at: '2026-11-26T11:00:00Z' }] });
 * RecordedOrder.parse({ snapshot: JSON.parse(serializeOrder(restored)), restoredAt: Date.now(), events: [] });
 */
export const RecordedOrder = z.strictObject({
  input: z.optional(z.record(z.string(), z.unknown())),
  snapshot: z.optional(z.record(z.string(), z.unknown())),
  restoredAt: z.optional(Instant),
  events: z.array(z.record(z.string(), z.unknown())),
});
export type RecordedOrder = z.infer<typeof RecordedOrder>;

/** The type of the first step of a replay that starts from a restored snapshot instead of an input. */
export const RESTORED_EVENT = 'order.restored';

/**
 * One step of a replay: the event (null for the creation; `{ type: 'order.restored', at }` for the snapshot a
 * restored order started from), its verdict, effects and the snapshot after it.
 */
export interface ReplayStep {
  event: Record<string, unknown> | null;
  verdict: Verdict;
  effects: Effect[];
  snapshot: OrderSnapshot;
}

/**
 * What the first step of a restored order says: restored at which instant, and in which state.
 * @example
 * restoredVerdict(snapshot, Date.now()).message.en; // 'Restored at 2026-11-26 14:05:00 GMT+8 from a saved snapshot, already label-generated; …'
 */
export function restoredVerdict(snapshot: OrderSnapshot, at: number): Verdict {
  const params = { at, offset: snapshot.context.utcOffsetMinutes, status: orderStatus(snapshot) };
  return { accepted: true, message: outcomeMessage('restored', params) };
}

/** Runs `step`; a bad input it throws is re-thrown with its fields named under `path` of the recording. */
function naming<T>(path: string, step: () => T): T {
  try {
    return step();
  } catch (error) {
    if (error instanceof RestoreError)
      throw new InvalidInputError('recorded order', [{ path, message: error.message.replace(/\.$/, '') }]);
    throw error instanceof InvalidInputError ? error.nested(path, 'recorded order') : error;
  }
}

/** The recording's first step: the order created from its input, or restored from its snapshot. */
function firstStep(recording: z.output<typeof RecordedOrder>): ReplayStep {
  const { input, snapshot, restoredAt } = recording;
  if (snapshot !== undefined && input !== undefined)
    throw new InvalidInputError('recorded order', [
      { path: 'snapshot', message: 'expected either input or snapshot, not both (a restored order has no input)' },
    ]);
  if (snapshot !== undefined) {
    const restored = naming('snapshot', () => restoreOrder(snapshot as Parameters<typeof restoreOrder>[0]));
    const at = restoredAt ?? restored.context.clock;
    return {
      event: { type: RESTORED_EVENT, at },
      verdict: restoredVerdict(restored, at),
      effects: [],
      snapshot: restored,
    };
  }
  if (input === undefined)
    throw new InvalidInputError('recorded order', [
      { path: 'input', message: "expected the order's input, or the snapshot it was restored from (got neither)" },
    ]);
  return { event: null, ...naming('input', () => createOrder(input as OrderInput)) };
}

/**
 * Replays a recorded order through the pure functions, step by step, from its input or from the snapshot it was
 * restored from. Throws InvalidInputError naming the step and field when the recording or one of its events is
 * malformed.
 * @example
 * const steps = replayRecording(JSON.parse(fs.readFileSync('order.json', 'utf8')));
 */
export function replayRecording(recording: unknown): ReplayStep[] {
  const parsed = parseOrThrow(RecordedOrder, recording, 'recorded order');
  const first = firstStep(parsed);
  const steps: ReplayStep[] = [first];
  let snapshot = first.snapshot;
  parsed.events.forEach((event, index) => {
    const result = naming(`events.${index}`, () => applyEvent(snapshot, event as OrderEventInput));
    steps.push({ event, ...result });
    snapshot = result.snapshot;
  });
  return steps;
}
