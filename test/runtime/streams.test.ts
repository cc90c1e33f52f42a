import { describe, expect, it } from 'vitest';
import { SimulatedClock, spawnChild, fromCallback } from 'xstate';
import {
  applyEvent,
  createOrder,
  createOrderActor,
  explain,
  orderMachine,
  orderStatus,
  restoreOrder,
  serializeOrder,
  type OrderEvent,
  type OrderRefused,
} from '../../src/index.js';
import {
  buyerCancelUntil,
  DAY,
  last,
  labelledOrder,
  minute,
  newOrder,
  orderInput,
  placedAt,
  run,
  unshippedOrder,
} from '../support/orders.js';

describe('time never runs backwards for an order', () => {
  it('should judge and record a seller cancel that arrives late at the order clock, keeping its own instant', () => {
    const [tick, cancel] = run(
      newOrder(),
      { type: 'clock.tick', at: minute(40) },
      { type: 'seller.cancel', at: minute(10), reason: 'NoInventory' },
    );
    expect(tick!.snapshot.context.clock).toBe(minute(40));
    expect(cancel!.verdict).toMatchObject({ accepted: true, late: true });
    expect(cancel!.snapshot.context.cancellations).toEqual([
      expect.objectContaining({
        by: 'seller',
        reason: 'NoInventory',
        at: minute(40),
        occurredAt: minute(10),
        countsAgainstRate: true,
      }),
    ]);
    expect(cancel!.effects.every((effect) => effect.at === minute(40))).toBe(true);
  });

  it('should never date a late shipment before its label', () => {
    const labelled = last(
      newOrder(),
      { type: 'clock.tick', at: minute(40) },
      { type: 'seller.generateLabel', at: minute(45) },
    ).snapshot;
    const { snapshot, verdict } = applyEvent(labelled, { type: 'seller.confirmShipment', at: minute(5) });
    expect(verdict).toMatchObject({ accepted: true, late: true });
    expect(snapshot.context.shippedAt).toBe(minute(45));
    expect(snapshot.context.shipmentOccurredAt).toBe(minute(5));
    expect(snapshot.context.shippedAt!).toBeGreaterThanOrEqual(snapshot.context.labelGeneratedAt!);
  });

  it('should refuse a late buyer cancel once the order clock has passed the window', () => {
    const { verdict, snapshot } = last(
      newOrder(),
      { type: 'clock.tick', at: minute(40) },
      { type: 'buyer.cancel', at: minute(5) },
    );
    expect(verdict).toMatchObject({ accepted: false, code: 'BUYER_WINDOW_CLOSED', late: true });
    expect(orderStatus(snapshot)).toBe('unshipped');
  });

  it('should keep the clock where it was when a refused event changes nothing', () => {
    const before = unshippedOrder();
    const { snapshot } = applyEvent(before, { type: 'seller.voidLabel', at: minute(50) });
    expect(snapshot.context).toEqual(before.context);
  });
});

describe('the same event twice changes nothing', () => {
  it('should apply a partial cancel with an event id once, answering the repeat as a duplicate', () => {
    const event: OrderEvent = {
      type: 'seller.cancel',
      at: minute(40),
      reason: 'NoInventory',
      items: [{ orderItemId: 'A', quantity: 1 }],
      eventId: 'feed-1:7',
    };
    const first = applyEvent(unshippedOrder(), event);
    const second = applyEvent(first.snapshot, event);
    expect(first.effects.map((effect) => effect.type)).toEqual(['buyer.notified', 'seller.notified', 'items.refunded']);
    expect(second.snapshot).toBe(first.snapshot);
    expect(second.effects).toEqual([]);
    expect(second.verdict).toMatchObject({ accepted: true, duplicate: true });
    expect(second.snapshot.context.items[0]!.quantityCanceled).toBe(1);
  });

  it('should refuse an event id longer than 128 characters, naming the field', () => {
    expect(() =>
      applyEvent(unshippedOrder(), { type: 'clock.tick', at: minute(40), eventId: 'x'.repeat(129) }),
    ).toThrow(/eventId/);
  });

  it('should notify the seller once when the same official request comes three times without an id', () => {
    const request = {
      type: 'buyer.requestCancellation',
      at: minute(40),
      source: 'order-flag',
      orderItemIds: ['A'],
    } satisfies OrderEvent;
    const steps = run(unshippedOrder(), request, { ...request, at: minute(41) }, { ...request, at: minute(42) });
    expect(steps.map((step) => step.effects.length)).toEqual([1, 0, 0]);
    expect(steps.every((step) => step.verdict.accepted)).toBe(true);
    expect(steps[2]!.snapshot.context.requests).toHaveLength(1);
  });

  it('should not grow the stored order with repeated requests', () => {
    const request = {
      type: 'buyer.requestCancellation',
      at: minute(40),
      source: 'message',
      subject: 'please cancel',
    } as const;
    const once = applyEvent(unshippedOrder(), request).snapshot;
    let many = once;
    for (let i = 1; i <= 50; i++) many = applyEvent(many, { ...request, at: minute(40 + i) }).snapshot;
    expect(serializeOrder(many).length).toBe(
      serializeOrder(once).length + String(minute(90)).length - String(minute(40)).length,
    );
  });
});

