import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';

const root = resolve(import.meta.dirname, '../..');

/** An example's entry point run as its own process with tsx, its output collected line by line. */
export interface ExampleProcess {
  child: ChildProcess;
  stdout: string[];
  stderr: () => string;
  /** Resolves with the first stdout line that matches, or rejects when the process exits first. */
  waitForLine(pattern: RegExp): Promise<RegExpExecArray>;
  /** Resolves with the exit code and signal. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/**
 * Starts `examples/<name>/src/main.ts` with the example's own tsconfig (which maps the package's entry points
 * to the repository's source), in `env`.
 */
export function startExample(name: string, env: Record<string, string>): ExampleProcess {
  const dir = resolve(root, 'examples', name);
  const child = spawn(process.execPath, ['--import', 'tsx', resolve(dir, 'src/main.ts')], {
    cwd: dir,
    env: { ...process.env, ...env, TSX_TSCONFIG_PATH: resolve(dir, 'tsconfig.json') },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const stdout: string[] = [];
  let stderr = '';
  let buffer = '';
  const waiters: Array<{ pattern: RegExp; done: (match: RegExpExecArray) => void; fail: (error: Error) => void }> = [];
  const offer = (line: string) => {
    for (const waiter of waiters.splice(0)) {
      const match = waiter.pattern.exec(line);
      if (match) waiter.done(match);
      else waiters.push(waiter);
    }
  };
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
    buffer += chunk;
    for (let index = buffer.indexOf('\n'); index >= 0; index = buffer.indexOf('\n')) {
      const line = buffer.slice(0, index);
      buffer = buffer.slice(index + 1);
      stdout.push(line);
      offer(line);
    }
  });
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((done) =>
    child.on('exit', (code, signal) => {
      for (const waiter of waiters.splice(0))
        waiter.fail(
          new Error(`examples/${name} exited (${code ?? signal}) before printing ${waiter.pattern}: ${stderr}`),
        );
      done({ code, signal });
    }),
  );
  return {
    child,
    stdout,
    stderr: () => stderr,
    exited,
    waitForLine: (pattern) =>
      new Promise((done, fail) => {
        for (const line of stdout) {
          const match = pattern.exec(line);
          if (match) return done(match);
        }
        if (child.exitCode !== null || child.signalCode !== null)
          return fail(new Error(`examples/${name} has exited: ${stderr}`));
        waiters.push({ pattern, done, fail });
      }),
  };
}
