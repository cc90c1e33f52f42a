import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOrderService } from '../../src/service/index.js';
import { SqliteStore } from '../../src/store/index.js';
import { minute, orderInput } from '../support/orders.js';
import { startExample, type ExampleProcess } from './processes.js';

const root = resolve(import.meta.dirname, '../..');

/** A JSON answer: the service's result or `{ error }`. */
type Body = Record<string, unknown> & {
  verdict?: { accepted: boolean; code?: string; message: Record<'en' | 'zh-CN', string> };
};

describe('the HTTP service example (examples/http-service) on a SQLite file', () => {
  let dir = '';
  let filename = '';
  let server: ExampleProcess;
  let base = '';

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'order-lifecycle-http-'));
    filename = join(dir, 'orders.db');
    server = startExample('http-service', { ORDERS_DB: filename, HOST: '127.0.0.1', PORT: '0' });
    const [, url] = await server.waitForLine(/^listening on (http:\/\/127\.0\.0\.1:\d+)$/);
    base = url!;
  });

  afterAll(async () => {
    if (server && server.child.exitCode === null) {
      server.child.kill('SIGKILL');
      await server.exited;
    }
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const call = async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => {
    const response = await fetch(base + path, {
      method,
      headers: { 'content-type': 'application/json', ...headers },
      ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
    });
    return { status: response.status, headers: response.headers, body: (await response.json()) as Body };
  };

  const input = orderInput({ orderId: '113-0000001-0000001' });
  const orderPath = `/orders/${input.orderId}`;

  it('should type-check against the package as an app imports it', () => {
    expect(() =>
      execFileSync(join(root, 'node_modules/.bin/tsc'), ['--noEmit', '-p', 'examples/http-service'], {
        cwd: root,
        stdio: 'pipe',
      }),
    ).not.toThrow();
  });

  it('should place an order with 201 and a Location, and answer a retry with the same result', async () => {
    const placed = await call('POST', '/orders', input, { 'idempotency-key': 'place-1' });
    expect(placed).toMatchObject({
      status: 201,
      body: { orderId: input.orderId, status: 'buyer-cancellable', version: 1, verdict: { accepted: true } },
    });
    expect(placed.headers.get('location')).toBe(orderPath);
    const again = await call('POST', '/orders', input, { 'idempotency-key': 'place-1' });
    expect(again.body).toEqual(placed.body);
  });

  it('should read the order back with GET', async () => {
    const order = await call('GET', orderPath);
    expect(order).toMatchObject({
      status: 200,
      body: { orderId: input.orderId, status: 'buyer-cancellable', version: 1, nextDeadline: minute(30) },
    });
    expect(order.body['context']).toMatchObject({
      orderId: input.orderId,
      items: [
        { orderItemId: 'A', quantity: 2 },
        { orderItemId: 'B', quantity: 1 },
      ],
    });
  });

  it('should apply an accepted event with 200 and a refused one with 422 carrying the verdict in both languages', async () => {
    const label = await call(
      'POST',
      `${orderPath}/events`,
      { type: 'seller.generateLabel', at: minute(40) },
      { 'idempotency-key': 'label-1' },
    );
    expect(label).toMatchObject({
      status: 200,
      body: { status: 'label-generated', version: 2, verdict: { accepted: true } },
    });

    const cancel = await call(
      'POST',
      `${orderPath}/events`,
      { type: 'seller.cancel', at: minute(41), reason: 'NoInventory' },
      { 'idempotency-key': 'cancel-1' },
    );
    expect(cancel.status).toBe(422);
    expect(cancel.body['verdict']).toMatchObject({ accepted: false, code: 'LABEL_GENERATED' });
    expect(cancel.body.verdict!.message.en).toMatch(/label/i);
    expect(cancel.body.verdict!.message['zh-CN']).toMatch(/标签/);
    expect(cancel.body['status']).toBe('label-generated');
  });

  it('should apply a retried request with the same Idempotency-Key once, and refuse the key for another request with 409', async () => {
    const event = { type: 'seller.confirmShipment', at: minute(50) };
    const first = await call('POST', `${orderPath}/events`, event, { 'idempotency-key': 'ship-1' });
    const retry = await call('POST', `${orderPath}/events`, event, { 'idempotency-key': 'ship-1' });
    expect(first).toMatchObject({ status: 200, body: { status: 'shipped' } });
    expect(retry).toEqual({ ...first, headers: retry.headers });
    expect((await call('GET', orderPath)).body['version']).toBe(first.body['version']);

    const reused = await call(
      'POST',
      `${orderPath}/events`,
      { type: 'clock.tick', at: minute(60) },
      { 'idempotency-key': 'ship-1' },
    );
    expect(reused.status).toBe(409);
    expect(reused.body['error']).toContain('"ship-1"');
  });

  it('should answer 409 for an order id placed again with another input', async () => {
    const other = await call('POST', '/orders', { ...input, items: [{ orderItemId: 'Z', quantity: 9 }] });
    expect(other).toMatchObject({
      status: 409,
      body: { error: `Order "${input.orderId}" already exists with a different input.` },
    });
  });

  it('should answer 404 for an unknown order, on GET and on events, and for an unknown route', async () => {
    expect(await call('GET', '/orders/no-such-order')).toMatchObject({
      status: 404,
      body: { error: 'Order "no-such-order" does not exist.' },
    });
    const event = await call('POST', '/orders/no-such-order/events', { type: 'clock.tick', at: minute(1) });
    expect(event).toMatchObject({ status: 404, body: { error: 'Order "no-such-order" does not exist.' } });
    expect((await call('GET', '/customers/1')).status).toBe(404);
  });

  it('should answer 400 naming the field and the value for bad input, and change nothing', async () => {
    const before = (await call('GET', orderPath)).body;
    const badEvent = await call('POST', `${orderPath}/events`, {
      type: 'seller.cancel',
      at: minute(70),
      reason: 'Bored',
    });
    expect(badEvent.status).toBe(400);
    expect(badEvent.body['error']).toMatch(/^Invalid event: reason: .*"Bored"/);
    const notJson = await call('POST', `${orderPath}/events`, '{"type":');
    expect(notJson).toMatchObject({ status: 400, body: { error: 'Request body is not JSON: "{\\"type\\":".' } });
    const badOrder = await call('POST', '/orders', {
      ...input,
      orderId: '113-0000002-0000002',
      items: [{ orderItemId: 'A', quantity: -1 }],
    });
    expect(badOrder.status).toBe(400);
    expect(badOrder.body['error']).toMatch(/^Invalid order input: items\.0\.quantity: .*-1/);
    const badKey = await call(
      'POST',
      `${orderPath}/events`,
      { type: 'clock.tick', at: minute(80) },
      { 'idempotency-key': 'k'.repeat(256) },
    );
    expect(badKey.status).toBe(400);
    expect(badKey.body['error']).toMatch(/idempotencyKey/);
    expect((await call('GET', orderPath)).body).toEqual(before);
    expect((await call('GET', '/orders/113-0000002-0000002')).status).toBe(404);
  });

  it('should answer 400 for hostile input, keep serving, and change nothing', async () => {
    const before = (await call('GET', orderPath)).body;
    // A malformed %-escape, and the UTF-8 of a lone surrogate, in the order id.
    for (const path of ['/orders/%E0%A4%A', '/orders/113-%ED%A0%80/events']) {
      const bad = await call(
        path.endsWith('events') ? 'POST' : 'GET',
        path,
        path.endsWith('events') ? { type: 'clock.tick', at: minute(90) } : undefined,
      );
      expect(bad.status, path).toBe(400);
      expect(bad.body['error']).toMatch(/^The order id in the path is not valid percent-encoded UTF-8: "/);
    }
    // A NUL in the order id: refused before the store sees it.
    const nul = await call('GET', '/orders/113-%00');
    expect(nul).toMatchObject({
      status: 400,
      body: {
        error: 'Invalid order id: orderId: must not contain control characters: U+0000 at index 4 (got "113-\\u0000")',
      },
    });
    // A body nesting 5,000 arrays, as the event and as a field of it: a short message, not a stack overflow.
    const deep = `${'['.repeat(5_000)}${']'.repeat(5_000)}`;
    for (const body of [deep, `{"type":"seller.cancel","at":${minute(90)},"reason":${deep}}`]) {
      const answer = await call('POST', `${orderPath}/events`, body);
      expect(answer.status).toBe(400);
      expect(answer.body['error']).toMatch(/^Invalid event: .*\(got \[{77}\.\.\.\)$/);
      expect(String(answer.body['error']).length).toBeLessThan(1_000);
    }
    // An order id of 1,000 characters fits in the body limit: refused by name.
    const long = await call('POST', '/orders', { ...input, orderId: 'x'.repeat(1_000) });
    expect(long).toMatchObject({
      status: 400,
      body: {
        error: expect.stringMatching(
          /^Invalid order input: orderId: must be at most 128 characters \(this one has 1000\)/,
        ),
      },
    });
    expect((await call('GET', orderPath)).body).toEqual(before);
  });

  it('should answer 405 with Allow for a method a route does not take', async () => {
    const put = await call('PUT', orderPath, {});
    expect(put.status).toBe(405);
    expect(put.headers.get('allow')).toBe('GET');
  });

  it('should close on SIGTERM with status 0, leaving every accepted event in the SQLite file', async () => {
    server.child.kill('SIGTERM');
    expect(await server.exited).toEqual({ code: 0, signal: null });
    expect(server.stderr()).toContain('closed');
    const service = await createOrderService({ store: new SqliteStore({ filename }) });
    try {
      expect(await service.get(input.orderId)).toMatchObject({ status: 'shipped' });
      const history = await service.history(input.orderId);
      expect(history.map((row) => row.event.type)).toEqual([
        'order.place',
        'seller.generateLabel',
        'seller.cancel',
        'seller.confirmShipment',
      ]);
    } finally {
      await service.close();
    }
  });
});

describe('the HTTP service example, given a bad setting', () => {
  it('should exit with status 2 and one line naming the setting and the value', async () => {
    const server = startExample('http-service', { PORT: '99999' });
    expect(await server.exited).toEqual({ code: 2, signal: null });
    expect(server.stderr()).toBe('PORT must be a port number from 0 to 65535 (got "99999").\n');
  });
});
