/**
 * A small benchmark harness: tasks measured in interleaved rounds, wall and CPU time per operation over whole
 * rounds (throughput, collections included) and the p50/p90 of batch means (latency), each figure as
 * min/median over the rounds, ratios taken round by round against a baseline measured in the same rounds,
 * and one table with the goal and whether it is met.
 *
 * A section is a named function that adds rows to the table:
 *
 *   export const section = defineSection('service', async (t) => {
 *     const m = await t.interleave([{ name: 'ours', run: () => ours() }, { name: 'bare', run: () => bare() }]);
 *     t.ratio('events/s vs a bare UPDATE', m.get('ours'), m.get('bare'), { max: 2 });
 *   });
 *   if (isMain(import.meta.url)) await runMain([section]);
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg } from 'node:os';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

/** One thing to time. `run` is called once per operation; what it returns is kept in a sink. */
export interface Task<S = unknown> {
  name: string;
  /** One operation (or `opsPerCall` operations); `state` comes from `setup`, `index` counts calls in the batch. */
  run(state: S, index: number): unknown;
  /** Untimed: builds what a batch of `calls` calls needs (e.g. fresh actors), so only `run` is timed. */
  setup?(calls: number): S | Promise<S>;
  /** Untimed: releases what `setup` built. */
  teardown?(state: S): void | Promise<void>;
  /** How many operations one call of `run` performs; figures are per operation. Default 1. */
  opsPerCall?: number;
}

/** A figure over the rounds: the smallest round's value and the median round's value. */
export interface Spread {
  min: number;
  median: number;
}

/**
 * What one task measured, per round and per operation: the whole round's wall and CPU time (every timed batch
 * added up, so collections that fall inside a batch count) and, as latency figures, the p50 and p90 of the
 * batch means.
 */
export interface Measured {
  name: string;
  /** Per round: wall time of all timed batches over their operations, ms per operation (throughput). */
  mean: number[];
  /** Per round: CPU time (`process.cpuUsage`, every thread of the process, GC included) over the operations. */
  cpu: number[];
  /** Per round: the median of the batch means, ms per operation. */
  p50: number[];
  /** Per round: the 90th percentile of the batch means, ms per operation. */
  p90: number[];
  /** Operations per timed batch. */
  batch: number;
  /** Batches per round. */
  samples: number[];
}

export interface InterleaveOptions {
  /** Rounds; each task's figures are reported as min/median over them. Default 3 (`--rounds`). */
  rounds?: number;
  /** Time each task gets per round, in ms. Default 600 (`--task-ms`). */
  taskMs?: number;
  /** Target duration of one timed batch, in ms: long enough that the timer's cost does not matter. */
  batchMs?: number;
  /** Untimed warm-up per task before the first round, in ms. */
  warmupMs?: number;
}

/** A row of the table. */
export interface Row {
  section: string;
  measure: string;
  /** The subject's figure, as printed. */
  value: string;
  /** The baseline's figure, as printed. */
  baseline: string;
  /** The ratio subject/baseline, as printed (min/median over rounds). */
  ratio: string;
  goal: string;
  /** True when met, false when not, undefined when the row has no goal. */
  met: boolean | undefined;
}

// Results go here so that no task's work can be optimized away.
const sink: unknown[] = new Array(64);
let sinkIndex = 0;
/** Keeps a value reachable so that the work producing it is not optimized away. */
export function consume(value: unknown): void {
  sink[sinkIndex++ & 63] = value;
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return typeof value === 'object' && value !== null && typeof (value as { then?: unknown }).then === 'function';
}

/** Milliseconds since an origin, from the monotonic high-resolution clock. */
export function now(): number {
  return Number(process.hrtime.bigint()) / 1e6;
}

/** The q-quantile (0..1) of numbers, by linear interpolation between closest ranks. */
export function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) throw new RangeError('quantile of no values');
  const sorted = [...values].sort((a, b) => a - b);
  const position = (sorted.length - 1) * q;
  const low = Math.floor(position);
  const high = Math.ceil(position);
  return sorted[low]! + (sorted[high]! - sorted[low]!) * (position - low);
}

/** Min and median of per-round figures. */
export function spread(values: readonly number[]): Spread {
  return { min: Math.min(...values), median: quantile(values, 0.5) };
}

/** Wall and CPU milliseconds of one timed batch. */
interface BatchTime {
  elapsed: number;
  cpu: number;
}