describe('the machine is the one source of truth for a verdict', () => {
  it('should refuse with REFUSED_BY_MACHINE, naming the guard, when only an extension refuses', () => {
    const strict = orderMachine.provide({ guards: { maySellerCancel: () => false } });
    const { snapshot } = applyEvent(createOrder(orderInput(), { machine: strict }).snapshot, {
      type: 'clock.tick',
      at: buyerCancelUntil,
    });
    const {
      verdict,
      snapshot: after,
      effects,
    } = applyEvent(snapshot, { type: 'seller.cancel', at: minute(40), reason: 'NoInventory' });
    expect(verdict.accepted).toBe(false);
    expect(verdict.code).toBe('REFUSED_BY_MACHINE');
    expect(verdict.message.en).toContain('"maySellerCancel"');
    expect(verdict.message['zh-CN']).toContain('maySellerCancel');
    expect(after.context).toEqual(snapshot.context);
    expect(effects).toEqual([]);
    expect(explain(snapshot, { type: 'seller.cancel', at: minute(40), reason: 'NoInventory' }).code).toBe(
      'REFUSED_BY_MACHINE',
    );
  });

  it("should keep the rules' code and words when the package's own rule refuses", () => {
    expect(
      applyEvent(labelledOrder(), { type: 'seller.cancel', at: minute(50), reason: 'NoInventory' }).verdict.code,
    ).toBe('LABEL_GENERATED');
  });
});

describe('pure steps use public XState API only', () => {
  it('should step a machine that spawns a child with a system id, again and again', () => {
    const mailer = fromCallback(() => () => {});
    const extended = orderMachine.provide({
      actions: { recordLabel: spawnChild(mailer, { systemId: 'mailer' }) as never },
    });
    let snapshot = createOrder(orderInput(), { machine: extended }).snapshot;
    snapshot = applyEvent(snapshot, { type: 'clock.tick', at: buyerCancelUntil }).snapshot;
    const labelled = applyEvent(snapshot, { type: 'seller.generateLabel', at: minute(40) });
    expect(orderStatus(labelled.snapshot)).toBe('label-generated');
    const again = applyEvent(snapshot, { type: 'seller.generateLabel', at: minute(41) });
    expect(orderStatus(again.snapshot)).toBe('label-generated');
    expect(applyEvent(labelled.snapshot, { type: 'seller.confirmShipment', at: minute(60) }).verdict.accepted).toBe(
      true,
    );
  });
});

describe('a live actor under real event streams', () => {
  it('should tell order.refused listeners about a refused event, with the verdict', () => {
    const actor = createOrderActor(orderInput(), { clock: clockAt(placedAt) });
    const refused: OrderRefused[] = [];
    actor.on('order.refused', (event) => refused.push(event));
    const verdict = actor.send({ type: 'seller.generateLabel', at: minute(1) });
    expect(verdict.code).toBe('ORDER_PENDING');
    expect(refused).toEqual([
      expect.objectContaining({ type: 'order.refused', verdict: expect.objectContaining({ code: 'ORDER_PENDING' }) }),
    ]);
    actor.send({ type: 'buyer.requestCancellation', at: minute(2), source: 'order-flag' });
    expect(refused).toHaveLength(1);
    actor.stop();
  });

  it('should report the current state of a restored overdue order right after start', () => {
    const stored = serializeOrder(unshippedOrder());
    const actor = createOrderActor(restoreOrder(stored), { clock: clockAt(placedAt + 30 * DAY) });
    expect(orderStatus(actor.getSnapshot())).toBe('auto-canceled');
    actor.stop();
  });

  it('should accept a Date as the instant of an event', () => {
    const { verdict, snapshot } = applyEvent(unshippedOrder(), {
      type: 'seller.generateLabel',
      at: new Date(minute(45)),
    });
    expect(verdict.accepted).toBe(true);
    expect(snapshot.context.labelGeneratedAt).toBe(minute(45));
    expect(() => applyEvent(unshippedOrder(), { type: 'seller.generateLabel', at: new Date('not a date') })).toThrow(
      /at: .*\(got Date\(Invalid Date\)\)/,
    );
    expect(() => applyEvent(unshippedOrder(), { type: 'seller.generateLabel', at: '2026-11-26 10:00' })).toThrow(
      /\(got "2026-11-26 10:00"\)/,
    );
  });
});

function clockAt(ms: number): SimulatedClock {
  const clock = new SimulatedClock();
  clock.set(ms);
  return clock;
}
