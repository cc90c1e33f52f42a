import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createOrder, InvalidInputError, type OrderEventInput, type OrderInput } from '../../src/index.js';
import { MAX_ID_LENGTH, MAX_IDEMPOTENCY_KEY_LENGTH, MAX_TEXT_LENGTH } from '../../src/domain/index.js';
import { parseEvent } from '../../src/runtime/index.js';
import { createOrderService, type OrderService } from '../../src/service/index.js';
import { MemoryStore, type OrderStore } from '../../src/store/index.js';
import { minute, orderInput } from '../support/orders.js';
import { storeKinds, type OpenedStore } from '../store/stores.js';

const ORDER = '113-0000020-0000001';
const huge = 'x'.repeat(10 * 1024 * 1024);

/** Order inputs every store must refuse, each with the field the error must name. */
const badInputs: Array<[string, Partial<OrderInput>, RegExp]> = [
  [
    'a 10 MB order id',
    { orderId: huge },
    /^Invalid order input: orderId: must be at most 128 characters \(this one has 10485760\)/,
  ],
  [
    'a NUL in the order id',
    { orderId: '113-0000020-\u00000000002' },
    /^Invalid order input: orderId: must not contain control characters: U\+0000 at index 12/,
  ],
  [
    'a lone high surrogate in the order id',
    { orderId: '113-0000020-\uD800' },
    /^Invalid order input: orderId: must be well-formed Unicode: a lone surrogate U\+D800 at index 12/,
  ],
  [
    'a lone low surrogate in the order id',
    { orderId: '113-0000020-\uDC00' },
    /^Invalid order input: orderId: must be well-formed Unicode: a lone surrogate U\+DC00/,
  ],
  [
    'a line break in the order id',
    { orderId: '113-0000020\n' },
    /orderId: must not contain control characters: U\+000A/,
  ],
  [
    'a C1 control character in the order id',
    { orderId: '113-\u0085' },
    /orderId: must not contain control characters: U\+0085/,
  ],
  [
    'an order item id over 128 characters',
    { items: [{ orderItemId: 'i'.repeat(MAX_ID_LENGTH + 1), quantity: 1 }] },
    /items\.0\.orderItemId: must be at most 128 characters/,
  ],
  [
    'a DEL in a SKU',
    { items: [{ orderItemId: 'A', sku: 'MUG\u007f', quantity: 1 }] },
    /items\.0\.sku: must not contain control characters: U\+007F/,
  ],
  [
    'a NUL in the marketplace id',
    { marketplaceId: 'ATVPDKIKX0DER\u0000' },
    /marketplaceId: must not contain control characters: U\+0000/,
  ],
];

/** Events every store must refuse, each with the field the error must name. */
const badEvents: Array<[string, OrderEventInput, RegExp]> = [
  [
    'a NUL in the event id',
    { type: 'clock.tick', at: minute(40), eventId: 'e\u0000' },
    /^Invalid event: eventId: must not contain control characters/,
  ],
  [
    'a lone surrogate in the event id',
    { type: 'clock.tick', at: minute(40), eventId: 'e\uDBFF' },
    /^Invalid event: eventId: must be well-formed Unicode/,
  ],
  [
    'a 129-character event id',
    { type: 'clock.tick', at: minute(40), eventId: 'e'.repeat(129) },
    /^Invalid event: eventId: must be at most 128 characters/,
  ],
  [
    'a lone surrogate in a request subject',
    { type: 'buyer.requestCancellation', at: minute(40), source: 'message', subject: 'Cancel \uDE00' },
    /^Invalid event: subject: must be well-formed Unicode/,
  ],
  [
    'a request reason over 1,000 characters',
    { type: 'buyer.requestCancellation', at: minute(40), source: 'message', reason: 'r'.repeat(MAX_TEXT_LENGTH + 1) },
    /^Invalid event: reason: must be at most 1000 characters/,
  ],
  [
    'a NUL in a request reason',
    { type: 'buyer.requestCancellation', at: minute(40), source: 'order-flag', reason: 'no\u0000' },
    /^Invalid event: reason: must not contain control characters other than tab and line breaks: U\+0000/,
  ],
  [
    'a NUL in a requested item id',
    { type: 'buyer.requestCancellation', at: minute(40), source: 'order-flag', orderItemIds: ['A\u0000'] },
    /^Invalid event: orderItemIds\.0: must not contain control characters/,
  ],
  [
    'an escape character in a marketplace note',
    { type: 'marketplace.orderCanceled', at: minute(40), cancelledBy: 'buyer', note: 'x\u001b[31m' },
    /^Invalid event: note: must not contain control characters other than tab and line breaks: U\+001B/,
  ],
  [
    'a lone surrogate in a marketplace reason',
    { type: 'marketplace.orderCanceled', at: minute(40), cancelledBy: 'amazon', reason: '\uD83D' },
    /^Invalid event: reason: must be well-formed Unicode/,
  ],
  [
    'a NUL in a cancelled item id',
    { type: 'seller.cancel', at: minute(40), reason: 'NoInventory', items: [{ orderItemId: '\u0000', quantity: 1 }] },
    /^Invalid event: items\.0\.orderItemId: must not contain control characters/,
  ],
];