async function timeBatch(task: Task, calls: number, isAsync: boolean): Promise<BatchTime> {
  const state = task.setup ? await task.setup(calls) : undefined;
  let elapsed: number;
  let used: NodeJS.CpuUsage;
  if (isAsync) {
    const cpu = process.cpuUsage();
    const start = now();
    for (let i = 0; i < calls; i++) consume(await task.run(state, i));
    elapsed = now() - start;
    used = process.cpuUsage(cpu);
  } else {
    const cpu = process.cpuUsage();
    const start = now();
    for (let i = 0; i < calls; i++) consume(task.run(state, i));
    elapsed = now() - start;
    used = process.cpuUsage(cpu);
  }
  if (task.teardown) await task.teardown(state);
  return { elapsed, cpu: (used.user + used.system) / 1000 };
}

/** Global defaults, set from the command line by `runMain`. */
export const defaults: Required<InterleaveOptions> = { rounds: 3, taskMs: 1000, batchMs: 0.5, warmupMs: 150 };

/**
 * Measures tasks together: in every round, batches of each task alternate (A B, then B A, ...) so that noise
 * from other processes, GC and CPU frequency hits every task alike. Between rounds the heap is collected
 * when `--expose-gc` is on.
 */
export async function interleave(
  tasks: readonly Task[],
  options: InterleaveOptions = {},
): Promise<Map<string, Measured>> {
  const { rounds, taskMs, batchMs, warmupMs } = { ...defaults, ...options };
  // Calibrate: warm each task up and find how many calls fill one batch.
  const plan = [];
  for (const task of tasks) {
    const probe = task.setup ? await task.setup(1) : undefined;
    const isAsync = isThenable(task.run(probe, 0));
    if (task.teardown) await task.teardown(probe);
    let calls = 1;
    let elapsed = 0;
    const warmupEnd = now() + warmupMs;
    do {
      elapsed = (await timeBatch(task, calls, isAsync)).elapsed;
      if (elapsed < batchMs) calls = Math.min(calls * 2, 1 << 20);
    } while (now() < warmupEnd || (elapsed < batchMs / 2 && calls < 1 << 20));
    const perCall = elapsed / calls;
    const batch = Math.max(1, Math.round(batchMs / perCall));
    plan.push({ task, isAsync, batch, samples: Math.max(5, Math.min(2000, Math.round(taskMs / (batch * perCall)))) });
  }
  const samples = Math.max(...plan.map((entry) => entry.samples));
  const results = new Map<string, Measured>(
    plan.map(({ task, batch }) => [
      task.name,
      { name: task.name, mean: [], cpu: [], p50: [], p90: [], batch, samples: [] },
    ]),
  );
  for (let round = 0; round < rounds; round++) {
    (globalThis as { gc?: () => void }).gc?.();
    const times = plan.map(() => [] as number[]);
    const totals = plan.map(() => ({ elapsed: 0, cpu: 0, ops: 0 }));
    for (let sample = 0; sample < samples; sample++) {
      const order = sample % 2 === 0 ? plan.map((_, i) => i) : plan.map((_, i) => plan.length - 1 - i);
      for (const i of order) {
        const entry = plan[i]!;
        // A task with fewer samples than the longest one is measured on an even spread of the rounds' slots.
        if (times[i]!.length >= Math.ceil(((sample + 1) * entry.samples) / samples)) continue;
        const { elapsed, cpu } = await timeBatch(entry.task, entry.batch, entry.isAsync);
        const ops = entry.batch * (entry.task.opsPerCall ?? 1);
        times[i]!.push(elapsed / ops);
        totals[i]!.elapsed += elapsed;
        totals[i]!.cpu += cpu;
        totals[i]!.ops += ops;
      }
    }
    plan.forEach((entry, i) => {
      const measured = results.get(entry.task.name)!;
      measured.mean.push(totals[i]!.elapsed / totals[i]!.ops);
      measured.cpu.push(totals[i]!.cpu / totals[i]!.ops);
      measured.p50.push(quantile(times[i]!, 0.5));
      measured.p90.push(quantile(times[i]!, 0.9));
      measured.samples.push(times[i]!.length);
    });
  }
  return results;
}

/** Formats milliseconds with a unit that keeps three significant digits. */
export function formatMs(ms: number): string {
  if (ms >= 1000) return `${(ms / 1000).toPrecision(3)} s`;
  if (ms >= 1) return `${ms.toPrecision(3)} ms`;
  if (ms >= 0.001) return `${(ms * 1000).toPrecision(3)} µs`;
  return `${(ms * 1e6).toPrecision(3)} ns`;
}

/** Formats a byte count. */
export function formatBytes(bytes: number): string {
  return bytes >= 10_240 ? `${(bytes / 1024).toFixed(1)} KiB` : `${Math.round(bytes)} B`;
}

