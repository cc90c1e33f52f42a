import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { OrderRow } from '../store/index.js';
import type { DueTick } from './step-rows.js';

/** tsx's ESM API entry, as its package's exports map names it. */
function tsxEsmApi(): string {
  const require = createRequire(import.meta.url);
  const manifest = require.resolve('tsx/package.json');
  const entry = (
    JSON.parse(readFileSync(manifest, 'utf8')) as { exports: Record<string, { import: string | { default: string } }> }
  ).exports['./esm/api']!.import;
  return pathToFileURL(join(dirname(manifest), typeof entry === 'string' ? entry : entry.default)).href;
}

/**
 * The worker's file next to this one: `.js` in the package, `.ts` when the sources run under tsx or vitest. It
 * gets none of the process's Node options: it needs none, and some (`--input-type`, `--eval`) would stop it.
 */
function startWorker(): Worker {
  const source = import.meta.url.endsWith('.ts');
  const url = new URL(`./sweep-worker.${source ? 'ts' : 'js'}`, import.meta.url);
  if (!source) return new Worker(url, { execArgv: [] });
  // Running from the sources: the worker registers tsx itself, then loads the TypeScript file.
  return new Worker(
    `import(${JSON.stringify(tsxEsmApi())}).then((tsx) => { tsx.register(); return import(${JSON.stringify(url.href)}); });`,
    { eval: true, execArgv: [] },
  );
}

/** How long a request may take before the thread counts as failed: generous, since the sweep holds its transaction. */
const patienceMs = (rows: number) => 10_000 + 2 * rows;

/**
 * One worker thread that steps due rows for the sweep while the sweeping thread steps others. Started on first
 * use; it holds the process open only while it has work. A thread that fails, or does not answer in time, is
 * stopped for good and its requests reject; the sweep then steps those rows on its own thread.
 */
export class SweepWorker {
  private current?: { worker: Worker; pending: Map<number, (outcome: DueTick[] | Error) => void> };
  private broken = false;
  private nextId = 0;

  /** False once the thread has failed or was closed: the sweep stops sending it work. */
  get usable(): boolean {
    return !this.broken;
  }

  run(rows: readonly OrderRow[]): Promise<DueTick[]> {
    let current: NonNullable<SweepWorker['current']>;
    try {
      current = this.start();
    } catch (error) {
      this.broken = true;
      return Promise.reject(error as Error);
    }
    const id = this.nextId++;
    return new Promise<DueTick[]>((resolve, reject) => {
      const timer = setTimeout(
        () =>
          this.fail(
            current,
            new Error(`The sweep's worker thread did not answer within ${patienceMs(rows.length)} ms.`),
          ),
        patienceMs(rows.length),
      );
      current.pending.set(id, (outcome) => {
        clearTimeout(timer);
        if (outcome instanceof Error) reject(outcome);
        else resolve(outcome);
      });
      current.worker.ref();
      current.worker.postMessage({ id, rows });
    });
  }

  async close(): Promise<void> {
    this.broken = true;
    const current = this.current;
    this.current = undefined;
    if (current) await current.worker.terminate();
  }

  private start(): NonNullable<SweepWorker['current']> {
    if (this.broken) throw new Error("The sweep's worker thread has failed or was closed.");
    if (this.current) return this.current;
    const worker = startWorker();
    const current = { worker, pending: new Map<number, (outcome: DueTick[] | Error) => void>() };
    worker.unref();
    worker.on('message', ({ id, ticks }: { id: number; ticks: DueTick[] }) => {
      const settle = current.pending.get(id);
      current.pending.delete(id);
      if (current.pending.size === 0) worker.unref();
      settle?.(ticks);
    });
    worker.on('error', (error) => this.fail(current, error));
    worker.on('messageerror', (error) => this.fail(current, error));
    worker.on('exit', (code) => this.fail(current, new Error(`The sweep's worker thread exited with code ${code}.`)));
    return (this.current = current);
  }

  /** Stops this thread for good and rejects what it still owes. */
  private fail(current: NonNullable<SweepWorker['current']>, error: Error): void {
    this.broken = true;
    if (this.current === current) this.current = undefined;
    for (const settle of current.pending.values()) settle(error);
    current.pending.clear();
    void current.worker.terminate();
  }
}
