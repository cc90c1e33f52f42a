import * as z from 'zod/mini';
import {
  InvalidInputError,
  parseOrThrow,
  type Effect,
  type OrderEventInput,
  type OrderInput,
  type Verdict,
} from '../domain/index.js';
import { applyEvent, createOrder } from './step.js';
import type { OrderSnapshot } from './snapshot.js';

/**
 * A recorded order: its input and the events it received, in order (a JSON file the CLI and inspector open).
 * @example
 * RecordedOrder.parse({ input, events: [{ type: 'seller.generateLabel', at: '2026-11-26T11:00:00Z' }] });
 */
export const RecordedOrder = z.strictObject({
  input: z.record(z.string(), z.unknown()),
  events: z.array(z.record(z.string(), z.unknown())),
});
export type RecordedOrder = z.infer<typeof RecordedOrder>;

/** One step of a replay: the event (null for the creation), its verdict, effects and the snapshot after it. */
export interface ReplayStep {
  event: Record<string, unknown> | null;
  verdict: Verdict;
  effects: Effect[];
  snapshot: OrderSnapshot;
}

/** Runs `step`; a bad input it throws is re-thrown with its fields named under `path` of the recording. */
function naming<T>(path: string, step: () => T): T {
  try {
    return step();
  } catch (error) {
    throw error instanceof InvalidInputError ? error.nested(path, 'recorded order') : error;
  }
}

/**
 * Replays a recorded order through the pure functions, step by step. Throws InvalidInputError naming the
 * step and field when the recording or one of its events is malformed.
 * @example
 * const steps = replayRecording(JSON.parse(fs.readFileSync('order.json', 'utf8')));
 */
export function replayRecording(recording: unknown): ReplayStep[] {
  const { input, events } = parseOrThrow(RecordedOrder, recording, 'recorded order');
  const first = naming('input', () => createOrder(input as OrderInput));
  const steps: ReplayStep[] = [{ event: null, ...first }];
  let snapshot = first.snapshot;
  events.forEach((event, index) => {
    const result = naming(`events.${index}`, () => applyEvent(snapshot, event as OrderEventInput));
    steps.push({ event, ...result });
    snapshot = result.snapshot;
  });
  return steps;
}
