import { describe, expect, it } from 'vitest';
import {
  applyEvent,
  MACHINE_VERSION,
  orderStatus,
  restoreOrder,
  RestoreError,
  serializeOrder,
  SNAPSHOT_SCHEMA_VERSION,
} from '../../src/index.js';
import { autoCancelAt, labelledOrder, minute, unshippedOrder } from '../support/orders.js';

describe('serializeOrder and restoreOrder', () => {
  it('should round-trip an open and a final order, with versions in the text', () => {
    const open = applyEvent(unshippedOrder(), {
      type: 'seller.cancel',
      at: minute(50),
      reason: 'NoInventory',
      items: [{ orderItemId: 'A', quantity: 1 }],
    }).snapshot;
    const final = applyEvent(labelledOrder(), { type: 'clock.tick', at: autoCancelAt }).snapshot;
    for (const snapshot of [open, final]) {
      const text = serializeOrder(snapshot);
      expect(JSON.parse(text)).toMatchObject({
        schemaVersion: SNAPSHOT_SCHEMA_VERSION,
        machineVersion: MACHINE_VERSION,
      });
      const restored = restoreOrder(text);
      expect(restored.value).toEqual(snapshot.value);
      expect(restored.context).toEqual(snapshot.context);
      expect(restored.status).toBe(snapshot.status);
      expect(serializeOrder(restored)).toBe(text);
    }
  });

  it('should continue a restored order exactly as the original would', () => {
    const original = labelledOrder();
    const event = { type: 'seller.confirmShipment', at: minute(90) } as const;
    const direct = applyEvent(original, event);
    const viaText = applyEvent(restoreOrder(serializeOrder(original)), event);
    expect(orderStatus(viaText.snapshot)).toBe('shipped');
    expect(viaText.snapshot.context).toEqual(direct.snapshot.context);
    expect(viaText.effects).toEqual(direct.effects);
  });

  const valid = () => JSON.parse(serializeOrder(unshippedOrder()));
  it.each([
    ['garbage', 'not json at all', /not JSON/],
    ['another format', JSON.stringify({ hello: 'world' }), /format/],
    ['a newer schema version', JSON.stringify({ ...valid(), schemaVersion: 99 }), /schemaVersion 99/],
    ['another machine version', JSON.stringify({ ...valid(), machineVersion: 0 }), /machine version 0/],
    ['a state that does not exist', JSON.stringify({ ...valid(), state: 'lost' }), /state/],
    [
      'a broken context',
      JSON.stringify({ ...valid(), context: { ...valid().context, items: 'none' } }),
      /context\.items/,
    ],
  ])('should throw RestoreError for %s', (_, text, message) => {
    expect(() => restoreOrder(text)).toThrow(RestoreError);
    expect(() => restoreOrder(text)).toThrow(message);
  });
});
