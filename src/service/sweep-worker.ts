/**
 * The sweep's worker thread: steps the due rows it is sent by their `clock.tick` (the package's own machine,
 * no `migrate`) and sends back what to write. It reads and writes no database; the sweeping transaction does.
 */
import { parentPort } from 'node:worker_threads';
import type { OrderRow } from '../store/index.js';
import { restoreDefault, tickDue, type DueTick } from './step-rows.js';

parentPort!.on('message', ({ id, rows }: { id: number; rows: OrderRow[] }) => {
  const ticks: DueTick[] = rows.map((row) => {
    const tick = tickDue(row, restoreDefault);
    // Snapshots stay here: the writer needs the texts only.
    return 'prepared' in tick ? { orderId: tick.orderId, prepared: tick.prepared } : tick;
  });
  parentPort!.postMessage({ id, ticks });
});
