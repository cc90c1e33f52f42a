/**
 * One drill process: writes, sweeps and drains through the built package's service (worker job), or sends
 * writes and reads while the runner holds the SQLite write lock (lock job). It reports every answered request
 * and every delivery as a line on standard output before going on (see protocol.ts), and runs until the runner
 * says `stop` (then it finishes what it started, closes the service and exits 0) or kills it.
 *
 *   node --import tsx scripts/chaos/child.ts '<job JSON>'
 */
import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';
import { loadBuiltPackage, openStore } from './package.js';
import {
  transientErrors,
  type ChildJob,
  type ChildMessage,
  type DrainerPlan,
  type LockJob,
  type SweeperPlan,
  type WorkerJob,
  type WriterPlan,
} from './protocol.js';
import { reportOutboxCalls } from './verdict.js';
import { BASE, MINUTE, orderIdOf, orderWrites, Random, seedFor, sweepInstant, type WriteRequest } from './workload.js';

const job = JSON.parse(process.argv[2]!) as ChildJob;
const pkg = await loadBuiltPackage();
const say = (message: ChildMessage) => process.stdout.write(`${JSON.stringify(message)}\n`);
/** Milliseconds since the epoch with a fraction, comparable between processes of one machine. */
const now = () => performance.timeOrigin + performance.now();

// Lines from the runner. Without a runner (standard input closed) there is nobody to report to: stop at once.
let stopping = false;
const waiting = new Map<string, Array<() => void>>();
const unheard = new Map<string, number>();
/** Resolves when the runner sends `line` (one not yet waited for counts), or `stop`. */
function heard(line: string): Promise<void> {
  if (stopping) return Promise.resolve();
  const count = unheard.get(line) ?? 0;
  if (count > 0) {
    unheard.set(line, count - 1);
    return Promise.resolve();
  }
  return new Promise((done) => waiting.set(line, [...(waiting.get(line) ?? []), done]));
}
const lines = createInterface({ input: process.stdin });
lines.on('line', (line) => {
  if (line === 'stop' && !stopping) {
    stopping = true;
    // A process that cannot stop says what it is still waiting for, for the runner's report.
    setTimeout(() => {
      const now = Date.now();
      const waits = [...inFlight].map(([label, since]) => `${label} (${now - since} ms)`);
      process.stderr.write(`still waiting 10 s after stop for: ${waits.join(', ') || 'nothing the drill started'}\n`);
    }, 10_000).unref();
  }
  const names = line === 'stop' ? [...waiting.keys()] : [line];
  if (!waiting.has(line) && line !== 'stop') unheard.set(line, (unheard.get(line) ?? 0) + 1);
  for (const name of names) {
    for (const done of waiting.get(name) ?? []) done();
    waiting.delete(name);
  }
});
lines.on('close', () => {
  if (!stopping) process.exit(3);
});

/** Calls into the service still running, with when each began: what a process that cannot stop reports. */
const inFlight = new Map<string, number>();
async function tracked<T>(label: string, call: () => Promise<T>): Promise<T> {
  inFlight.set(label, Date.now());
  try {
    return await call();
  } finally {
    inFlight.delete(label);
  }
}

function describeError(error: unknown): { name: string; message: string; code?: string } {
  const e = error as { name?: unknown; message?: unknown; code?: unknown };
  const described = {
    name: typeof e?.name === 'string' ? e.name : typeof error,
    message: typeof e?.message === 'string' ? e.message : String(error),
  };
  return typeof e?.code === 'string' ? { ...described, code: e.code } : described;
}

const isFull = (error: { name: string; message: string; code?: string }) =>
  error.name === 'StoreFullError' ||
  error.code === 'SQLITE_FULL' ||
  /disk is full|ENOSPC|no space/i.test(error.message);

const store = openStore(pkg, job.store);
if (job.kind === 'worker' && job.drain) reportOutboxCalls(store, say);
const service = await pkg.service.createOrderService({ store });
say({ t: 'ready', pid: process.pid });

