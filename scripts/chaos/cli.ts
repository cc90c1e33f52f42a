/**
 * The chaos runner: its arguments (commander), and the run of the chosen drills one after another, one line each
 * and a closing line. Exit status 0 when every drill held (or was skipped), 1 when one failed, 2 for a wrong argument.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import pg from 'pg';
import { count, trace, type Drill, type DrillContext, type DrillOutcome } from './drill.js';
import { drainerSigkill } from './drills/drainers.js';
import { fullDisk } from './drills/full-disk.js';
import { heldLock } from './drills/held-lock.js';
import { postgresSigkill, postgresTerminate } from './drills/postgres.js';
import { sqliteSigkill } from './drills/sqlite-sigkill.js';
import { loadBuiltPackage, NotBuiltError } from './package.js';
import type { Fleet } from './processes.js';
import { Random } from './workload.js';

/** Every drill, in the order a run takes them. */
export const drills: Drill[] = [sqliteSigkill, postgresTerminate, postgresSigkill, drainerSigkill, heldLock, fullDisk];

export interface ChaosOptions {
  short: boolean;
  /** Drill names; every drill when absent. */
  only?: string[];
  seed: number;
  databaseUrl: string;
  list: boolean;
}

/** A wrong argument: the message is one line; the exit status 2. */
export class ChaosUsageError extends Error {
  override name = 'ChaosUsageError';
}

const DEFAULT_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/test';

/**
 * A PostgreSQL URL on this machine (loopback or a Unix socket), or a usage error: the drills terminate backends
 * and flood the database, which nobody should point at a shared server.
 */
export function localDatabaseUrl(text: string): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new InvalidArgumentError(`not a URL: ${JSON.stringify(text)}.`);
  }
  if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:')
    throw new InvalidArgumentError(`not a postgres:// URL: ${JSON.stringify(text)}.`);
  const host = url.hostname || url.searchParams.get('host') || '';
  if (!['127.0.0.1', 'localhost', '[::1]', '::1'].includes(host) && !host.startsWith('/')) {
    throw new InvalidArgumentError(
      `the drills run against a PostgreSQL on this machine only (127.0.0.1, localhost, ::1 or a socket), not ${JSON.stringify(host)}.`,
    );
  }
  return text;
}

function drillNames(text: string, previous: string[] | undefined): string[] {
  const names = text
    .split(',')
    .map((name) => name.trim())
    .filter(Boolean);
  for (const name of names) {
    if (!drills.some((drill) => drill.name === name))
      throw new InvalidArgumentError(
        `unknown drill ${JSON.stringify(name)}: one of ${drills.map((d) => d.name).join(', ')}.`,
      );
  }
  if (names.length === 0) throw new InvalidArgumentError('name at least one drill.');
  return [...(previous ?? []), ...names];
}

function wholeNumber(text: string): number {
  const value = Number(text);
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(value))
    throw new InvalidArgumentError(`a whole number, not ${JSON.stringify(text)}.`);
  return value;
}

/** The runner's command line; `parse` throws CommanderError (exitCode 0 for --help) instead of exiting. */
export function chaosCommand(write: { out: (text: string) => void; err: (text: string) => void }): Command {
  return new Command('chaos')
    .description(
      'Fault drills against the built package (dist/): SIGKILLed writers, sweepers and drainers, terminated PostgreSQL ' +
        'backends, a held SQLite lock, a full disk. Each drill prints one line with its figures; the verdict is read from the ' +
        'database afterwards. Loopback only; PostgreSQL 15 at --database-url (the drills skip it when it is down, unless CI is set).',
    )
    .option('--short', 'a short run, for CI: few kills and terminations, short holds (about a minute in all)', false)
    .option(
      '--only <drills>',
      `run these drills only, comma-separated (${drills.map((d) => d.name).join(', ')})`,
      drillNames,
    )
    .option(
      '--seed <n>',
      "seed of the random choices (kill targets, pauses, the drainers' slow and failed deliveries)",
      wholeNumber,
    )
    .addOption(
      new Option('--database-url <url>', 'PostgreSQL on this machine; each drill uses a schema of its own and drops it')
        .env('DATABASE_URL')
        .default(DEFAULT_DATABASE_URL)
        .argParser(localDatabaseUrl),
    )
    .option('--list', 'print the drills and exit', false)
    .helpOption('-h, --help', 'show this help')
    .allowExcessArguments(false)
    .exitOverride()
    .configureOutput({ writeOut: write.out, writeErr: write.err, outputError: () => {} });
}

/** Parses the runner's arguments (without `node script`); a wrong one is a ChaosUsageError. */
export function parseChaosArguments(argv: readonly string[]): ChaosOptions | { help: string } {
  let help = '';
  const command = chaosCommand({ out: (text) => (help += text), err: (text) => (help += text) });
  try {
    command.parse([...argv], { from: 'user' });
  } catch (error) {
    if (error instanceof CommanderError && error.exitCode === 0) return { help };
    throw new ChaosUsageError(
      error instanceof Error ? error.message.replace(/^error: /, '').replace(/\s*\n\s*/g, ' ') : String(error),
    );
  }
  const options = command.opts<{
    short: boolean;
    only?: string[];
    seed?: number;
    databaseUrl: string;
    list: boolean;
  }>();
  return {
    short: options.short,
    only: options.only,
    seed: options.seed ?? Date.now() % 1_000_000_007,
    databaseUrl: options.databaseUrl,
    list: options.list,
  };
}

