import { describe, expect, it } from 'vitest';
import { SimulatedClock } from 'xstate';
import { createOrderActor, orderStatus, restoreOrder, serializeOrder, type Effect } from '../../src/index.js';
import { MAX_TIMER_MS } from '../../src/runtime/index.js';
import { autoCancelAt, buyerCancelUntil, DAY, MINUTE, orderInput, placedAt } from '../support/orders.js';

function clockAt(time: number): SimulatedClock {
  const clock = new SimulatedClock();
  clock.set(time);
  return clock;
}

describe('a live order actor', () => {
  it('should close the buyer window by itself when its clock reaches 30 minutes', () => {
    const clock = clockAt(placedAt);
    const actor = createOrderActor(orderInput(), { clock });
    clock.increment(30 * MINUTE - 1);
    expect(orderStatus(actor.getSnapshot())).toBe('buyer-cancellable');
    clock.increment(1);
    expect(orderStatus(actor.getSnapshot())).toBe('unshipped');
    actor.stop();
  });

  it('should auto-cancel by itself at autoCancelAt and emit the effects', () => {
    const clock = clockAt(placedAt);
    const actor = createOrderActor(orderInput(), { clock });
    const effects: Effect[] = [];
    actor.on('*', (effect) => {
      if (effect.type !== 'order.accepted') effects.push(effect);
    });
    clock.set(autoCancelAt - 1);
    expect(orderStatus(actor.getSnapshot())).toBe('unshipped');
    clock.set(autoCancelAt);
    expect(orderStatus(actor.getSnapshot())).toBe('auto-canceled');
    expect(actor.getSnapshot().status).toBe('done');
    expect(effects.map((effect) => effect.type)).toEqual(['buyer.notified', 'seller.notified', 'items.refunded']);
  });

  it('should resume after a restore at minute 20 and close the window 10 minutes later, not 30', () => {
    const clock = clockAt(placedAt);
    const first = createOrderActor(orderInput(), { clock });
    clock.increment(20 * MINUTE);
    const saved = serializeOrder(first.getSnapshot());
    first.stop();

    const later = clockAt(placedAt + 20 * MINUTE);
    const restored = createOrderActor(restoreOrder(saved), { clock: later });
    later.increment(10 * MINUTE - 1);
    expect(orderStatus(restored.getSnapshot())).toBe('buyer-cancellable');
    later.increment(1);
    expect(orderStatus(restored.getSnapshot())).toBe('unshipped');
    restored.stop();
  });

  it('should apply a deadline that passed while it was stored as soon as its clock runs', () => {
    const saved = serializeOrder(createOrderActor(orderInput(), { clock: clockAt(placedAt) }).getSnapshot());
    const clock = clockAt(buyerCancelUntil + DAY);
    const restored = createOrderActor(restoreOrder(saved), { clock });
    clock.increment(0);
    expect(orderStatus(restored.getSnapshot())).toBe('unshipped');
    restored.stop();
  });

  it('should never hand the clock a timer longer than 2^31 - 1 ms, and still wake at a deadline 60 days away', () => {
    const clock = clockAt(placedAt);
    const delays: number[] = [];
    const recording = {
      now: () => clock.now(),
      setTimeout: (fn: () => void, ms: number) => {
        delays.push(ms);
        return clock.setTimeout(fn, ms);
      },
      clearTimeout: (id: unknown) => clock.clearTimeout(id as number),
    };
    const deadline = placedAt + 60 * DAY;
    const actor = createOrderActor(orderInput({ latestShipDate: deadline - 7 * DAY }), { clock: recording });
    clock.set(buyerCancelUntil);
    expect(delays.at(-1)).toBe(MAX_TIMER_MS);
    clock.increment(MAX_TIMER_MS);
    expect(orderStatus(actor.getSnapshot())).toBe('unshipped');
    expect(delays.at(-1)).toBe(MAX_TIMER_MS);
    clock.set(deadline - 1);
    expect(orderStatus(actor.getSnapshot())).toBe('unshipped');
    clock.set(deadline);
    expect(orderStatus(actor.getSnapshot())).toBe('auto-canceled');
    expect(Math.max(...delays)).toBeLessThanOrEqual(MAX_TIMER_MS);
  });

  it('should judge sent events by their `at` and refuse bad events with an error, changing nothing', () => {
    const clock = clockAt(placedAt);
    const actor = createOrderActor(orderInput(), { clock });
    actor.send({ type: 'seller.generateLabel', at: placedAt + 40 * MINUTE });
    expect(orderStatus(actor.getSnapshot())).toBe('label-generated');
    const before = actor.getSnapshot().context;
    expect(() => actor.send({ type: 'seller.cancel', at: 'yesterday', reason: 'NoInventory' } as never)).toThrow(/at/);
    expect(() => actor.send({ type: 'seller.explode', at: placedAt } as never)).toThrow(/type.*seller\.explode/);
    expect(actor.getSnapshot().context).toBe(before);
    actor.stop();
  });

  it('should throw an error naming the field for a bad input', () => {
    expect(() => createOrderActor({ ...orderInput(), placedAt: 'not a date' })).toThrow(/placedAt.*not a date/);
  });

  it('should refuse a policy override for a restored order', () => {
    const snapshot = restoreOrder(
      serializeOrder(createOrderActor(orderInput(), { clock: clockAt(placedAt) }).getSnapshot()),
    );
    expect(() => createOrderActor(snapshot, { policy: { autoCancelAfterMs: 1 } })).toThrow(
      /restored order keeps the policy/,
    );
  });

  it('should apply a policy override to a new order', () => {
    const clock = clockAt(placedAt);
    const actor = createOrderActor(orderInput(), { clock, policy: { buyerCancelWindowMs: 10 * MINUTE } });
    clock.increment(10 * MINUTE);
    expect(orderStatus(actor.getSnapshot())).toBe('unshipped');
    actor.stop();
  });
});
