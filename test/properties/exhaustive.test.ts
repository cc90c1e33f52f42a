import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { emit } from 'xstate';
import { readRecordingFile } from '../../src/inspector/index.js';
import {
  applyEvent,
  createOrder,
  orderMachine,
  policyPresets,
  RecordedOrder,
  replayRecording,
  type OrderEvent,
} from '../../src/index.js';
import {
  checkOrderMachine,
  checkOrderMachineExhaustively,
  checkOrderRecording,
  OrderCheckError,
  OrderCounterexampleError,
} from '../../src/testing/index.js';

/**
 * The depth CI proves the package's machine to (docs/testing.md, "Exhaustive check"): about a minute on 2 cores.
 * `EXHAUSTIVE_DEPTH=4` goes deeper, for a one-off run.
 */
const CI_DEPTH = Number(process.env['EXHAUSTIVE_DEPTH'] ?? 3);

type Guard = (args: unknown, params: unknown) => boolean;
const guards = orderMachine.implementations.guards as unknown as Record<string, Guard>;
/** The package's machine with one guard answering the opposite. */
const negated = (name: string) =>
  orderMachine.provide({
    guards: { [name]: (args: unknown, params: unknown) => !guards[name]!(args, params) },
  } as never);

/** The error a check throws, or null. */
function thrown(check: () => unknown): unknown {
  try {
    check();
    return null;
  } catch (error) {
    return error;
  }
}