/** Order ids and idempotency keys given beside the payload. */
const badIds: Array<[string, string, RegExp]> = [
  [
    'a NUL',
    'A\u0000',
    /^Invalid order id: orderId: must not contain control characters: U\+0000 at index 1 \(got "A\\u0000"\)$/,
  ],
  [
    'a lone surrogate',
    'A\uD800',
    /^Invalid order id: orderId: must be well-formed Unicode: a lone surrogate U\+D800 at index 1 \(got "A\\ud800"\)$/,
  ],
  [
    '10 MB',
    huge,
    /^Invalid order id: orderId: must be at most 128 characters \(this one has 10485760\) \(got "x{76}\.\.\.\)$/,
  ],
  ['nothing', '', /^Invalid order id: orderId: expected at least 1 character \(got ""\)$/],
];
const badKeys: Array<[string, string, RegExp]> = [
  ['a NUL', 'k\u0000', /^Invalid request options: idempotencyKey: must not contain control characters/],
  [
    'a lone surrogate',
    '\uDFFFk',
    /^Invalid request options: idempotencyKey: must be well-formed Unicode: a lone surrogate U\+DFFF at index 0/,
  ],
  [
    '256 characters',
    'k'.repeat(MAX_IDEMPOTENCY_KEY_LENGTH + 1),
    /^Invalid request options: idempotencyKey: must be at most 255 characters \(this one has 256\)/,
  ],
  ['nothing', '', /^Invalid request options: idempotencyKey: expected at least 1 character \(got ""\)$/],
];

/** The message a call fails with, or 'no error'. */
async function failure(call: () => Promise<unknown>): Promise<string> {
  try {
    await call();
    return 'no error';
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidInputError);
    return (error as Error).message;
  }
}

/** A store that counts the calls made on it (and on its transactions): to show a refused call reached no store. */
function counted(store: OrderStore): { store: OrderStore; calls: () => number } {
  let calls = 0;
  const count = <T extends object>(target: T): T =>
    new Proxy(target, {
      get(object, key) {
        const value = Reflect.get(object, key);
        if (typeof value !== 'function') return value;
        return (...args: unknown[]) => {
          calls++;
          // A transaction's callback gets a counted transaction too.
          const wrapped =
            key === 'transaction'
              ? args.map((arg) =>
                  typeof arg === 'function' ? (tx: object) => (arg as (tx: object) => unknown)(count(tx)) : arg,
                )
              : args;
          return (value as (...a: unknown[]) => unknown).apply(object, wrapped);
        };
      },
    });
  return { store: count(store), calls: () => calls };
}

describe('the bounds on ids and text, in the core', () => {
  it('should accept ids of exactly 128 characters, text of exactly 1,000 with tabs and line breaks, and characters beyond the BMP', () => {
    const id = 'i'.repeat(MAX_ID_LENGTH);
    expect(() =>
      createOrder(orderInput({ orderId: id, items: [{ orderItemId: id, sku: id, quantity: 1 }], marketplaceId: id })),
    ).not.toThrow();
    const reason = `${'r'.repeat(MAX_TEXT_LENGTH - 5)}\t\n\r😀`;
    expect(reason).toHaveLength(MAX_TEXT_LENGTH);
    expect(() =>
      parseEvent({
        type: 'buyer.requestCancellation',
        at: 1,
        source: 'message',
        subject: '亚马逊买家 😀',
        reason,
        eventId: id,
      }),
    ).not.toThrow();
  });

  it.each(badInputs)('should refuse %s in an order input, naming the field', (_, patch, message) => {
    expect(() => createOrder(orderInput(patch))).toThrow(InvalidInputError);
    expect(() => createOrder(orderInput(patch))).toThrow(message);
  });

  it.each(badEvents)('should refuse %s in an event, naming the field', (_, event, message) => {
    expect(() => parseEvent(event)).toThrow(InvalidInputError);
    expect(() => parseEvent(event)).toThrow(message);
  });
});

