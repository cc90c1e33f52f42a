import { describe, expect, it } from 'vitest';
import { PlanStream, SWEEP_STEP_MS, planSimulation, runClock } from '../../src/sim/index.js';

const DAY = 86_400_000;

describe('a plan planned a day at a time as the clock goes (PlanStream)', () => {
  it.each([
    { orders: 1200, days: 7, seed: 11 },
    { orders: 3000, days: 1, seed: 7 },
    { orders: 7, days: 7, seed: 3 },
  ])(
    'should hand out, step by step, the actions planSimulation plans at once, in the same order ($orders orders, $days days)',
    async (options) => {
      const whole = planSimulation(options);
      const stream = new PlanStream(options);
      const taken: unknown[] = [];
      await runClock(stream, async (at) => {
        for (const action of stream.takeUntil(at)) {
          expect(action.at).toBeLessThan(at);
          const { seq: _seq, ...rest } = action;
          taken.push(rest);
        }
      });
      expect(taken).toEqual(whole.actions.map(({ seq: _seq, ...rest }) => rest));
      expect(stream.end).toBe(whole.end);
      expect(stream.total).toBe(whole.actions.length);
    },
  );

  it('should hold only the days it has reached: after the first day, the actions of the orders placed on it', () => {
    const stream = new PlanStream({ orders: 7000, days: 7, seed: 1 });
    stream.takeUntil(stream.start + SWEEP_STEP_MS);
    expect(stream.finished).toBe(false);
    expect(() => stream.end).toThrow(/not known yet/);
    // One day of seven planned: about a seventh of the actions, however many orders the week has.
    const whole = planSimulation({ orders: 7000, days: 7, seed: 1 });
    expect(stream.planned).toBeLessThan(whole.actions.length / 5);
    expect(stream.total).toBeGreaterThan(whole.actions.length * 0.8);
    expect(stream.total).toBeLessThan(whole.actions.length * 1.2);
    stream.takeUntil(stream.start + 7 * DAY + 1);
    expect(stream.finished).toBe(true);
  });
});