describe('the exhaustive check', () => {
  it(
    `should find no counterexample in any sequence of up to ${CI_DEPTH} events on the package's machine`,
    () => {
      const lines: string[] = [];
      const result = checkOrderMachineExhaustively(orderMachine, { depth: CI_DEPTH, log: (line) => lines.push(line) });
      console.log(lines.join('\n'));
      expect(result.depth).toBe(CI_DEPTH);
      expect(result.states).toBeGreaterThan(CI_DEPTH >= 3 ? 10_000 : 0);
      expect(result.transitions).toBeGreaterThan(result.states);
      // About a minute of CPU; the machine is shared, so the wall clock may be several times that.
    },
    600_000 * Math.max(1, 30 ** (CI_DEPTH - 3)),
  );

  it('should return and print the abstract states and transitions it explored, through checkOrderMachine too', () => {
    const lines: string[] = [];
    const result = checkOrderMachine(orderMachine, { exhaustive: { depth: 1, log: (line) => lines.push(line) } });
    expect(result).toEqual({ states: expect.any(Number), transitions: expect.any(Number), depth: 1 });
    expect(lines).toEqual([
      expect.stringMatching(
        new RegExp(
          `^order: exhaustive check to depth 1: ${result.states} abstract states, ${result.transitions} transitions, `,
        ),
      ),
    ]);
    // One level deeper explores more: the counts are those of the whole walk, not of its last level.
    const deeper = checkOrderMachineExhaustively(orderMachine, { depth: 2, log: false });
    expect(deeper.states).toBeGreaterThan(result.states);
    expect(deeper.transitions).toBeGreaterThan(result.transitions);
  });

  describe('on a machine whose seller may not void a label', () => {
    const mutant = negated('mayVoidLabel');

    it('should find nothing wrong in sequences of one event, where no label can be voided yet', () => {
      expect(checkOrderMachineExhaustively(mutant, { depth: 1, log: false }).depth).toBe(1);
    });

    it('should throw the shortest counterexample as a recording that order-lifecycle replay accepts', async () => {
      const error = thrown(() => checkOrderMachineExhaustively(mutant, { depth: 3, log: false }));
      expect(error).toBeInstanceOf(OrderCounterexampleError);
      expect(error).toBeInstanceOf(OrderCheckError);
      const { check, recording, message } = error as OrderCounterexampleError;
      expect(check).toBe('agrees with the reference model');
      expect(message).toMatch(/^"agrees with the reference model" fails after 2 events \(\{"type":"seller\.voidLabel"/);
      expect(message).toContain(`Recording (order-lifecycle replay): ${JSON.stringify(recording)}`);
      expect(recording.events.map((event) => event['type'])).toEqual(['seller.generateLabel', 'seller.voidLabel']);
      // The recording is the CLI's format: the package's own machine replays it and accepts the void.
      expect(RecordedOrder.safeParse(recording).success).toBe(true);
      const steps = replayRecording(JSON.parse(JSON.stringify(recording)));
      expect(steps.map((step) => step.verdict.accepted)).toEqual([true, true, true]);
      // As a file, through what `order-lifecycle replay <file>` reads it with.
      const folder = mkdtempSync(join(tmpdir(), 'exhaustive-'));
      try {
        const file = join(folder, 'counterexample.json');
        writeFileSync(file, JSON.stringify(recording));
        const [loaded] = await readRecordingFile(file);
        expect(loaded!.steps.map((step) => step.event?.type ?? null)).toEqual([
          null,
          'seller.generateLabel',
          'seller.voidLabel',
        ]);
      } finally {
        rmSync(folder, { recursive: true, force: true });
      }
    });

    it('should replay the recording to the same failure, on the machine that failed', () => {
      const error = thrown(() =>
        checkOrderMachineExhaustively(mutant, { depth: 2, log: false }),
      ) as OrderCounterexampleError;
      const replayed = thrown(() => checkOrderRecording(mutant, error.recording));
      expect(replayed).toBeInstanceOf(OrderCounterexampleError);
      expect((replayed as OrderCounterexampleError).message).toBe(error.message);
      // Plain replay on the mutant shows it too: the void is refused.
      let { snapshot } = createOrder(error.recording.input as never, { machine: mutant });
      const verdicts = (error.recording.events as unknown as OrderEvent[]).map((event) => {
        const step = applyEvent(snapshot, event);
        snapshot = step.snapshot;
        return step.verdict.accepted;
      });
      expect(verdicts).toEqual([true, false]);
      // And the package's machine passes the same recording.
      expect(thrown(() => checkOrderRecording(orderMachine, error.recording))).toBeNull();
    });
  });

  it("should prove an app's own policy with the reference model on the same deadlines", () => {
    const result = checkOrderMachine(orderMachine, {
      policy: policyPresets.fiveDayAutoCancel,
      exhaustive: { depth: 2, log: false },
    });
    expect(result.depth).toBe(2);
  });

  it('should compare only states, quantities, records and acceptance when told an extension changes effects', () => {
    const quiet = orderMachine.provide({
      actions: { notifyShipment: emit({ type: 'seller.notified', orderId: 'x', at: 0, topic: 'orderCanceled' }) },
    });
    const strict = thrown(() => checkOrderMachine(quiet, { exhaustive: { depth: 2, log: false } }));
    expect(strict).toBeInstanceOf(OrderCounterexampleError);
    expect((strict as OrderCounterexampleError).reason).toMatch(/^Effects of the machine and the model differ/);
    expect(checkOrderMachine(quiet, { model: 'states', exhaustive: { depth: 2, log: false } }).depth).toBe(2);
  });

  it('should refuse a depth that is not a whole number of events, naming it', () => {
    for (const depth of [-1, 2.5, Number.NaN])
      expect(() => checkOrderMachineExhaustively(orderMachine, { depth, log: false })).toThrow(
        new OrderCheckError(
          `The exhaustive check's depth must be a whole number of events, 0 or more (got ${String(depth)}).`,
        ),
      );
    expect(checkOrderMachineExhaustively(orderMachine, { depth: 0, log: false })).toEqual({
      states: 3,
      transitions: 0,
      depth: 0,
    });
  });

  it('should give the same counterexample on every run', () => {
    const mutant = negated('isRepeatedRequest');
    const first = thrown(() => checkOrderMachineExhaustively(mutant, { depth: 2, log: false })) as Error;
    const second = thrown(() => checkOrderMachineExhaustively(mutant, { depth: 2, log: false })) as Error;
    expect(first).toBeInstanceOf(OrderCounterexampleError);
    expect(second.message).toBe(first.message);
  });
});
