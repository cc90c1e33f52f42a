import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { OrderRow } from '../store/index.js';
import type { DueTick } from './step-rows.js';

/** The worker's file next to this one: `.js` in the package, `.ts` when the sources run under tsx or vitest. */
function startWorker(): Worker {
  const source = import.meta.url.endsWith('.ts');
  const url = new URL(`./sweep-worker.${source ? 'ts' : 'js'}`, import.meta.url);
  if (!source) return new Worker(url);
  // A worker does not inherit tsx's loader: it registers tsx itself, then loads the TypeScript file.
  const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx/esm/api')).href.replace(/\.cjs$/, '.mjs');
  return new Worker(`import(${JSON.stringify(tsx)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(url.href)}); });`, { eval: true });
}

/**
 * One worker thread that steps due rows for the sweep while the sweeping thread steps others. Started on first
 * use; it holds the process open only while it has work. Any failure of the thread itself rejects, and the
 * sweep then steps the rows on its own thread.
 */
export class SweepWorker {
  private worker?: Worker;
  private broken = false;
  private nextId = 0;
  private readonly pending = new Map<number, { resolve: (ticks: DueTick[]) => void; reject: (error: Error) => void }>();

  /** False once the thread has failed: the sweep stops sending it work. */
  get usable(): boolean {
    return !this.broken;
  }

  run(rows: readonly OrderRow[]): Promise<DueTick[]> {
    let worker: Worker;
    try {
      worker = this.start();
    } catch (error) {
      this.broken = true;
      return Promise.reject(error as Error);
    }
    const id = this.nextId++;
    return new Promise<DueTick[]>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      worker.ref();
      worker.postMessage({ id, rows });
    });
  }

  async close(): Promise<void> {
    const worker = this.worker;
    this.worker = undefined;
    if (worker) await worker.terminate();
  }

  private start(): Worker {
    if (this.worker) return this.worker;
    const worker = startWorker();
    worker.unref();
    worker.on('message', ({ id, ticks }: { id: number; ticks: DueTick[] }) => {
      const waiting = this.pending.get(id);
      this.pending.delete(id);
      if (this.pending.size === 0) worker.unref();
      waiting?.resolve(ticks);
    });
    const fail = (error: Error) => {
      this.broken = true;
      if (this.worker === worker) this.worker = undefined;
      for (const waiting of this.pending.values()) waiting.reject(error);
      this.pending.clear();
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`The sweep's worker thread exited with code ${code}.`)));
    return (this.worker = worker);
  }
}
