import fc from 'fast-check';
import { OrderCheckError } from './errors.js';

/** Reads an integer environment variable, or undefined (works where `process` does not exist). */
function envInt(name: string): number | undefined {
  const raw = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env?.[name];
  if (raw === undefined || raw.trim() === '') return undefined;
  const value = Number(raw);
  if (!Number.isInteger(value)) throw new OrderCheckError(`${name} must be an integer (got ${JSON.stringify(raw)}).`);
  return value;
}

function envText(name: string): string | undefined {
  const raw = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env?.[name];
  return raw === undefined || raw.trim() === '' ? undefined : raw.trim();
}

/** How many runs a property gets, and which seed and path replay it. */
export interface RunBudget {
  /** Runs per property; `FC_NUM_RUNS` in the environment overrides it. */
  numRuns?: number;
  /** Seed to replay; `FC_SEED` overrides it. */
  seed?: number;
  /** Counterexample path to replay; `FC_PATH` overrides it. */
  path?: string;
  /** A cap on the runs `FC_NUM_RUNS` may ask for (for properties that are slow and not the point of a deep run). */
  maxRuns?: number;
}

/**
 * fast-check parameters from a default budget and the environment: `FC_NUM_RUNS` sets the runs of every
 * property, `FC_SEED` and `FC_PATH` replay a reported failure.
 * @example
 * fc.assert(property, propertyParameters({ numRuns: 100 }));
 */
export function propertyParameters<T>(budget: RunBudget = {}): fc.Parameters<T> {
  const seed = envInt('FC_SEED') ?? budget.seed;
  const path = envText('FC_PATH') ?? budget.path;
  const numRuns = Math.min(envInt('FC_NUM_RUNS') ?? budget.numRuns ?? 100, budget.maxRuns ?? Infinity);
  return { numRuns, ...(seed === undefined ? {} : { seed }), ...(path === undefined ? {} : { path }) };
}

/**
 * Checks a property and, on failure, throws an error that starts with the command line that replays it
 * (`FC_SEED=… FC_PATH=…`), followed by fast-check's report (counterexample, shrunk).
 * @example
 * assertProperty('final states absorb every event', property, { numRuns: 200 });
 */
export function assertProperty<Ts>(name: string, property: fc.IRawProperty<Ts>, budget: RunBudget = {}): void {
  const details = fc.check(property, propertyParameters<Ts>(budget)) as fc.RunDetails<Ts>;
  if (!details.failed) return;
  const replay = `FC_SEED=${details.seed}${details.counterexamplePath ? ` FC_PATH=${details.counterexamplePath}` : ''}`;
  const report = fc.defaultReportMessage(details) ?? 'property failed';
  const error = new OrderCheckError(`Property "${name}" failed; replay with ${replay}\n${report}`);
  if (details.errorInstance instanceof Error) (error as { cause?: unknown }).cause = details.errorInstance;
  throw error;
}
