/** What every drill gets from the runner and gives back, and the helpers several drills share. */
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { OrderStore } from '../../src/store/index.js';
import { openStore, type BuiltPackage, type StoreSpec } from './package.js';
import type { DrillProcess, Fleet } from './processes.js';
import {
  DeliveryLog,
  Ledger,
  judge,
  judgeDeliveries,
  reportOutboxCalls,
  type DeliveryVerdict,
  type Verdict,
} from './verdict.js';
import { HOUR, Random } from './workload.js';

export interface DrillContext {
  pkg: BuiltPackage;
  /** `--short`: few kills, short holds, for CI. */
  short: boolean;
  seed: number;
  random: Random;
  /** A fresh directory of this drill's own. */
  workDir: string;
  databaseUrl: string;
  /** Epoch ms after which a drill stops adding faults and winds down. */
  deadline: number;
  /** Registers clean-up that runs after the drill, also when it throws or the run is interrupted. */
  onCleanup(fn: () => unknown): void;
  /** Registers a fleet, so that an interrupted run kills its processes. */
  track(fleet: Fleet): Fleet;
}

export interface DrillOutcome {
  status: 'held' | 'failed' | 'skipped';
  /** The drill's figures (or why it was skipped), one line. */
  figures: string;
  problems: string[];
}

export interface Drill {
  /** What `--only` takes. */
  name: string;
  /** What its line starts with. */
  label: string;
  usesPostgres: boolean;
  run(context: DrillContext): Promise<DrillOutcome>;
}

const began = Date.now();
/** With CHAOS_TRACE set, a drill's phases on standard error, with the seconds since the run began. */
export function trace(text: string): void {
  if (process.env['CHAOS_TRACE']) process.stderr.write(`[${((Date.now() - began) / 1_000).toFixed(1)} s] ${text}\n`);
}

/** 1234567 → "1,234,567". */
export const count = (n: number) => Math.round(n).toLocaleString('en-US');

/** "1 kill" / "2 kills". */
export const plural = (n: number, word: string, words = `${word}s`) => `${count(n)} ${n === 1 ? word : words}`;

/** An outcome whose status follows from its problems. */
export function outcome(figures: string, problems: string[]): DrillOutcome {
  return { status: problems.length === 0 ? 'held' : 'failed', figures, problems };
}

/**
 * A drill on one SQLite file: `run` gets the file's store spec (`orders.db` in the drill's own folder), its tables
 * already created, and an empty ledger.
 */
export function sqliteDrill(
  name: string,
  label: string,
  run: (
    context: DrillContext,
    start: { spec: StoreSpec & { kind: 'sqlite' }; ledger: Ledger },
  ) => Promise<DrillOutcome>,
): Drill {
  return {
    name,
    label,
    usesPostgres: false,
    async run(context) {
      const spec = { kind: 'sqlite' as const, filename: join(context.workDir, 'orders.db') };
      await createTables(context.pkg, spec);
      return run(context, { spec, ledger: new Ledger() });
    },
  };
}

/** Creates the tables (once, before any drill process opens the store) and closes. */
export async function createTables(pkg: BuiltPackage, spec: StoreSpec): Promise<void> {
  const service = await pkg.service.createOrderService({ store: openStore(pkg, spec) });
  await service.close();
}

/** Resolves when `condition()` holds (checked every 50 ms) or `ms` passed; says which. */
export async function until(condition: () => boolean, ms: number): Promise<boolean> {
  const end = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > end) return false;
    await sleep(50);
  }
  return true;
}

/** Waits until every process said it is ready, or fails naming the one that did not. */
export async function allReady(processes: DrillProcess[], ms = 60_000): Promise<void> {
  await Promise.all(processes.map((each) => (each.ready ? undefined : each.waitFor('ready', ms))));
}

/**
 * SIGKILLs `kills` processes, one at a time, each a random running one that is ready, after a random pause; each
 * is started again at once by `restart`, and the next pause begins once it is ready again. Stops early at the deadline or when `enough()` says so; `onKill` hears
 * each target just before its kill. Returns the kills by process name.
 */
export async function killAtRandom(
  context: DrillContext,
  fleet: Fleet,
  options: {
    kills: number;
    pauseMs: [number, number];
    restart: (name: string) => void;
    enough?: () => boolean;
    onKill?: (name: string) => void;
  },
): Promise<Map<string, number>> {
  const killed = new Map<string, number>();
  let done = 0;
  while (done < options.kills && Date.now() < context.deadline && !options.enough?.()) {
    // One process down at a time: the last one killed is running again (its service open) before the pause.
    await until(() => fleet.living().every((each) => each.ready), 30_000);
    await sleep(context.random.int(...options.pauseMs));
    const ready = fleet.living(true);
    if (ready.length === 0) continue;
    const target = context.random.pick(ready);
    options.onKill?.(target.name);
    await fleet.kill(target);
    done++;
    killed.set(target.name, (killed.get(target.name) ?? 0) + 1);
    options.restart(target.name);
  }
  return killed;
}

