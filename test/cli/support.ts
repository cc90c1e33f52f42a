import { spawn, spawnSync } from 'node:child_process';
import Database from 'better-sqlite3';
import { createOrderService, type OrderService } from '../../src/service/index.js';
import { SqliteStore } from '../../src/store/index.js';

/** Runs the CLI from source as a user would (a child process), optionally with standard input. */
export function cli(
  args: readonly string[],
  input?: string,
): { status: number | null; stdout: string; stderr: string } {
  const run = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], {
    encoding: 'utf8',
    ...(input === undefined ? {} : { input }),
  });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

/** The same as `cli`, without blocking: for tests that run side by side. */
export function cliAsync(args: readonly string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

/** The order every CLI test starts from: placed at 09:00 (+08:00) on 2026-12-01, two items. */
export const ORDER = '114-0000001-0000001';
export const placeInput = {
  orderId: ORDER,
  placedAt: '2026-12-01T09:00:00+08:00',
  latestShipDate: '2026-12-03T23:59:59+08:00',
  items: [
    { orderItemId: 'A', sku: 'MUG', quantity: 2 },
    { orderItemId: 'B', quantity: 1 },
  ],
};

/** Places ORDER and lets its buyer window close (a clock.tick at 10:00 +08:00): it is unshipped, version 2. */
export async function fillStore(service: OrderService): Promise<void> {
  await service.place(placeInput);
  await service.apply(ORDER, { type: 'clock.tick', at: '2026-12-01T10:00:00+08:00' });
}

/** A SQLite order store file with ORDER in it. */
export async function sqliteStore(filename: string): Promise<void> {
  const service = await createOrderService({ store: new SqliteStore({ filename }) });
  await fillStore(service);
  await service.close();
}

/** Every row of the store's tables, read straight from the file: to show that a command wrote nothing. */
export function sqliteRows(filename: string): Record<string, unknown[]> {
  const db = new Database(filename, { readonly: true });
  try {
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as Array<{
      name: string;
    }>;
    return Object.fromEntries(tables.map(({ name }) => [name, db.prepare(`SELECT * FROM "${name}"`).all()]));
  } finally {
    db.close();
  }
}

/** Whether standard error is exactly one line. */
export const oneLine = (stderr: string) => stderr.endsWith('\n') && !stderr.slice(0, -1).includes('\n');