if (job.kind === 'worker') {
  const random = new Random(seedFor(job.seed, job.name));
  await Promise.all([
    job.write && writer(job, job.write, random),
    job.sweep && sweeper(job.sweep),
    job.drain && drainer(job.drain, random),
  ]);
} else {
  await lockProbe(job);
}
await tracked('close', () => service.close());
say({ t: 'bye' });
lines.close();
process.stdin.destroy();

async function writer(worker: WorkerJob, plan: WriterPlan, random: Random): Promise<void> {
  const done = new Set(plan.doneOrders);
  const acked = new Set(plan.acked);
  const end = plan.orders === undefined ? Infinity : plan.from + plan.orders;
  let next = plan.from;
  // Full disk: requests refused for want of space wait here until the runner frees some.
  let full: { failures: number; freed: Promise<void> } | null = null;

  async function send(request: WriteRequest): Promise<boolean> {
    const options = request.key === undefined ? {} : { idempotencyKey: request.key };
    for (let attempt = 1; ; attempt++) {
      try {
        const result = await tracked(`${request.kind} ${request.id}`, () =>
          request.kind === 'place'
            ? service.place(request.input, options)
            : service.apply(request.orderId, request.event, options),
        );
        say({
          t: 'ack',
          id: request.id,
          order: request.orderId,
          kind: request.kind,
          at: Date.now(),
          ...(result.verdict.duplicate ? { duplicate: true as const } : {}),
        });
        return true;
      } catch (error) {
        const described = describeError(error);
        const transient = transientErrors.has(described.name);
        say({ t: 'error', op: request.kind, id: request.id, ...described, transient });
        if (plan.pauseOnFull && isFull(described) && !stopping) {
          await waitForSpace();
          continue;
        }
        if (!transient || attempt > plan.clientRetries || stopping) {
          say({ t: 'gave-up', id: request.id });
          return false;
        }
        await sleep(20 + attempt * 20);
      }
    }
  }

  async function waitForSpace(): Promise<void> {
    if (!full) {
      const current = { failures: 0, freed: heard('freed') };
      full = current;
      // Let the other requests in flight meet the full disk too, then say so once, after a read.
      setTimeout(async () => {
        let read: ChildMessage = { t: 'read-while-full', ok: true };
        try {
          await service.get(orderIdOf(worker.name, plan.from));
        } catch (error) {
          read = { t: 'read-while-full', ok: false, message: describeError(error).message };
        }
        say(read);
        say({ t: 'full', failures: current.failures });
      }, 300);
      void current.freed.then(() => {
        if (full === current) full = null;
      });
    }
    full.failures++;
    await full.freed;
  }

  async function lane(): Promise<void> {
    while (!stopping && next < end) {
      const n = next++;
      if (done.has(n)) continue;
      let finished = true;
      for (const request of orderWrites(worker.name, plan.writerIndex, n)) {
        if (acked.has(request.id)) continue;
        if (stopping || !(await send(request))) {
          finished = !stopping;
          break;
        }
        if (plan.paceMs) await sleep(random.int(0, 2 * plan.paceMs));
      }
      if (finished) say({ t: 'order-done', n });
    }
  }
  await Promise.all(Array.from({ length: plan.concurrency }, lane));
}

async function sweeper(plan: SweeperPlan): Promise<void> {
  for (let k = plan.from; !stopping;) {
    const instant = sweepInstant(k);
    const startedAt = Date.now();
    try {
      const result = await tracked(`sweep ${k}`, () => service.sweep(instant, { batch: plan.batch }));
      say({
        t: 'swept',
        k,
        instant,
        startedAt,
        applied: result.applied,
        remaining: result.remaining,
        failed: result.failed,
      });
      k++;
    } catch (error) {
      const described = describeError(error);
      say({ t: 'error', op: 'sweep', ...described, transient: transientErrors.has(described.name) });
    }
    await sleep(plan.pauseMs);
  }
}