/**
 * "40 kills of 2 workers (15 mid-delivery)", or "39 of 40 kills of 2 workers (15 mid-delivery; the time limit came
 * first)" when the drill stopped early, for `why`.
 */
export function killFigure(
  killed: Map<string, number>,
  target: number,
  options: { of?: string; notes?: string[]; why?: string } = {},
): string {
  const kills = [...killed.values()].reduce((a, b) => a + b, 0);
  const notes = [...(options.notes ?? []), ...(kills < target ? [options.why ?? 'the time limit came first'] : [])];
  const head = kills >= target ? plural(kills, 'kill') : `${count(kills)} of ${plural(target, 'kill')}`;
  return `${head}${options.of ? ` of ${options.of}` : ''}${notes.length > 0 ? ` (${notes.join('; ')})` : ''}`;
}

/** "28 writers, 12 sweepers": kills summed by the role each name's first letter stands for, in the roles' order. */
export function byRole(killed: Map<string, number>, roles: Record<string, string>): string {
  return Object.entries(roles)
    .map(
      ([letter, role]) =>
        [role, [...killed].filter(([name]) => name.startsWith(letter)).reduce((sum, [, n]) => sum + n, 0)] as const,
    )
    .filter(([, n]) => n > 0)
    .map(([role, n]) => plural(n, role))
    .join(', ');
}

/**
 * After the drill's processes are gone: a last drain in this process, its clock two hours ahead so that every
 * lease and retry wait is over, recorded in `log` like the drainers' deliveries. Then the deliveries' verdict.
 */
export async function finalDrain(pkg: BuiltPackage, spec: StoreSpec, log: DeliveryLog): Promise<DeliveryVerdict> {
  const store: OrderStore = openStore(pkg, spec);
  reportOutboxCalls(store, (message) => log.record(message));
  const service = await pkg.service.createOrderService({ store, now: () => Date.now() + 2 * HOUR });
  try {
    const now = () => performance.timeOrigin + performance.now();
    for (let round = 0; round < 10; round++) {
      const result = await service.outbox.drain(
        (item) => {
          log.record({ t: 'deliver', id: item.id, order: item.orderId, at: now() });
          log.record({ t: 'delivered', id: item.id, at: now() });
        },
        { leaseMs: 1_000, backoffMs: 0, maxAttempts: 1_000 },
      );
      if (result.delivered + result.failed === 0) break;
    }
    return judgeDeliveries(log, await store.outboxEntries());
  } finally {
    await service.close();
  }
}

/** Opens the store, judges it against the ledger, closes it. */
export async function judgeStore(pkg: BuiltPackage, spec: StoreSpec, ledger: Ledger): Promise<Verdict> {
  const store = openStore(pkg, spec);
  try {
    return await judge(pkg, store, ledger);
  } finally {
    await store.close();
  }
}

/** The figures every write drill prints: "3,537 acknowledged, 0 lost, 0 doubled". */
export function writeFigures(verdict: Verdict): string {
  return `${count(verdict.acknowledged)} acknowledged, ${count(verdict.lost)} lost, ${count(verdict.doubled)} doubled`;
}

/** "1,203 orders (5,012 history rows, 2,977 outbox rows) equal a replay", or how many do not. */
export function replayFigures(verdict: Verdict): string {
  const agreeing = verdict.orders - verdict.disagreeing;
  const rows = `${count(verdict.historyRows)} history rows, ${count(verdict.outboxRows)} outbox rows`;
  return `${count(agreeing)} of ${plural(verdict.orders, 'order')} (${rows}) equal a replay`;
}

/**
 * "3,100 effects delivered at least once (41 more than once, 12 stale outcomes refused), 0 undelivered, 0 undone,
 * 0 out of order", with `more` figures first in the parentheses.
 */
export function deliveryFigures(verdict: DeliveryVerdict, more: string[] = []): string {
  const inside = [
    ...more,
    `${count(verdict.redelivered)} more than once`,
    `${plural(verdict.staleRefused, 'stale outcome')} refused`,
  ];
  const wrong = [
    `${count(verdict.lost)} undelivered`,
    `${count(verdict.undone)} undone`,
    `${count(verdict.outOfOrder)} out of order`,
  ];
  return `${count(verdict.effects)} effects delivered at least once (${inside.join(', ')}), ${wrong.join(', ')}`;
}

export { DeliveryLog };
