import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { ChaosUsageError, drills, parseChaosArguments, runChaos, type ChaosOptions } from '../../scripts/chaos/cli.js';
import { loadBuiltPackage, openStore } from '../../scripts/chaos/package.js';
import { DeliveryLog, judge, judgeDeliveries, Ledger } from '../../scripts/chaos/verdict.js';
import type { OutboxEntry } from '../../src/store/index.js';
import { BASE, orderWrites } from '../../scripts/chaos/workload.js';

const root = resolve(import.meta.dirname, '../..');
// The drills run the built package; CI builds it (`npm ci` runs `prepare`).
const built = existsSync(resolve(root, 'dist/src/service/index.js'));
if (!built) console.warn('[skipped] dist/ is missing: run `npm run build` to run the chaos drills in the tests.');

function options(argv: string[]): ChaosOptions {
  const parsed = parseChaosArguments(argv);
  if ('help' in parsed) throw new Error('expected options, got help');
  return parsed;
}

function usageError(argv: string[]): string {
  try {
    parseChaosArguments(argv);
  } catch (error) {
    expect(error).toBeInstanceOf(ChaosUsageError);
    return (error as Error).message;
  }
  throw new Error(`${argv.join(' ')} was accepted`);
}

describe('the chaos runner arguments', () => {
  it('should run every drill in full by default, against the local test database', () => {
    const parsed = options([]);
    expect(parsed).toMatchObject({
      short: false,
      only: undefined,
      list: false,
      databaseUrl: process.env['DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test',
    });
    expect(Number.isSafeInteger(parsed.seed)).toBe(true);
    expect(drills.map((drill) => drill.name)).toEqual([
      'sqlite-sigkill',
      'postgres-terminate',
      'postgres-sigkill',
      'drainer-sigkill',
      'held-lock',
      'full-disk',
    ]);
  });

  it('should take --short, drills named comma-separated or one --only at a time, a seed and a loopback URL', () => {
    expect(
      options([
        '--short',
        '--only',
        'held-lock,full-disk',
        '--only',
        'sqlite-sigkill',
        '--seed',
        '42',
        '--database-url',
        'postgres://me@localhost:5433/other',
      ]),
    ).toEqual({
      short: true,
      only: ['held-lock', 'full-disk', 'sqlite-sigkill'],
      seed: 42,
      databaseUrl: 'postgres://me@localhost:5433/other',
      list: false,
    });
    expect(options(['--database-url', 'postgresql://postgres@[::1]/test']).databaseUrl).toBe(
      'postgresql://postgres@[::1]/test',
    );
  });

  it('should refuse an unknown drill, a seed that is not a whole number, another machine and an unknown option', () => {
    expect(usageError(['--only', 'sqlite-sigkill,nope'])).toMatch(
      /unknown drill "nope": one of sqlite-sigkill, postgres-terminate, .*full-disk/,
    );
    expect(usageError(['--seed', '1.5'])).toMatch(/a whole number, not "1.5"/);
    expect(usageError(['--database-url', 'postgres://postgres@db.example.com/test'])).toMatch(
      /on this machine only .*not "db.example.com"/,
    );
    expect(usageError(['--database-url', 'mysql://127.0.0.1/test'])).toMatch(/not a postgres:\/\/ URL/);
    expect(usageError(['--kills', '3'])).toMatch(/unknown option '--kills'/);
    expect(usageError(['extra'])).toMatch(/too many arguments/);
  });

  it('should print a help that names every drill', () => {
    const parsed = parseChaosArguments(['--help']);
    expect(parsed).toHaveProperty('help');
    for (const drill of drills) expect((parsed as { help: string }).help).toContain(drill.name);
  });

  it('should exit 2 with one line on standard error for a wrong argument', () => {
    const run = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/chaos/main.ts', '--only', 'nope'], {
      cwd: root,
      encoding: 'utf8',
    });
    expect(run.status).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr.trim().split('\n')).toEqual([
      expect.stringMatching(/^chaos: option '--only <drills>' argument 'nope' is invalid\. unknown drill "nope"/),
    ]);
  });
});