const ratioText = (value: number) => `${value.toFixed(2)}×`;
const spreadText = (s: Spread, format: (n: number) => string) => `${format(s.min)} / ${format(s.median)}`;
/** A task's cell: throughput (wall per operation), CPU per operation, and the latency p50/p90 of batch means. */
const figures = (m: Measured) =>
  `${spreadText(spread(m.mean), formatMs)} (CPU ${formatMs(spread(m.cpu).median)}; latency p50 ${formatMs(spread(m.p50).median)}, p90 ${formatMs(spread(m.p90).median)})`;

/** The table a run prints; sections add rows through it. */
export class Table {
  readonly rows: Row[] = [];
  readonly notes: string[] = [];
  constructor(public section = '') {}

  /** Measures tasks in interleaved rounds (see `interleave`), with the run's options. */
  interleave(tasks: readonly Task[], options: InterleaveOptions = {}): Promise<Map<string, Measured>> {
    return interleave(tasks, options);
  }

  add(row: Omit<Row, 'section'>): void {
    this.rows.push({ section: this.section, ...row });
  }

  /** A line printed under the table (what a measure means, a seed, a check that passed). */
  note(text: string): void {
    this.notes.push(`${this.section ? `${this.section}: ` : ''}${text}`);
  }

  /**
   * A time ratio subject/baseline, taken per round on the whole round's wall time per operation (throughput:
   * every timed batch counts, collections included), so both saw the same noise; the goal is met when the
   * median round's ratio is at most `goal.max`. The cells also give CPU time per operation and, as a latency
   * figure, the p50 of the batch means.
   */
  ratio(
    measure: string,
    subject: Measured | undefined,
    baseline: Measured | undefined,
    goal?: { max: number },
  ): number {
    if (!subject || !baseline) throw new Error(`Measure "${measure}" is missing a task's result.`);
    const ratios = subject.mean.map((value, round) => value / baseline.mean[round]!);
    const cpuRatio = spread(subject.cpu.map((value, round) => value / baseline.cpu[round]!)).median;
    const r = spread(ratios);
    this.add({
      measure,
      value: figures(subject),
      baseline: figures(baseline),
      ratio: `${spreadText(r, ratioText)} (CPU ${ratioText(cpuRatio)})`,
      goal: goal ? `≤ ${goal.max}×` : '—',
      met: goal ? r.median <= goal.max : undefined,
    });
    return r.median;
  }

  /** An absolute time; the goal is met when the median round's latency p50 is under `goal.underMs`. */
  time(measure: string, subject: Measured | undefined, goal?: { underMs: number }): number {
    if (!subject) throw new Error(`Measure "${measure}" is missing a task's result.`);
    const p50 = spread(subject.p50);
    this.add({
      measure,
      value: figures(subject),
      baseline: '—',
      ratio: '—',
      goal: goal ? `latency p50 < ${formatMs(goal.underMs)}` : '—',
      met: goal ? p50.median < goal.underMs : undefined,
    });
    return p50.median;
  }

  /** A size in bytes, optionally against a baseline's size and a goal in bytes. */
  bytes(measure: string, bytes: number, options: { baseline?: number; maxBytes?: number; label?: string } = {}): void {
    this.add({
      measure,
      value: formatBytes(bytes),
      baseline: options.baseline === undefined ? '—' : formatBytes(options.baseline),
      ratio: options.baseline === undefined ? '—' : ratioText(bytes / options.baseline),
      goal: options.maxBytes === undefined ? '—' : `≤ ${formatBytes(options.maxBytes)}`,
      met: options.maxBytes === undefined ? undefined : bytes <= options.maxBytes,
    });
  }

  /** The rows as a Markdown table (what `npm run bench` prints and docs/performance.md holds). */
  markdown(): string {
    const header = [
      'section',
      'measure',
      'subject (min / median of 3 rounds)',
      'baseline (same rounds)',
      'ratio (min / median)',
      'goal',
      'met',
    ];
    const lines = [header, header.map(() => '---')];
    for (const row of this.rows) {
      const met = row.met === undefined ? '—' : row.met ? 'met' : 'NOT met';
      lines.push([row.section, row.measure, row.value, row.baseline, row.ratio, row.goal, met]);
    }
    return lines.map((cells) => `| ${cells.join(' | ')} |`).join('\n');
  }
}

/** A named part of the bench: a function that measures and adds rows. */
export interface Section {
  name: string;
  run: (table: Table) => void | Promise<void>;
}

/** Names a section; see the module comment for a complete one. */
export function defineSection(name: string, run: Section['run']): Section {
  return { name, run };
}

/** The machine and runtime the numbers come from. */
export function environment(): string {
  const cpu = cpus()[0]?.model ?? 'unknown CPU';
  const load = loadavg()
    .map((value) => value.toFixed(2))
    .join(' ');
  return `${availableParallelism()} cores (${cpu}), Node ${process.version} (${nodeFlags()}), ${process.platform}/${process.arch}, load average at start ${load}`;
}

