import { describe, expect, it } from 'vitest';
import { SimulatedClock } from 'xstate';
import { applyEvent, createOrderActor, orderStatus } from '../../src/index.js';
import {
  DAY,
  labelledOrder,
  last,
  latestShipDate,
  minute,
  newOrder,
  orderInput,
  run,
  unshippedOrder,
} from '../support/orders.js';

describe('context details: what the order remembers of each accepted event', () => {
  it('should keep the label of a package that shipped every open unit', () => {
    const { snapshot } = last(labelledOrder(), { type: 'seller.confirmShipment', at: minute(50) });
    expect(orderStatus(snapshot)).toBe('shipped');
    expect(snapshot.context.labelGeneratedAt).toBe(minute(40));
  });

  it('should keep the label when the shipment leaves open only units that were cancelled', () => {
    const [cancelled, labelled, shipped] = run(
      unshippedOrder(),
      { type: 'seller.cancel', at: minute(35), reason: 'NoInventory', items: [{ orderItemId: 'A', quantity: 1 }] },
      { type: 'seller.generateLabel', at: minute(40) },
      { type: 'seller.confirmShipment', at: minute(50) },
    );
    expect(cancelled!.verdict.accepted).toBe(true);
    expect(labelled!.verdict.accepted).toBe(true);
    expect(orderStatus(shipped!.snapshot)).toBe('shipped');
    expect(shipped!.snapshot.context.labelGeneratedAt).toBe(minute(40));
  });

  it.each([
    {
      what: 'a label reported late was really bought',
      type: 'seller.generateLabel',
      at: 'labelGeneratedAt',
      occurred: 'labelOccurredAt',
    },
    {
      what: 'a shipment reported late was really confirmed',
      type: 'seller.confirmShipment',
      at: 'shippedAt',
      occurred: 'shipmentOccurredAt',
    },
  ] as const)('should remember when $what, and nothing more for one on time', ({ type, at, occurred }) => {
    const clock = unshippedOrder().context.clock;
    const late = applyEvent(unshippedOrder(), { type, at: clock - 60_000 });
    expect(late.verdict.accepted).toBe(true);
    expect(late.snapshot.context[at]).toBe(clock);
    expect(late.snapshot.context[occurred]).toBe(clock - 60_000);
    const atClock = applyEvent(unshippedOrder(), { type, at: clock });
    expect(atClock.snapshot.context[at]).toBe(clock);
    expect(atClock.snapshot.context[occurred]).toBeUndefined();
    const after = applyEvent(unshippedOrder(), { type, at: clock + 60_000 });
    expect(after.snapshot.context[at]).toBe(clock + 60_000);
    expect(after.snapshot.context[occurred]).toBeUndefined();
  });

  it('should record a request without subject or reason as one that has neither, and keep both when given', () => {
    const bare = applyEvent(unshippedOrder(), {
      type: 'buyer.requestCancellation',
      at: minute(40),
      source: 'order-flag',
    });
    expect(bare.verdict.accepted).toBe(true);
    expect(bare.snapshot.context.requests).toStrictEqual([
      { at: minute(40), source: 'order-flag', official: true, orderItemIds: ['A', 'B'] },
    ]);
    const worded = applyEvent(unshippedOrder(), {
      type: 'buyer.requestCancellation',
      at: minute(40),
      source: 'message',
      subject: 'please stop it',
      reason: 'ordered twice',
    });
    expect(worded.snapshot.context.requests[0]).toMatchObject({ subject: 'please stop it', reason: 'ordered twice' });
  });

  it('should tell the buyer of a non-standard request which items it names, comma-separated', () => {
    const { effects } = applyEvent(unshippedOrder(), {
      type: 'buyer.requestCancellation',
      at: minute(40),
      source: 'message',
      subject: 'where is it?',
    });
    expect(effects).toEqual([expect.objectContaining({ type: 'buyer.guidance' })]);
    const guidance = effects[0] as { message: { en: string } };
    expect(guidance.message.en).toContain('(items A, B)');
  });

  it("should follow the newest Amazon report's instant when a shipment fact is older than it", () => {
    const { snapshot } = last(
      unshippedOrder(),
      { type: 'marketplace.statusReported', at: minute(100), status: 'unshipped' },
      { type: 'marketplace.orderShipped', at: minute(50), items: [{ orderItemId: 'A', quantity: 1 }] },
    );
    expect(snapshot.context.marketplaceStatusAt).toBe(minute(100));
    // A report between the two is older than the one the order follows: it changes nothing.
    const stale = applyEvent(snapshot, { type: 'marketplace.statusReported', at: minute(70), status: 'pending' });
    expect(orderStatus(stale.snapshot)).toBe('unshipped');
    expect(stale.snapshot.context.marketplaceStatus).toBe('unshipped');
  });

  it('should keep a shipment late when Amazon later moves the latest ship date past it', () => {
    const { snapshot } = last(
      newOrder(),
      { type: 'seller.confirmShipment', at: latestShipDate + DAY, items: [{ orderItemId: 'A', quantity: 1 }] },
      {
        type: 'marketplace.statusReported',
        at: latestShipDate + DAY + 1,
        status: 'unshipped',
        latestShipDate: latestShipDate + 3 * DAY,
      },
    );
    expect(snapshot.context.latestShipDate).toBe(latestShipDate + 3 * DAY);
    expect(snapshot.context.shippedLate).toBe(true);
  });
});

describe("an actor's acceptances", () => {
  function acceptances(
    events: Parameters<ReturnType<typeof createOrderActor>['send']>[0][],
    at: number,
    input = orderInput(),
  ) {
    const clock = new SimulatedClock();
    clock.set(at);
    const actor = createOrderActor(input, { clock });
    const heard: string[] = [];
    actor.on('order.accepted', (event) => heard.push(event.eventType));
    for (const event of events) actor.send(event);
    const snapshot = actor.getSnapshot();
    actor.stop();
    return { heard, snapshot };
  }

  it('should hear one acceptance for a readiness report that releases no deadline', () => {
    const { heard } = acceptances(
      [{ type: 'marketplace.statusReported', at: minute(40), status: 'unshipped' }],
      minute(40),
    );
    expect(heard).toEqual(['marketplace.statusReported']);
  });

  it('should also hear the tick by which a report naming an overdue date auto-cancels the order', () => {
    const input = orderInput({ latestShipDate: undefined });
    const at = latestShipDate + 8 * DAY;
    const { heard, snapshot } = acceptances(
      [{ type: 'marketplace.statusReported', at, status: 'unshipped', latestShipDate }],
      at,
      input,
    );
    expect(orderStatus(snapshot)).toBe('auto-canceled');
    expect(heard).toEqual(['marketplace.statusReported', 'clock.tick']);
  });
});