describe.skipIf(!built)('the chaos verdict', () => {
  let dir: string | undefined;
  afterEach(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
    dir = undefined;
  });

  /** Writes the first `orders` orders of the workload through the built service; returns what it acknowledged. */
  async function written(orders: number) {
    dir = mkdtempSync(join(tmpdir(), 'ol-chaos-verdict-'));
    const pkg = await loadBuiltPackage();
    const spec = { kind: 'sqlite' as const, filename: join(dir, 'orders.db') };
    const ledger = new Ledger();
    const service = await pkg.service.createOrderService({ store: openStore(pkg, spec) });
    for (let n = 0; n < orders; n++) {
      for (const request of orderWrites('t', 0, n)) {
        if (request.kind === 'place') await service.place(request.input, { idempotencyKey: request.id });
        else await service.apply(request.orderId, request.event);
        ledger.record('t', { t: 'ack', id: request.id, order: request.orderId, kind: request.kind, at: Date.now() });
      }
    }
    await service.close();
    const judgeNow = async () => {
      const store = openStore(pkg, spec);
      try {
        return await judge(pkg, store, ledger);
      } finally {
        await store.close();
      }
    };
    return { spec, ledger, judge: judgeNow };
  }

  it('should find what the service wrote whole, and an acknowledged event that is not there lost', async () => {
    const { ledger, judge } = await written(4);
    expect(await judge()).toMatchObject({
      orders: 4,
      acknowledged: 11,
      lost: 0,
      doubled: 0,
      disagreeing: 0,
      problems: [],
    });
    ledger.record('t', { t: 'ack', id: 't-9-1', order: 'chaos-t-1', kind: 'apply', at: Date.now() });
    ledger.record('t', { t: 'ack', id: 't-9-0', order: 'chaos-t-9', kind: 'place', at: Date.now() });
    const verdict = await judge();
    expect(verdict).toMatchObject({ lost: 2, doubled: 0 });
    expect(verdict.problems).toEqual([
      'chaos-t-9: its place was acknowledged, but there is no such order',
      'chaos-t-1: acknowledged event t-9-1 is not in its history',
    ]);
  });

  it('should count an event stored twice as doubled, and the order as not equal to a replay', async () => {
    const { spec, judge } = await written(2);
    const db = new Database(spec.filename);
    // The buyer's cancel (history seq 2 of 3) once more as seq 4: a replay finds it a duplicate, not a cancel.
    db.exec(`INSERT INTO order_history SELECT order_id, 4, version, event, verdict, effects, status_before, status_after, recorded_at, machine_version, event_id
             FROM order_history WHERE order_id = 'chaos-t-0' AND seq = 2;
             UPDATE orders SET seq = seq + 1 WHERE order_id = 'chaos-t-0';`);
    db.close();
    const verdict = await judge();
    expect(verdict).toMatchObject({ lost: 0, doubled: 1, disagreeing: 1 });
    expect(verdict.problems).toContain('event t-0-1 is 2 times in its history (seq 2 accepted, seq 4 accepted)');
  });

  it('should count an order still due after an acknowledged sweep found nothing due as lost', async () => {
    // The fourth order of a writer is left to the sweeper: its buyer window ends 30 minutes after 02:03Z.
    const { ledger, judge } = await written(4);
    ledger.sweeps.push({ startedAt: Date.now() + 1, instant: BASE + 60 * 60_000 });
    const verdict = await judge();
    expect(verdict.lost).toBe(1);
    expect(verdict.problems[0]).toMatch(
      /^chaos-t-3: still due at 2026-11-26T02:33:00.000Z, yet a sweep at 2026-11-26T03:00:00.000Z begun after its place was acknowledged found nothing due$/,
    );
  });
});

