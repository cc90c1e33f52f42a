/**
 * Drill processes as the runner sees them: started with tsx on scripts/chaos/child.ts, read line by line, killed
 * with SIGKILL or asked to stop, and told apart when they die on their own.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import { root } from './package.js';
import type { ChildJob, ChildMessage } from './protocol.js';

const childScript = resolve(import.meta.dirname, 'child.ts');

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** One running drill process. */
export interface DrillProcess {
  name: string;
  child: ChildProcess;
  /** True once it said `ready` (its service is open). */
  ready: boolean;
  exited: Promise<Exit>;
  /** Sends one line on its standard input. */
  send(line: string): void;
  /** Resolves with the first message that matches, or rejects when the process exits or `ms` pass first. */
  waitFor<T extends ChildMessage['t']>(type: T, ms: number): Promise<Extract<ChildMessage, { t: T }>>;
  /** The last 40 lines it wrote to standard error, indented under a problem's line. */
  stderr(): string;
}

/**
 * The processes of one drill. Every message goes to `onMessage`; an exit the fleet did not cause (a kill or a
 * `stop` answered with status 0) is recorded in `deaths`, with the process's last words.
 */
export class Fleet {
  readonly deaths: string[] = [];
  private readonly running = new Set<DrillProcess>();
  private readonly expected = new WeakSet<DrillProcess>();

  constructor(private readonly onMessage: (from: DrillProcess, message: ChildMessage) => void) {}

  start(name: string, job: ChildJob): DrillProcess {
    const child = spawn(process.execPath, ['--import', 'tsx', childScript, JSON.stringify(job)], {
      cwd: root,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stderr = '';
    let buffer = '';
    const waiters = new Set<{ type: string; done: (message: ChildMessage) => void; fail: (error: Error) => void }>();
    const handle: DrillProcess = {
      name,
      child,
      ready: false,
      exited: new Promise((done) => child.on('exit', (code, signal) => done({ code, signal }))),
      send: (line) => {
        if (child.stdin!.writable) child.stdin!.write(`${line}\n`);
      },
      waitFor: (type, ms) =>
        new Promise((done, fail) => {
          const waiter = { type, done: done as (message: ChildMessage) => void, fail };
          const timer = setTimeout(() => {
            waiters.delete(waiter);
            fail(new Error(`${name} did not report ${type} within ${ms} ms`));
          }, ms);
          waiter.done = (message) => {
            clearTimeout(timer);
            (done as (message: ChildMessage) => void)(message);
          };
          waiter.fail = (error) => {
            clearTimeout(timer);
            fail(error);
          };
          waiters.add(waiter);
        }),
      stderr: () => stderr.trim().split('\n').slice(-40).join('\n    '),
    };
    child.stdin!.on('error', () => {}); // a killed process's pipe: nothing more to say to it
    child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr = (stderr + chunk).slice(-20_000)));
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
      buffer += chunk;
      for (let index = buffer.indexOf('\n'); index >= 0; index = buffer.indexOf('\n')) {
        const line = buffer.slice(0, index);
        buffer = buffer.slice(index + 1);
        let message: ChildMessage;
        try {
          message = JSON.parse(line) as ChildMessage;
        } catch {
          stderr += `\n(stdout) ${line}`;
          continue;
        }
        if (message.t === 'ready') handle.ready = true;
        this.onMessage(handle, message);
        for (const waiter of [...waiters]) {
          if (waiter.type !== message.t) continue;
          waiters.delete(waiter);
          waiter.done(message);
        }
      }
    });
    this.running.add(handle);
    void handle.exited.then((exit) => {
      this.running.delete(handle);
      for (const waiter of waiters)
        waiter.fail(new Error(`${name} exited (${exit.code ?? exit.signal}): ${handle.stderr()}`));
      waiters.clear();
      if (!this.expected.has(handle) || (exit.signal === null && exit.code !== 0)) {
        this.deaths.push(
          `${name} (pid ${child.pid}) exited on its own with ${exit.signal ?? `status ${exit.code}`}: ${handle.stderr() || 'nothing on standard error'}`,
        );
      }
    });
    return handle;
  }

  /** Processes still running; with `ready`, only those whose service is open. */
  living(ready = false): DrillProcess[] {
    return [...this.running].filter((each) => !ready || each.ready);
  }

  /** SIGKILL, at once; resolves when it is gone. */
  async kill(target: DrillProcess): Promise<Exit> {
    this.expected.add(target);
    target.child.kill('SIGKILL');
    return target.exited;
  }

  /** Asks each process to stop and waits up to `ms` for it to exit with status 0; kills what is left (a death). */
  async stopAll(ms: number): Promise<void> {
    const targets = this.living();
    for (const target of targets) {
      this.expected.add(target);
      target.send('stop');
    }
    await Promise.all(
      targets.map(async (target) => {
        const timer = setTimeout(() => {
          this.deaths.push(`${target.name} (pid ${target.child.pid}) did not stop within ${ms} ms: killed`);
          target.child.kill('SIGKILL');
        }, ms);
        await target.exited;
        clearTimeout(timer);
      }),
    );
  }

  /** Kills every process still running (the runner was interrupted or a drill threw). */
  killAll(): void {
    for (const target of this.running) {
      this.expected.add(target);
      target.child.kill('SIGKILL');
    }
  }
}