/** The `--` flags this Node process was started with, `--import` (and the module it names) left out. */
function ownFlags(): string[] {
  return process.execArgv.filter((flag) => flag.startsWith('--') && !flag.startsWith('--import'));
}

/**
 * The flags that change what a table measures, for its first line: `--no-allocation-site-pretenuring` changes the
 * package's figures a great deal (docs/performance.md, *V8's allocation-site pretenuring*).
 */
export function nodeFlags(): string {
  const flags = ownFlags();
  return flags.length ? `flags ${flags.join(' ')}` : 'no flags';
}

/** This process's flags for the processes a bench starts (`--expose-gc` is theirs to choose), so they run the same V8. */
export function workerFlags(): string[] {
  return ownFlags().filter((flag) => flag !== '--expose-gc');
}

/** The commit measured, with "+ changes" when the worktree differs from it. */
export function revision(): string {
  try {
    const head = execFileSync('git', ['rev-parse', '--short', 'HEAD'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--untracked-files=no'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    }).trim();
    return dirty ? `${head} + uncommitted changes` : head;
  } catch {
    return 'unknown commit';
  }
}

const START = '<!-- bench:start -->';
const END = '<!-- bench:end -->';

/** Replaces the text between the bench markers of a Markdown file with `block` in a code fence. */
export function writeBlock(file: string, block: string): void {
  const text = readFileSync(file, 'utf8');
  const from = text.indexOf(START);
  const to = text.indexOf(END);
  if (from < 0 || to < from) throw new Error(`File "${file}" has no ${START} … ${END} block to write the table into.`);
  writeFileSync(file, `${text.slice(0, from + START.length)}\n\`\`\`\n${block}\n\`\`\`\n${text.slice(to)}`);
}

/** Whether the module with this `import.meta.url` is the script node was started with. */
export function isMain(metaUrl: string): boolean {
  return process.argv[1] !== undefined && pathToFileURL(process.argv[1]).href === metaUrl;
}

/**
 * Runs sections and prints the table. Arguments: section names to run only those, `--rounds N`,
 * `--task-ms N` (time per task per round), `--quick` (one short round, to try a section out), `--write FILE`
 * (also put the printed lines into FILE between `<!-- bench:start -->` and `<!-- bench:end -->`).
 */
export async function runMain(sections: readonly Section[], argv: string[] = process.argv.slice(2)): Promise<Table> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      rounds: { type: 'string' },
      'task-ms': { type: 'string' },
      quick: { type: 'boolean' },
      write: { type: 'string' },
    },
  });
  if (values.quick) Object.assign(defaults, { rounds: 1, taskMs: 100, warmupMs: 50 });
  for (const [flag, key] of [
    ['rounds', 'rounds'],
    ['task-ms', 'taskMs'],
  ] as const) {
    const text = values[flag];
    if (text === undefined) continue;
    const value = Number(text);
    if (!Number.isInteger(value) || value < 1)
      throw new Error(`Option --${flag} must be a positive integer, got "${text}".`);
    defaults[key] = value;
  }
  const known = sections.map((section) => section.name);
  const unknown = positionals.find((name) => !known.includes(name));
  if (unknown !== undefined) throw new Error(`There is no bench section "${unknown}"; sections: ${known.join(', ')}.`);
  const chosen = positionals.length ? sections.filter((section) => positionals.includes(section.name)) : sections;
  if (!(globalThis as { gc?: unknown }).gc)
    console.warn('Run node with --expose-gc (npm run bench does) for collections between rounds and heap figures.');

  const lines: string[] = [];
  const print = (line: string) => {
    lines.push(line);
    console.log(line);
  };
  print(`# ${environment()}`);
  print(
    `# commit ${revision()}; ${defaults.rounds} round(s), ${defaults.taskMs} ms per task per round, batches of ≈ ${defaults.batchMs} ms; a time cell is wall time per operation over all of a round's batches (min / median round), then CPU per operation (every thread, GC included) and the latency p50/p90 of batch means; ratios are of wall time per operation, round by round`,
  );
  const table = new Table();
  const started = now();
  for (const section of chosen) {
    table.section = section.name;
    const sectionStart = now();
    await section.run(table);
    console.error(`section ${section.name}: ${formatMs(now() - sectionStart)}`);
  }
  print(table.markdown());
  for (const note of table.notes) print(`- ${note}`);
  print(
    `# total ${formatMs(now() - started)}; load average at end ${loadavg()
      .map((value) => value.toFixed(2))
      .join(' ')}; sink ${sink.filter((value) => value !== undefined).length}/64 slots live`,
  );
  if (values.write !== undefined) {
    writeBlock(values.write, lines.join('\n'));
    console.error(`wrote the table into ${values.write}`);
  }
  return table;
}
