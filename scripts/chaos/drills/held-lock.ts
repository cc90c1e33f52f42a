/**
 * A held SQLite lock: the runner (another process) holds the file's write lock (BEGIN IMMEDIATE) for 10 s (2 s with
 * --short) while a service process sends one event to each of 8 orders and reads every 20 ms. Twice: with a
 * `lockTimeoutMs` shorter than the hold, every event must end in StoreBusyError (the package's own error, not
 * SQLite's SQLITE_BUSY) after about that time, and succeed when sent again after the release; with the default
 * (30 s), every event must complete once the lock is released. Figures, not conditions: the largest delay of a
 * 10 ms timer in the service process (the event loop keeps ticking while it waits), and the reads served
 * during the hold.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import Database from 'better-sqlite3';
import { count, trace, until, judgeStore, outcome, writeFigures, replayFigures, sqliteDrill } from '../drill.js';
import { openStore } from '../package.js';
import { Fleet } from '../processes.js';
import type { ChildMessage } from '../protocol.js';
import { orderWrites } from '../workload.js';

const ms = (value: number) => `${count(value)} ms`;

export const heldLock = sqliteDrill('held-lock', 'sqlite held lock', async (context, { spec, ledger }) => {
  const { pkg, short } = context;
  const orderIds: string[] = [];
  const service = await pkg.service.createOrderService({ store: openStore(pkg, spec) });
  for (let n = 0; n < 8; n++) {
    const place = orderWrites('l', 0, n)[0]!;
    if (place.kind !== 'place') throw new Error('the first write of an order is its place');
    await service.place(place.input);
    ledger.record('runner', { t: 'ack', id: place.id, order: place.orderId, kind: 'place', at: Date.now() });
    orderIds.push(place.orderId);
  }
  await service.close();

  const holdMs = short ? 2_000 : 10_000;
  const problems: string[] = [];
  const parts: string[] = [];
  let largestDelay = 0;
  for (const [index, lockTimeoutMs] of [short ? 500 : 2_000, undefined].entries()) {
    const name = `lock${index + 1}`;
    const writes: Array<Extract<ChildMessage, { t: 'write' }>> = [];
    let figures: Extract<ChildMessage, { t: 'lock-figures' }> | undefined;
    const fleet = context.track(
      new Fleet((from, message) => {
        ledger.record(from.name, message);
        if (message.t === 'write') writes.push(message);
        if (message.t === 'lock-figures') figures = message;
      }),
    );
    const probe = fleet.start(name, {
      kind: 'lock',
      name,
      store: { ...spec, ...(lockTimeoutMs === undefined ? {} : { lockTimeoutMs }) },
      orderIds,
    });
    await probe.waitFor('ready', 60_000);
    const holder = new Database(spec.filename);
    holder.exec('BEGIN IMMEDIATE');
    const heldAt = performance.now();
    trace(`${name}: lock held`);
    probe.send('go');
    const settled = probe.waitFor('settled', holdMs + 60_000);
    settled.catch(() => {}); // awaited below; a process that dies meanwhile is reported there
    await sleep(holdMs);
    // Instants on the clock the drill process reports with (ms since the epoch, with a fraction); the checks
    // below allow 2 ms between two processes' readings of it.
    const releasedAt = performance.timeOrigin + performance.now();
    holder.exec('ROLLBACK');
    holder.close();
    const held = performance.now() - heldAt;
    probe.send('released');
    await settled;
    // The refused events, sent again after the release.
    const resent = await until(() => orderIds.every((orderId) => ledger.applies.has(`${name}-${orderId}`)), 30_000);
    if (!resent) problems.push(`${name}: not every event was written after the lock was released`);
    await fleet.stopAll(30_000);
    problems.push(...fleet.deaths, ...ledger.unexpected.splice(0));
    if (!figures) {
      problems.push(`${name} did not report its figures`);
      continue;
    }
    largestDelay = Math.max(largestDelay, figures.maxTimerDelayMs);
    const busy = writes.filter((w) => !w.ok && w.name === 'StoreBusyError');
    const other = writes.filter((w) => !w.ok && w.name !== 'StoreBusyError');
    const done = writes.filter((w) => w.ok);
    for (const w of other)
      problems.push(`lockTimeoutMs ${lockTimeoutMs ?? 'default'}: ${w.id} failed with ${w.name}: ${w.message}`);
    if (lockTimeoutMs !== undefined) {
      for (const w of done)
        if (w.at < releasedAt - 2)
          problems.push(`lockTimeoutMs ${lockTimeoutMs}: ${w.id} was written while another process held the lock`);
      for (const w of busy)
        if (w.ms < lockTimeoutMs * 0.9 || w.ms > holdMs)
          problems.push(`lockTimeoutMs ${lockTimeoutMs}: ${w.id} gave up after ${ms(w.ms)}`);
      const slowest = Math.max(0, ...busy.map((w) => w.ms));
      parts.push(
        `lockTimeoutMs ${ms(lockTimeoutMs)}: ${busy.length} of ${writes.length} events StoreBusyError after at most ${ms(slowest)}, all written when sent again after the release`,
      );
    } else {
      for (const w of [...busy, ...other])
        problems.push(`default lockTimeoutMs: ${w.id} failed although the lock was released after ${ms(held)}`);
      const fastest = Math.min(...done.map((w) => w.ms));
      for (const w of done)
        if (w.at < releasedAt - 2)
          problems.push(
            `default lockTimeoutMs: ${w.id} was written ${ms(releasedAt - w.at)} before the lock was released`,
          );
      parts.push(
        `default lockTimeoutMs: ${done.length} of ${writes.length} events completed ${ms(fastest)} or more after they were sent`,
      );
    }
    parts.push(`${count(figures.reads)} reads meanwhile, the slowest ${ms(figures.readMaxMs)}`);
    for (const error of figures.readErrors) problems.push(`a read during the hold failed: ${error}`);
  }
  const verdict = await judgeStore(pkg, spec, ledger);
  return outcome(
    `lock held ${ms(holdMs)}; ${parts.join('; ')}; largest timer delay ${ms(largestDelay)}; ${writeFigures(verdict)}; ${replayFigures(verdict)}`,
    [...problems, ...verdict.problems],
  );
});