/** Whether PostgreSQL answers at `url` (within 3 s); the reason when it does not. */
async function postgresDown(url: string): Promise<string | null> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3_000 });
  client.on('error', () => {});
  try {
    await client.connect();
    await client.query('SELECT 1');
    return null;
  } catch (error) {
    return (error as Error).message || (error as Error).name;
  } finally {
    await client.end().catch(() => {});
  }
}

const seconds = (ms: number) => `${(ms / 1_000).toFixed(ms < 10_000 ? 1 : 0)} s`;

/** Lines of a drill's outcome: its figures, and for a failure what went wrong (the first ten things). */
export function outcomeLines(drill: Drill, result: DrillOutcome, ms: number): string[] {
  if (result.status === 'skipped') return [`${drill.label}: skipped: ${result.figures}`];
  const head = `${drill.label}: ${result.status === 'failed' ? 'FAILED: ' : ''}${result.figures} (${seconds(ms)})`;
  const shown = result.problems.slice(0, 10).map((problem) => `  - ${problem}`);
  if (result.problems.length > 10) shown.push(`  - and ${count(result.problems.length - 10)} more`);
  return [head, ...shown];
}

/**
 * Runs the chosen drills one after another, printing each one's line(s) as it ends and a closing line; returns
 * the exit status. Each drill adds faults for a bounded time (at most 150 s in a full run, 30 s with --short).
 */
export async function runChaos(options: ChaosOptions, print: (line: string) => void = console.log): Promise<number> {
  const chosen = options.only ? drills.filter((drill) => options.only!.includes(drill.name)) : drills;
  if (options.list) {
    for (const drill of drills) print(`${drill.name}: ${drill.label}`);
    return 0;
  }
  let pkg;
  try {
    pkg = await loadBuiltPackage();
  } catch (error) {
    if (!(error instanceof NotBuiltError)) throw error;
    print(`chaos: ${error.message}`);
    return 1;
  }
  const started = Date.now();
  const postgresReason = chosen.some((drill) => drill.usesPostgres) ? await postgresDown(options.databaseUrl) : null;
  const fleets = new Set<Fleet>();
  const cleanups: Array<() => unknown> = [];
  const cleanUp = async () => {
    for (const fleet of fleets) fleet.killAll();
    for (const fn of cleanups.splice(0).reverse()) {
      try {
        await fn();
      } catch {
        // clean-up is best effort: a later one still runs
      }
    }
  };
  const interrupted = () => {
    for (const fleet of fleets) fleet.killAll();
    void cleanUp().finally(() => process.exit(130));
  };
  process.once('SIGINT', interrupted);
  process.once('SIGTERM', interrupted);
  const results: Array<{ drill: Drill; result: DrillOutcome }> = [];
  try {
    for (const [index, drill] of chosen.entries()) {
      let result: DrillOutcome;
      const drillStarted = Date.now();
      if (drill.usesPostgres && postgresReason !== null) {
        const reason = `PostgreSQL not reachable at ${options.databaseUrl} (${postgresReason})`;
        result = process.env['CI']
          ? { status: 'failed', figures: `${reason}, and CI is set`, problems: [] }
          : { status: 'skipped', figures: `${reason}; start it, or set DATABASE_URL`, problems: [] };
      } else {
        const workDir = mkdtempSync(join(tmpdir(), `ol-chaos-${drill.name}-`));
        cleanups.push(() => rmSync(workDir, { recursive: true, force: true }));
        const context: DrillContext = {
          pkg,
          short: options.short,
          seed: options.seed + index,
          random: new Random(options.seed + index),
          workDir,
          databaseUrl: options.databaseUrl,
          deadline: drillStarted + (options.short ? 30_000 : 150_000),
          onCleanup: (fn) => cleanups.push(fn),
          track: (fleet) => (fleets.add(fleet), fleet),
        };
        trace(`${drill.name}: started`);
        try {
          result = await drill.run(context);
        } catch (error) {
          result = {
            status: 'failed',
            figures: 'the drill itself failed',
            problems: [(error as Error).stack ?? String(error)],
          };
        }
        await cleanUp();
        fleets.clear();
      }
      for (const line of outcomeLines(drill, result, Date.now() - drillStarted)) print(line);
      results.push({ drill, result });
    }
  } finally {
    await cleanUp();
    process.off('SIGINT', interrupted);
    process.off('SIGTERM', interrupted);
  }
  const failed = results.filter((r) => r.result.status === 'failed').map((r) => r.drill.label);
  const skipped = results.filter((r) => r.result.status === 'skipped').length;
  const took = seconds(Date.now() - started);
  const held = results.length - failed.length - skipped;
  print(
    failed.length > 0
      ? `chaos: FAILED: ${failed.join(', ')} (${held} of ${results.length} drills held, ${skipped} skipped; ${took}, seed ${options.seed})`
      : `chaos: ${held} of ${results.length} drills held${skipped > 0 ? `, ${skipped} skipped` : ''} (${took}, seed ${options.seed}${options.short ? ', short' : ''})`,
  );
  return failed.length > 0 ? 1 : 0;
}
