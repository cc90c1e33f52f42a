/**
 * A full disk: the SQLite file lives on a 2 MiB tmpfs that also holds 384 KiB of ballast, and a writer process
 * (four orders at a time) writes until the disk is full. Every refused request must be the package's `StoreFullError` (the disk is
 * full), the process must stay alive and keep serving reads, and nothing half-written may be left: the history
 * replays to every stored order and SQLite's integrity check passes. Then the runner deletes the ballast and the
 * same process must write again (the refused requests, sent again, are stored once). Mounting needs root where
 * the machine allows mounts; elsewhere the drill is skipped with the reason.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import {
  count,
  createTables,
  trace,
  judgeStore,
  outcome,
  plural,
  replayFigures,
  until,
  writeFigures,
  type Drill,
} from '../drill.js';
import type { StoreSpec } from '../package.js';
import { Fleet } from '../processes.js';
import type { ChildMessage } from '../protocol.js';
import { Ledger } from '../verdict.js';

const BALLAST = 384 * 1024;
/** A refusal is clear when it is the package's own `StoreFullError`, which names the file and says nothing was stored. */
const clear = (error: { name: string }) => error.name === 'StoreFullError';

export const fullDisk: Drill = {
  name: 'full-disk',
  label: 'full disk',
  usesPostgres: false,
  async run(context) {
    const { pkg, seed } = context;
    const dir = join(context.workDir, 'tmpfs');
    mkdirSync(dir);
    const mount = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=2m', 'tmpfs', dir], { encoding: 'utf8' });
    if (mount.error || mount.status !== 0) {
      const why = (mount.error?.message ?? mount.stderr ?? '').trim().split('\n')[0] || `status ${mount.status}`;
      return {
        status: 'skipped',
        figures: `cannot mount a 2 MiB tmpfs here (${why}${process.getuid?.() === 0 ? '' : '; it needs root'})`,
        problems: [],
      };
    }
    context.onCleanup(() => spawnSync('umount', [dir]));
    const ballast = join(dir, 'ballast');
    writeFileSync(ballast, Buffer.alloc(BALLAST, 1));
    const filename = join(dir, 'orders.db');
    const spec: StoreSpec = { kind: 'sqlite', filename };
    await createTables(pkg, spec);

    const ledger = new Ledger();
    const errors: Array<Extract<ChildMessage, { t: 'error' }>> = [];
    let read: Extract<ChildMessage, { t: 'read-while-full' }> | undefined;
    let fulls = 0;
    const fleet = context.track(
      new Fleet((from, message) => {
        ledger.record(from.name, message);
        if (message.t === 'error') errors.push(message);
        if (message.t === 'read-while-full') read ??= message;
        if (message.t === 'full') fulls++;
      }),
    );
    const writer = fleet.start('f1', {
      kind: 'worker',
      name: 'f1',
      seed,
      store: spec,
      write: ledger.resume('f1', { writerIndex: 0, concurrency: 4, clientRetries: 3, pauseOnFull: true }),
    });
    const problems: string[] = [];
    const filled = await until(
      () => fulls > 0 || writer.child.exitCode !== null,
      Math.max(30_000, context.deadline - Date.now()),
    );
    const atFull = ledger.acknowledged;
    trace(`full after ${atFull} acknowledged`);
    const refusedAtFull = errors.length;
    let after = 0;
    if (!filled || fulls === 0) {
      problems.push(`the disk did not fill: ${count(atFull)} writes acknowledged`);
    } else {
      rmSync(ballast);
      writer.send('freed');
      await until(() => ledger.acknowledged >= atFull + 40 || fulls > 1 || writer.child.exitCode !== null, 20_000);
      after = ledger.acknowledged - atFull;
      if (after === 0) problems.push(`nothing was written after ${count(BALLAST / 1024)} KiB were freed`);
    }
    await fleet.stopAll(30_000);
    problems.push(...fleet.deaths);
    const unclear = errors.filter((error) => !clear(error));
    for (const error of unclear.slice(0, 5))
      problems.push(
        `a request failed without saying the disk is full: ${error.name}${error.code ? ` (${error.code})` : ''}: ${error.message}`,
      );
    if (read && !read.ok) problems.push(`a read while the disk was full failed: ${read.message}`);
    const check = new Database(filename, { readonly: true });
    const integrity = (check.pragma('integrity_check') as Array<{ integrity_check: string }>)
      .map((row) => row.integrity_check)
      .join('; ');
    check.close();
    if (integrity !== 'ok') problems.push(`SQLite's integrity check: ${integrity}`);
    const verdict = await judgeStore(pkg, spec, ledger);
    const said = [
      ...new Set(
        errors.filter(clear).map((error) => `${error.name}${error.code ? ` ${error.code}` : ''}: "${error.message}"`),
      ),
    ]
      .slice(0, 2)
      .join(', ');
    return outcome(
      `2 MiB tmpfs full after ${count(atFull)} acknowledged writes: ${plural(refusedAtFull, 'request')} refused (${said || 'no error'}), ` +
        `${read?.ok ? 'reads served' : 'reads failed'}, process alive: ${fleet.deaths.length === 0 ? 'yes' : 'no'}; ${count(BALLAST / 1024)} KiB freed: ${count(after)} more acknowledged; ` +
        `${writeFigures(verdict)}; ${replayFigures(verdict)}; integrity ${integrity}`,
      [...problems, ...verdict.problems],
    );
  },
};