describe.each(storeKinds)('the bounds on ids and text, through the order service on the $name store', (kind) => {
  let opened: OpenedStore;
  let service: OrderService;
  let calls: () => number;
  /** The same calls on a service over a fresh memory store: the messages must be the same, word for word. */
  let reference: OrderService;

  beforeEach(async (context) => {
    if (kind.skip) return context.skip();
    opened = kind.open();
    const spied = counted(opened.store);
    calls = spied.calls;
    service = await createOrderService({ store: spied.store });
    await service.place(orderInput({ orderId: ORDER }));
    reference = await createOrderService({ store: new MemoryStore() });
    await reference.place(orderInput({ orderId: ORDER }));
  });
  afterEach(async () => {
    await service?.close();
    await reference?.close();
    await opened?.cleanup();
  });

  /** Everything the store holds: orders, the order's history, the outbox. */
  const contents = async () => ({
    orders: await opened.store.listOrders({ limit: 1000 }),
    history: await opened.store.history(ORDER),
    outbox: await opened.store.outboxEntries(),
  });

  /** Runs `call` on both services: it must fail the same way on both, store nothing, and reach no store. */
  async function refused(call: (service: OrderService) => Promise<unknown>, message: RegExp): Promise<void> {
    const before = await contents();
    const callsBefore = calls();
    const got = await failure(() => call(service));
    expect(got).toMatch(message);
    expect(calls(), 'calls on the store').toBe(callsBefore);
    expect(got).toBe(await failure(() => call(reference)));
    expect(await contents()).toEqual(before);
  }

  it.each(badInputs)(
    'should refuse to place an order with %s, identically, storing nothing',
    async (_, patch, message) => {
      await refused((s) => s.place(orderInput({ orderId: '113-0000020-0000002', ...patch })), message);
    },
  );

  it.each(badEvents)(
    'should refuse to apply an event with %s, identically, storing nothing',
    async (_, event, message) => {
      await refused((s) => s.apply(ORDER, event), message);
    },
  );

  it.each(badIds)(
    'should refuse an order id of %s in apply, get and history, identically, before any store sees it',
    async (_, orderId, message) => {
      await refused((s) => s.apply(orderId, { type: 'clock.tick', at: minute(40) }), message);
      await refused((s) => s.get(orderId), message);
      await refused((s) => s.history(orderId), message);
    },
  );

  it.each(badKeys)(
    'should refuse an idempotency key of %s in place and apply, identically, storing nothing',
    async (_, idempotencyKey, message) => {
      await refused((s) => s.place(orderInput({ orderId: '113-0000020-0000003' }), { idempotencyKey }), message);
      await refused((s) => s.apply(ORDER, { type: 'clock.tick', at: minute(40) }, { idempotencyKey }), message);
    },
  );

  it('should keep two ids that differ only in their lone surrogates apart: both are refused, none shares a row', async () => {
    for (const orderId of ['113-\uD800', '113-\uDBFF']) {
      await refused((s) => s.place(orderInput({ orderId })), /orderId: must be well-formed Unicode/);
    }
    expect((await opened.store.listOrders()).map((order) => order.orderId)).toEqual([ORDER]);
  });

  it('should store an id of 128 characters with a character beyond the BMP and read it back the same', async () => {
    const orderId = `${'9'.repeat(MAX_ID_LENGTH - 2)}😀`;
    await service.place(orderInput({ orderId }));
    expect((await service.get(orderId))?.orderId).toBe(orderId);
    const applied = await service.apply(
      orderId,
      { type: 'buyer.requestCancellation', at: minute(10), source: 'message', subject: 'Line one\nline two\t😀' },
      { idempotencyKey: `k${'😀'.repeat(127)}` },
    );
    expect(applied.snapshot.context.requests[0]?.subject).toBe('Line one\nline two\t😀');
  });
});
