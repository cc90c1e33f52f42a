/**
 * Run by test/store/postgres-connection.test.ts as its own process, so that an unhandled 'error' event would show
 * as its exit: `node --import tsx postgres-handout.child.ts`. A fake PostgreSQL server on 127.0.0.1 completes each
 * connection and, in the same write, terminates it (`57P01`, as `pg_terminate_backend` does): the client reads both
 * at once, while the pool hands it out. The store is used twice; the process prints one JSON line and exits 0.
 */
import { createServer, type AddressInfo } from 'node:net';
import { PostgresStore } from '../../src/store/index.js';

/** One backend message: a type byte, then a length that counts itself, then the body. */
function message(type: string, body: Buffer): Buffer {
  const header = Buffer.alloc(5);
  header.write(type, 0, 'latin1');
  header.writeInt32BE(body.length + 4, 1);
  return Buffer.concat([header, body]);
}

const authenticationOk = message('R', Buffer.from([0, 0, 0, 0]));
const readyForQuery = message('Z', Buffer.from('I', 'latin1'));
const fatal = message(
  'E',
  Buffer.concat([
    Buffer.from('SFATAL\0', 'utf8'),
    Buffer.from('C57P01\0', 'utf8'),
    Buffer.from('Mterminating connection due to administrator command\0', 'utf8'),
    Buffer.from([0]),
  ]),
);

const server = createServer((socket) => {
  socket.on('error', () => {});
  // The first thing a client sends is its startup message; the answer ends the connection as it completes it.
  socket.once('data', () => socket.end(Buffer.concat([authenticationOk, readyForQuery, fatal])));
});
await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening));
const { port } = server.address() as AddressInfo;

const store = new PostgresStore({ connectionString: `postgres://fake@127.0.0.1:${port}/fake`, max: 1 });
const outcome = (promise: Promise<unknown>) =>
  promise.then(
    () => ({ resolved: true }),
    (error: { name: string; committed?: string; message: string }) => ({
      name: error.name,
      committed: error.committed,
      message: error.message,
    }),
  );
const read = await outcome(store.getOrder('a'));
const transaction = await outcome(store.transaction((tx) => tx.getOrder('a')));
await store.close();
server.close();
console.log(JSON.stringify({ read, transaction }));