async function drainer(plan: DrainerPlan, random: Random): Promise<void> {
  const handler = async (item: { id: number; orderId: string }) => {
    // Asked to stop: hand nothing more out; the row goes back for a later drain (one failed attempt).
    if (stopping) throw new Error('chaos: the drainer is stopping');
    say({ t: 'deliver', id: item.id, order: item.orderId, at: now() });
    await sleep(random.chance(plan.slowPerMille) ? random.int(...plan.slowMs) : random.int(0, 3));
    if (random.chance(plan.failPerMille)) {
      say({ t: 'deliver-fail', id: item.id });
      throw new Error('chaos: delivery failed on purpose');
    }
    say({ t: 'delivered', id: item.id, at: now() });
  };
  while (!stopping) {
    try {
      const result = await tracked('drain', () =>
        service.outbox.drain(handler, {
          batch: plan.batch,
          leaseMs: plan.leaseMs,
          backoffMs: plan.backoffMs,
          maxAttempts: 1_000,
        }),
      );
      if (result.delivered + result.failed === 0) await sleep(plan.pauseMs);
    } catch (error) {
      const described = describeError(error);
      say({ t: 'error', op: 'drain', ...described, transient: transientErrors.has(described.name) });
      await sleep(plan.pauseMs);
    }
  }
}

/**
 * Held lock drill: once the runner holds the write lock (`go`), one event per order at once, and a read every
 * 20 ms, while a 10 ms timer measures how late the event loop runs it. After `released`, the refused events are
 * sent again; after `stop`, the figures.
 */
async function lockProbe(lockJob: LockJob): Promise<void> {
  await heard('go');
  let maxTimerDelayMs = 0;
  let expected = performance.now() + 10;
  const timer = setInterval(() => {
    const at = performance.now();
    maxTimerDelayMs = Math.max(maxTimerDelayMs, at - expected);
    expected = at + 10;
  }, 10);
  const reads = { count: 0, maxMs: 0, errors: [] as string[] };
  let reading = true;
  const reader = (async () => {
    for (let i = 0; reading; i++) {
      const started = performance.now();
      try {
        await service.get(lockJob.orderIds[i % lockJob.orderIds.length]!);
        reads.count++;
        reads.maxMs = Math.max(reads.maxMs, performance.now() - started);
      } catch (error) {
        const { name, message } = describeError(error);
        reads.errors.push(`${name}: ${message}`);
      }
      await sleep(20);
    }
  })();
  const event = (orderId: string) => ({
    type: 'buyer.requestCancellation' as const,
    at: BASE + 45 * MINUTE,
    source: 'message' as const,
    eventId: `${lockJob.name}-${orderId}`,
  });
  const refused: string[] = [];
  await Promise.all(
    lockJob.orderIds.map(async (orderId) => {
      const started = performance.now();
      try {
        await service.apply(orderId, event(orderId));
        say({ t: 'write', id: event(orderId).eventId, ok: true, ms: performance.now() - started, at: now() });
        say({ t: 'ack', id: event(orderId).eventId, order: orderId, kind: 'apply', at: Date.now() });
      } catch (error) {
        refused.push(orderId);
        say({
          t: 'write',
          id: event(orderId).eventId,
          ok: false,
          ...describeError(error),
          ms: performance.now() - started,
          at: now(),
        });
      }
    }),
  );
  say({ t: 'settled' });
  await heard('released');
  for (const orderId of refused) {
    try {
      await service.apply(orderId, event(orderId));
      say({ t: 'ack', id: event(orderId).eventId, order: orderId, kind: 'apply', at: Date.now() });
    } catch (error) {
      say({ t: 'error', op: 'apply', id: event(orderId).eventId, ...describeError(error), transient: false });
    }
  }
  await heard('stop');
  reading = false;
  await reader;
  clearInterval(timer);
  say({
    t: 'lock-figures',
    maxTimerDelayMs,
    reads: reads.count,
    readMaxMs: reads.maxMs,
    readErrors: reads.errors.slice(0, 5),
  });
}
