/**
 * A worker process for the process-level tests: opens a store, waits for "go" on stdin when asked, applies a
 * plan of events with idempotency keys, sweeps, and prints one JSON line. With `blockAt`, the Nth call of a
 * store write (`appendHistory` or `addOutbox`) blocks the whole process inside its write transaction, before the
 * write, and prints "blocked" first, so that the parent can SIGKILL it at a known point.
 */
import { writeSync } from 'node:fs';
import { createInterface } from 'node:readline';
import type { OrderEventInput } from '../../src/index.js';
import { createOrderService } from '../../src/service/index.js';
import { PostgresStore, SqliteStore } from '../../src/store/index.js';

export interface WorkerJob {
  store: { kind: 'sqlite'; filename: string } | { kind: 'postgres'; connectionString: string; schema: string };
  plan: Array<{ orderId: string; event: OrderEventInput; key: string }>;
  /** Sweeps after the plan, each until nothing is due. */
  sweeps: number[];
  batch: number;
  blockAt?: { write: 'appendHistory' | 'addOutbox'; call: number };
  barrier?: boolean;
}

const job = JSON.parse(process.argv[2]!) as WorkerJob;
const store =
  job.store.kind === 'sqlite'
    ? new SqliteStore({ filename: job.store.filename })
    : new PostgresStore({ connectionString: job.store.connectionString, schema: job.store.schema, max: 2 });
if (job.blockAt) {
  const { write, call } = job.blockAt;
  let calls = 0;
  const transaction = store.transaction.bind(store);
  store.transaction = (fn) =>
    transaction((tx) => {
      const blocking = (...args: unknown[]) => {
        if (++calls === call) {
          writeSync(1, 'blocked\n');
          Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0);
        }
        return (tx[write] as (...args: unknown[]) => Promise<void>)(...args);
      };
      return fn(new Proxy(tx, { get: (target, name) => (name === write ? blocking : Reflect.get(target, name)) }));
    });
}
let readings = 0;
const service = await createOrderService({ store, now: () => 1_800_000_000_000 + ++readings });

if (job.barrier) {
  writeSync(1, 'ready\n');
  const lines = createInterface({ input: process.stdin });
  for await (const line of lines) if (line === 'go') break;
  lines.close();
}

let applied = 0;
for (const { orderId, event, key } of job.plan) {
  await service.apply(orderId, event, { idempotencyKey: key });
  applied++;
}
let swept = 0;
for (const at of job.sweeps) swept += (await service.sweep(at, { batch: job.batch })).applied;
await service.close();
writeSync(1, `${JSON.stringify({ applied, swept })}\n`);
process.stdin.destroy();
