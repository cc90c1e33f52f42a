import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  applyFeed,
  buildAdjustmentFeed,
  buildCancellationFeed,
  FeedCancellation,
  parseFeed,
} from '../../src/amazon/index.js';
import { CancelReason } from '../../src/index.js';
import { assertProperty, propertyParameters } from '../../src/testing/index.js';
import { MINUTE, placedAt } from '../support/orders.js';
import { orderService } from './support.js';

/** Ids as a feed can carry them: any text without control characters, surrounding spaces or lone surrogates. */
const cell = fc
  .string({ unit: 'grapheme', minLength: 1, maxLength: 24 })
  .filter(
    (text) =>
      FeedCancellation.safeParse({ orderId: text, reason: 'NoInventory', items: [{ orderItemId: 'x', quantity: 1 }] })
        .success,
  );

const cancellation = fc.record({
  orderId: cell,
  reason: fc.constantFrom(...CancelReason.options),
  items: fc.uniqueArray(fc.record({ orderItemId: cell, quantity: fc.integer({ min: 1, max: 10_000 }) }), {
    minLength: 1,
    maxLength: 4,
    selector: (item) => item.orderItemId,
  }),
});

/** Ids as Amazon's feed XSD admits them in the XML: `113-1234567-1234567`, 14-digit item codes. */
const amazonOrderId = fc.stringMatching(/^[A-Za-z0-9]{3}-[A-Za-z0-9]{7}-[A-Za-z0-9]{7}$/);
const amazonItemCode = fc.stringMatching(/^\d{14}$/);
const xmlCancellation = (reasons: readonly CancelReason[]) =>
  fc.record({
    orderId: amazonOrderId,
    reason: fc.constantFrom(...reasons),
    items: fc.uniqueArray(fc.record({ orderItemId: amazonItemCode, quantity: fc.integer({ min: 1, max: 10_000 }) }), {
      minLength: 1,
      maxLength: 4,
      selector: (item) => item.orderItemId,
    }),
  });

/** The cancel reasons the OrderAcknowledgement XSD lists (not the four newer ones). */
const acknowledgementReasons = CancelReason.options.filter(
  (reason) => !['CannotVerifyInformation', 'PricingError', 'RejectOrder', 'WeatherDelay'].includes(reason),
);

/** assertProperty for async properties: on failure, the error starts with the FC_SEED=… line that replays it. */
async function assertAsyncProperty<Ts>(
  name: string,
  property: fc.IAsyncPropertyWithHooks<Ts>,
  budget: { numRuns: number },
): Promise<void> {
  const details = await fc.check(property, propertyParameters<Ts>(budget));
  if (!details.failed) return;
  const replay = `FC_SEED=${details.seed}${details.counterexamplePath ? ` FC_PATH=${details.counterexamplePath}` : ''}`;
  throw new Error(`Property "${name}" failed; replay with ${replay}\n${fc.defaultReportMessage(details) ?? ''}`, {
    cause: details.errorInstance,
  });
}