describe('the delivery verdict', () => {
  const entry = (id: number, orderId: string, state: OutboxEntry['state'] = 'done'): OutboxEntry => ({
    id,
    orderId,
    version: 1,
    seq: 1,
    effect: '{}',
    state,
    attempts: 0,
    availableAt: 0,
    lastError: null,
    claim: 1,
  });

  it('should accept a delivery repeated after a lease ran out, whose late outcome the store refused', () => {
    const log = new DeliveryLog();
    log.record({ t: 'claimed', rows: [[1, 1]] });
    log.record({ t: 'deliver', id: 1, order: 'a', at: 10 });
    log.record({
      t: 'claimed',
      rows: [
        [1, 2],
        [2, 1],
      ],
    }); // the lease of the first drainer ran out
    log.record({ t: 'deliver', id: 1, order: 'a', at: 12 });
    log.record({ t: 'delivered', id: 1, at: 13 });
    log.record({ t: 'outcome', op: 'complete', id: 1, claim: 2, ok: true });
    log.record({ t: 'deliver', id: 2, order: 'a', at: 14 });
    log.record({ t: 'delivered', id: 2, at: 15 });
    log.record({ t: 'outcome', op: 'complete', id: 2, claim: 1, ok: true });
    log.record({ t: 'delivered', id: 1, at: 20 });
    log.record({ t: 'outcome', op: 'complete', id: 1, claim: 1, ok: false });
    expect(judgeDeliveries(log, [entry(1, 'a'), entry(2, 'a')])).toEqual({
      effects: 2,
      deliveries: 3,
      redelivered: 1,
      injectedFailures: 0,
      staleRefused: 1,
      lost: 0,
      undone: 0,
      outOfOrder: 0,
      problems: [],
    });
  });

  it('should find a row claimed again after its completion counted, one handed out before an earlier one was delivered, and one never delivered', () => {
    const log = new DeliveryLog();
    log.record({ t: 'claimed', rows: [[3, 1]] });
    log.record({ t: 'deliver', id: 3, order: 'b', at: 30 });
    log.record({ t: 'delivered', id: 3, at: 31 });
    log.record({ t: 'outcome', op: 'complete', id: 3, claim: 1, ok: true });
    log.record({ t: 'claimed', rows: [[3, 2]] }); // a stale outcome put it back
    log.record({ t: 'deliver', id: 3, order: 'b', at: 40 });
    log.record({ t: 'delivered', id: 3, at: 41 });
    log.record({ t: 'deliver', id: 5, order: 'c', at: 50 }); // its drainer was killed
    log.record({ t: 'deliver', id: 6, order: 'c', at: 51 });
    log.record({ t: 'delivered', id: 6, at: 52 });
    const verdict = judgeDeliveries(log, [entry(3, 'b'), entry(5, 'c', 'pending'), entry(6, 'c')]);
    expect(verdict).toMatchObject({ lost: 1, undone: 1, outOfOrder: 1 });
    expect(verdict.problems).toEqual([
      'outbox row 3 (b): completed with claims 1, claimed again with 2',
      'outbox row 5 (c) is pending after 0 deliveries',
      'c: outbox row 6 was handed out before row 5 had been delivered',
    ]);
  });
});

describe.skipIf(!built)('a short chaos run', () => {
  // The drainer drill: processes killed and started again, deliveries and the database judged afterwards.
  it('should run one drill to its verdict, print its line and a closing line that is not a test summary', async () => {
    const lines: string[] = [];
    const status = await runChaos(options(['--short', '--only', 'drainer-sigkill', '--seed', '7']), (line) =>
      lines.push(line),
    );
    expect(status, lines.join('\n')).toBe(0);
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(
      /^drainer sigkill: (?:\d of )?\d kills? of 3 drainers \(\d mid-delivery(?:; everything was delivered first)?\), 550 effects delivered at least once \(.*\), 0 undelivered, 0 undone, 0 out of order; 550 acknowledged, 0 lost, 0 doubled; 200 of 200 orders .* equal a replay \([\d.]+ s\)$/,
    );
    expect(lines[1]).toMatch(/^chaos: 1 of 1 drills held \([\d.]+ s, seed 7, short\)$/);
    expect(lines.join('\n')).not.toMatch(/\d+ passed, \d+ failed/);
  });
});
