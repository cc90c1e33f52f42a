import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  applyEvent,
  MACHINE_VERSION,
  orderStatus,
  restoreOrder,
  RestoreError,
  serializeOrder,
  SNAPSHOT_SCHEMA_VERSION,
  upgradeOrderSnapshot,
  type PersistedOrder,
} from '../../src/index.js';
import { labelledOrder, minute, newOrder, orderInput, unshippedOrder } from '../support/orders.js';
import { createOrder } from '../../src/index.js';

// Tampering reaches into raw stored JSON of any shape, which is exactly what the restore checks guard against.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type RawJson = Record<string, any>;
const stored = (snapshot = unshippedOrder()): PersistedOrder => JSON.parse(serializeOrder(snapshot));
const tamper = (change: (stored: PersistedOrder & { context: RawJson }) => void, snapshot = unshippedOrder()) => {
  const data = stored(snapshot) as PersistedOrder & { context: RawJson };
  change(data);
  return JSON.stringify(data);
};

describe('restoreOrder refuses what the machine could never have produced', () => {
  it.each([
    [
      'a shipped order with no ship time',
      () => tamper((d) => (d.state = 'shipped'), labelledOrder()),
      /context\.shippedAt is null, expected the instant of shipment/,
    ],
    [
      '9 units cancelled of 2',
      () => tamper((d) => (d.context['items'][0].quantityCanceled = 9)),
      /context\.items\.0\.quantityCanceled is 9, expected at most the quantity 2/,
    ],
    [
      'a NoInventory cancel marked as not counting',
      () =>
        tamper(
          (d) => (d.context['cancellations'][0].countsAgainstRate = false),
          applyEvent(unshippedOrder(), {
            type: 'seller.cancel',
            at: minute(40),
            reason: 'NoInventory',
            items: [{ orderItemId: 'A', quantity: 1 }],
          }).snapshot,
        ),
      /context\.cancellations\.0\.countsAgainstRate is false, expected true for a seller cancellation with reason NoInventory/,
    ],
    [
      'a state forced to unshipped one minute after purchase',
      () =>
        tamper(
          (d) => (d.state = 'unshipped'),
          applyEvent(newOrder(), { type: 'buyer.requestCancellation', at: minute(1), source: 'order-flag' }).snapshot,
        ),
      /state is "unshipped", expected buyerCancellable, since the clock/,
    ],
    [
      'a label-generated order without a label',
      () => tamper((d) => (d.state = 'labelGenerated')),
      /context\.labelGeneratedAt is null/,
    ],
    [
      'a cancelled order with items left',
      () => tamper((d) => (d.state = 'canceled')),
      /state is "canceled", expected an open state/,
    ],
    [
      'an auto-cancel with no record',
      () => tamper((d) => (d.state = 'autoCanceled')),
      /context\.cancellations is 0, expected a system cancellation/,
    ],
    [
      'a clock before the purchase',
      () => tamper((d) => (d.context['clock'] = 1)),
      /context\.clock is 1, expected at or after placedAt/,
    ],
  ])('should throw RestoreError naming the field and value for %s', (_, text, message) => {
    expect(() => restoreOrder(text())).toThrow(RestoreError);
    expect(() => restoreOrder(text())).toThrow(message);
  });

  it('should describe a field nested 200,000 arrays deep in 60 characters, with RestoreError, not a stack overflow', () => {
    const text = serializeOrder(unshippedOrder()).replace(
      /"orderId":"[^"]*"/,
      `"orderId":${'['.repeat(200_000)}${']'.repeat(200_000)}`,
    );
    expect(() => restoreOrder(text)).toThrow(RestoreError);
    expect(() => restoreOrder(text)).toThrow(`context.orderId: expected a string (got ${'['.repeat(57)}...).`);
  });

  it('should name the allowed states as they are written', () => {
    expect(() => restoreOrder(tamper((d) => (d.state = 'lost' as never)))).toThrow(
      /buyerCancellable.*labelGenerated.*autoCanceled/,
    );
  });

  it('should store a three-item order in under 500 bytes of JSON, without a copy of its preset policy', () => {
    const { snapshot } = createOrder(
      orderInput({
        items: [
          { orderItemId: '10000000000001', sku: 'MUG-RED', quantity: 2 },
          { orderItemId: '10000000000002', sku: 'MUG-BLUE', quantity: 1 },
          { orderItemId: '10000000000003', quantity: 3 },
        ],
      }),
    );
    const text = serializeOrder(snapshot);
    expect(Buffer.byteLength(text)).toBeLessThan(500);
    expect(text).not.toContain('policy');
    expect(restoreOrder(text).context).toEqual(snapshot.context);
  });

  it('should keep a policy that its deadlines do not imply', () => {
    const { snapshot } = createOrder(
      orderInput({ fulfillmentChannel: 'AFN', policy: { autoCancelAfterMs: 3 * 86_400_000 } }),
    );
    expect(restoreOrder(serializeOrder(snapshot)).context).toEqual(snapshot.context);
  });
});

describe('restoreOrder with migrate', () => {
  const fixture = JSON.parse(readFileSync(new URL('../fixtures/snapshots-v1.json', import.meta.url), 'utf8')) as Record<
    string,
    PersistedOrder
  >;

  it('should refuse a version-1 order without migrate, saying how to upgrade it', () => {
    expect(() => restoreOrder(JSON.stringify(fixture['unshipped']))).toThrow(
      /schemaVersion 1 and machine version 1.*pass \{ migrate \}/,
    );
  });

  it.each(Object.keys(fixture))('should upgrade the checked-in version-1 %s order and keep running it', (name) => {
    const snapshot = restoreOrder(JSON.stringify(fixture[name]), { migrate: upgradeOrderSnapshot });
    expect(JSON.parse(serializeOrder(snapshot))).toMatchObject({
      schemaVersion: SNAPSHOT_SCHEMA_VERSION,
      machineVersion: MACHINE_VERSION,
    });
    expect(snapshot.context.clock).toBeGreaterThanOrEqual(snapshot.context.placedAt);
    expect(snapshot.context.eventIds).toEqual([]);
    const ticked = applyEvent(snapshot, { type: 'clock.tick', at: snapshot.context.clock + 1 });
    expect(ticked.verdict.accepted).toBe(true);
  });

  it('should carry over the records of the version-1 order exactly', () => {
    const old = fixture['unshipped']!.context as Record<string, unknown>;
    const snapshot = restoreOrder(fixture['unshipped']!, { migrate: upgradeOrderSnapshot });
    expect(orderStatus(snapshot)).toBe('unshipped');
    expect(snapshot.context.cancellations).toEqual(old['cancellations']);
    expect(snapshot.context.requests).toEqual(old['requests']);
    expect(snapshot.context.clock).toBe(
      Math.max(...(old['cancellations'] as { at: number }[]).map((record) => record.at)),
    );
  });

  it('should let an app migrate its own versions', () => {
    const text = JSON.stringify({ ...stored(), machineVersion: 0 });
    const snapshot = restoreOrder(text, { migrate: (data) => ({ ...data, machineVersion: MACHINE_VERSION }) });
    expect(orderStatus(snapshot)).toBe('unshipped');
    expect(() => restoreOrder(text, { migrate: (data) => data })).toThrow(
      /migrate returned schemaVersion 2 and machine version 0/,
    );
  });
});