describe('feed round trips (property)', () => {
  it('should read back every cancellation an XML or flat-file feed was built from', () => {
    assertProperty(
      'parseFeed inverts buildCancellationFeed',
      fc.property(
        fc.array(xmlCancellation(acknowledgementReasons), { minLength: 1, maxLength: 5 }),
        fc.array(cancellation, { minLength: 1, maxLength: 5 }),
        (acknowledgements, cancellations) => {
          // The acknowledgement XML names each item without a Quantity (Amazon's XSD has none): what remains of it.
          const xml = parseFeed(buildCancellationFeed(acknowledgements, { format: 'xml' }));
          expect(xml.rows).toEqual(
            acknowledgements.map((c, index) => ({
              messageId: String(index + 1),
              orderId: c.orderId,
              statusCode: 'Failure',
              items: c.items.map((item) => ({ orderItemId: item.orderItemId, reason: c.reason })),
            })),
          );
          const flat = parseFeed(buildCancellationFeed(cancellations, { format: 'flat-file' }));
          expect(flat.rows.map((row) => [row.orderId, row.items[0]!.reason, row.items[0]!.orderItemId])).toEqual(
            cancellations.flatMap((c) => c.items.map((item) => [c.orderId, c.reason, item.orderItemId])),
          );
        },
      ),
      { numRuns: 200 },
    );
  });

  it('should read back every adjustment an adjustment feed was built from', () => {
    const adjustable = xmlCancellation(
      CancelReason.options.filter(
        (reason) =>
          !['MerchandiseNotReceived', 'CannotVerifyInformation', 'RejectOrder', 'WeatherDelay'].includes(reason),
      ),
    );
    assertProperty(
      'parseFeed inverts buildAdjustmentFeed',
      fc.property(fc.array(adjustable, { minLength: 1, maxLength: 5 }), (adjustments) => {
        const rows = parseFeed(buildAdjustmentFeed(adjustments)).rows;
        expect(rows.map((row) => [row.orderId, row.items.map((item) => [item.orderItemId, item.quantity])])).toEqual(
          adjustments.map((a) => [a.orderId, a.items.map((item) => [item.orderItemId, String(item.quantity)])]),
        );
      }),
      { numRuns: 100 },
    );
  });
});

describe('applyFeed (property)', () => {
  const itemIds = ['40000000000001', '40000000000002', '40000000000003'];
  const orderIds = ['113-0000000-0000001', '113-0000000-0000002', '113-0000000-0000003'];
  const feedCancellation = fc.record({
    orderId: fc.constantFrom(...orderIds, '113-9999999-9999999'),
    reason: fc.constantFrom<CancelReason>('NoInventory', 'BuyerCanceled', 'CustomerExchange'),
    items: fc.uniqueArray(
      fc.record({
        orderItemId: fc.constantFrom(...itemIds, '49999999999999'),
        quantity: fc.integer({ min: 1, max: 3 }),
      }),
      {
        minLength: 1,
        maxLength: 3,
        selector: (item) => item.orderItemId,
      },
    ),
  });

  it('should change nothing when a feed runs a second time, and count every message once', async () => {
    await assertAsyncProperty(
      'a feed applied twice changes nothing the second time',
      fc.asyncProperty(
        fc.array(feedCancellation, { minLength: 1, maxLength: 8 }),
        fc.constantFrom<'xml' | 'flat-file'>('xml', 'flat-file'),
        async (cancellations, format) => {
          const service = await orderService();
          for (const orderId of orderIds) {
            await service.place(
              {
                orderId,
                placedAt,
                latestShipDate: placedAt + 2 * 24 * 60 * MINUTE,
                items: itemIds.map((orderItemId) => ({ orderItemId, quantity: 3 })),
              },
              { idempotencyKey: `place-${orderId}` },
            );
          }
          const feed = buildCancellationFeed(cancellations, { format });
          const at = placedAt + 60 * MINUTE;
          const first = await applyFeed(service, feed, { at });
          const snapshots = await Promise.all(orderIds.map(async (id) => (await service.get(id))!.snapshot.context));
          const second = await applyFeed(service, feed, { at: at + MINUTE });
          expect(await Promise.all(orderIds.map(async (id) => (await service.get(id))!.snapshot.context))).toEqual(
            snapshots,
          );
          const rows =
            format === 'xml' ? cancellations.length : cancellations.reduce((sum, c) => sum + c.items.length, 0);
          for (const report of [first, second]) {
            const { messagesProcessed, messagesSuccessful, messagesWithError } = report.processingSummary;
            expect(messagesProcessed).toBe(rows);
            expect(messagesSuccessful + messagesWithError).toBe(rows);
          }
          // What the first run applied, the second reports as already applied; its errors stay errors.
          expect(second.results.filter((r) => r.code === 'ALREADY_APPLIED')).toHaveLength(
            first.processingSummary.messagesSuccessful,
          );
          expect(second.results.filter((r) => r.resultCode === 'Error').map((r) => r.messageId)).toEqual(
            first.results.filter((r) => r.resultCode === 'Error').map((r) => r.messageId),
          );
        },
      ),
      { numRuns: 40 },
    );
  });
});
