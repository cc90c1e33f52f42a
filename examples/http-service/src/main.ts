/**
 * The order service over HTTP on the embedded SQLite store.
 *
 *   ORDERS_DB=orders.db PORT=8080 npx tsx examples/http-service/src/main.ts
 *
 * Prints `listening on http://127.0.0.1:PORT` once it accepts requests (PORT=0 picks a free port), and on
 * SIGTERM or SIGINT stops accepting, finishes the requests in flight, closes the database and exits 0.
 */
import { createServer } from 'node:http';
import { once } from 'node:events';
import { upgradeOrderSnapshot } from 'order-lifecycle';
import { createOrderService } from 'order-lifecycle/service';
import { SqliteStore } from 'order-lifecycle/store';
import { createOrderHandler } from './handler.js';

const filename = process.env['ORDERS_DB'] ?? 'orders.db';
const host = process.env['HOST'] ?? '127.0.0.1';
const port = Number(process.env['PORT'] ?? 8080);
if (!Number.isInteger(port) || port < 0 || port > 65_535) {
  console.error(`PORT must be a port number from 0 to 65535 (got ${JSON.stringify(process.env['PORT'])}).`);
  process.exit(2);
}

const service = await createOrderService({ store: new SqliteStore({ filename }), migrate: upgradeOrderSnapshot });
const server = createServer(createOrderHandler(service));
server.listen(port, host);
await once(server, 'listening');
const address = server.address();
if (address === null || typeof address === 'string')
  throw new Error(`Unexpected server address ${JSON.stringify(address)}.`);
console.log(`listening on http://${host}:${address.port}`);

async function shutdown(signal: string): Promise<void> {
  console.error(`${signal}: closing`);
  // close() waits for requests in flight; idle keep-alive connections are closed so that it returns.
  const closed = new Promise<void>((done, fail) => server.close((error) => (error ? fail(error) : done())));
  server.closeIdleConnections();
  await closed;
  await service.close();
  console.error('closed');
}
for (const signal of ['SIGTERM', 'SIGINT'] as const) process.once(signal, () => void shutdown(signal));
