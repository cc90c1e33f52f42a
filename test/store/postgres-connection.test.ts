import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DATABASE_URL, dropSchema, skipPostgres, testSchemaName } from '../support/postgres.js';

const root = resolve(import.meta.dirname, '../..');
const child = resolve(import.meta.dirname, 'postgres-connection.child.ts');

interface ChildRun {
  code: number | null;
  stderr: string;
  report?: {
    result: { resolved?: unknown; rejected?: { name: string; committed?: string; message: string } };
    stored: string[];
  };
}

let running: ChildProcess | undefined;

/** Runs one scenario of postgres-connection.child.ts in a process of its own. */
function runScenario(scenario: string, schema: string): Promise<ChildRun> {
  const process_ = (running = spawn(process.execPath, ['--import', 'tsx', child, scenario, DATABASE_URL, schema], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
  }));
  let stdout = '';
  let stderr = '';
  process_.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  process_.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  return new Promise((done) =>
    process_.on('exit', (code) => {
      const line = stdout.trim().split('\n').at(-1);
      done({ code, stderr, ...(line ? { report: JSON.parse(line) as ChildRun['report'] } : {}) });
    }),
  );
}

describe.skipIf(skipPostgres)('PostgresStore when the server drops a connection', () => {
  let schema: string | undefined;
  afterEach(async () => {
    // A scenario that failed may have left its process waiting, holding locks on the schema.
    if (running && running.exitCode === null && running.signalCode === null) running.kill('SIGKILL');
    if (schema) await dropSchema(schema);
    schema = undefined;
  });

  const run = async (scenario: string) => {
    schema = testSchemaName('conn');
    const result = await runScenario(scenario, schema);
    // The process lived on: no "Unhandled 'error' event", and it reached its end.
    expect(result.stderr).not.toMatch(/Unhandled 'error' event|ERR_UNHANDLED_ERROR/);
    expect(result.code, result.stderr).toBe(0);
    return result.report!;
  };

  it('should fail only the transaction whose backend was terminated while idle in it, with committed "no", and serve the next', async () => {
    const report = await run('idle in transaction');
    expect(report.result.rejected).toMatchObject({ name: 'StoreConnectionError', committed: 'no' });
    expect(report.result.rejected!.message).toMatch(
      /^The PostgreSQL connection was lost before COMMIT was sent \(".+"\): the transaction was rolled back\.$/,
    );
    expect(report.stored).toEqual(['next']);
  });

  it('should fail a transaction whose backend was terminated during a statement with committed "no", and serve the next', async () => {
    const report = await run('active statement');
    expect(report.result.rejected).toMatchObject({ name: 'StoreConnectionError', committed: 'no' });
    expect(report.result.rejected!.message).toContain('terminating connection due to administrator command');
    expect(report.stored).toEqual(['a', 'next']);
  });

  it('should fail a transaction whose backend was terminated during COMMIT with committed "unknown", and serve the next', async () => {
    const report = await run('commit');
    expect(report.result.rejected).toMatchObject({ name: 'StoreConnectionError', committed: 'unknown' });
    expect(report.result.rejected!.message).toMatch(
      /^The PostgreSQL connection was lost while a commit was in flight \(".+"\): it may or may not have been stored\.$/,
    );
    // The server ended the backend inside the deferred trigger, before the commit record: this one did not commit.
    expect(report.stored).toEqual(['next']);
  });

  it('should fail a read whose backend was terminated with StoreConnectionError, and serve the next', async () => {
    const report = await run('read');
    expect(report.result.rejected).toMatchObject({ name: 'StoreConnectionError', committed: 'no' });
    expect(report.stored).toEqual(['next']);
  });

  it('should drop a pooled idle connection the server terminated and go on with a new one', async () => {
    const report = await run('idle in pool');
    expect(report.result).toEqual({ resolved: null });
    expect(report.stored).toEqual(['next']);
  });
});

describe('PostgresStore when a server ends a connection as it hands it out', () => {
  it('should fail that read or transaction with StoreConnectionError and live on, not die of an unhandled error event', async () => {
    const run = spawn(
      process.execPath,
      ['--import', 'tsx', resolve(import.meta.dirname, 'postgres-handout.child.ts')],
      { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stdout = '';
    let stderr = '';
    run.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    run.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const code = await new Promise<number | null>((done) => run.on('exit', done));
    expect(stderr).not.toMatch(/Unhandled 'error' event|ERR_UNHANDLED_ERROR/);
    expect(code, stderr).toBe(0);
    const report = JSON.parse(stdout.trim().split('\n').at(-1)!) as Record<
      string,
      { name: string; committed: string; message: string }
    >;
    expect(report['read']).toMatchObject({ name: 'StoreConnectionError', committed: 'no' });
    expect(report['read']!.message).toContain('terminating connection due to administrator command');
    expect(report['transaction']).toMatchObject({ name: 'StoreConnectionError', committed: 'no' });
  });
});
