import type { AnyStateMachine } from 'xstate';
import type { OrderEventInput, OrderInput } from '../domain/index.js';
import type fc from 'fast-check';
import { orderInputArbitrary } from './arbitraries.js';
import { modelBasedProperty } from './commands.js';
import { machineActorDriver, machinePureDriver, type DriverSnapshot, type VerdictLike } from './drivers.js';
import { invariantNames, invariantProperties, machineStepper, type InvariantName } from './invariants.js';
import { assertProperty, type RunBudget } from './params.js';
import {
  checkOrderMachineExhaustively,
  type ExhaustiveCheckOptions,
  type ExhaustiveCheckResult,
} from './exhaustive.js';

/** Options of `checkOrderMachine`. */
export interface CheckOrderMachineOptions extends RunBudget {
  /**
   * The policy your app gives every order (e.g. `policyPresets.fiveDayAutoCancel`): generated inputs carry
   * it, and the reference model uses the same deadlines.
   */
  policy?: { buyerCancelWindowMs?: number; autoCancelAfterMs?: number };
  /** Order inputs to generate; by default `orderInputArbitrary()`. */
  inputs?: fc.Arbitrary<OrderInput>;
  /** Which invariants to run; all by default. */
  invariants?: readonly InvariantName[];
  /**
   * Compare with the reference model: `'strict'` (default) also compares effects and refusal codes, `'states'`
   * only states, quantities, cancellation records and whether each event was accepted (for apps whose
   * `.provide()` changes effects), `false` skips it.
   */
  model?: 'strict' | 'states' | false;
  /** The verdict on an event, for the refusal invariants; by default the package's rule functions (`explain`). */
  verdict?: (snapshot: DriverSnapshot, event: OrderEventInput) => VerdictLike;
  /**
   * Instead of sampling, explore every abstract event sequence up to `depth` (`checkOrderMachineExhaustively`, which
   * takes `policy`, `invariants`, `model` and `verdict` from these options); the call then returns what it explored.
   */
  exhaustive?: Omit<ExhaustiveCheckOptions, 'policy' | 'invariants' | 'model' | 'verdict'>;
}

/**
 * Runs a model-based comparison with the reference model (pure first, then, after the order invariants, live
 * on a SimulatedClock and with serialize/restore), and the order invariants, against a machine an app extended with `.provide()` or a
 * policy of its own. Throws on the first failing property, with the `FC_SEED`/`FC_PATH` that replay it.
 * @example
 * it('should keep the order invariants', () => checkOrderMachine(orderMachine.provide({ actions: { ... } })));
 * it('should keep them in every sequence of 3 events', () => checkOrderMachine(appMachine, { exhaustive: { depth: 3 } }));
 */
export function checkOrderMachine(
  machine: AnyStateMachine,
  options: CheckOrderMachineOptions & { exhaustive: NonNullable<CheckOrderMachineOptions['exhaustive']> },
): ExhaustiveCheckResult;
export function checkOrderMachine(machine: AnyStateMachine, options?: CheckOrderMachineOptions): void;
export function checkOrderMachine(
  machine: AnyStateMachine,
  options: CheckOrderMachineOptions = {},
): ExhaustiveCheckResult | void {
  if (options.exhaustive)
    return checkOrderMachineExhaustively(machine, {
      ...options.exhaustive,
      ...(options.policy ? { policy: options.policy } : {}),
      ...(options.invariants ? { invariants: options.invariants } : {}),
      ...(options.model === undefined ? {} : { model: options.model }),
      ...(options.verdict ? { verdict: options.verdict } : {}),
    });
  const budget: RunBudget = {
    numRuns: options.numRuns ?? 50,
    ...(options.maxRuns === undefined ? {} : { maxRuns: options.maxRuns }),
    ...(options.seed === undefined ? {} : { seed: options.seed }),
    ...(options.path === undefined ? {} : { path: options.path }),
  };
  const policy = options.policy;
  const inputs =
    options.inputs ??
    (policy
      ? orderInputArbitrary({ withPolicy: false }).map((input) => ({ ...input, policy }))
      : orderInputArbitrary());
  const stepper = machineStepper(machine, options.verdict);
  const properties = invariantProperties(stepper, { inputs, ...(options.policy ? { policy: options.policy } : {}) });
  const runOptions = {
    inputs,
    strict: options.model !== 'states',
    ...(options.policy ? { policy: options.policy } : {}),
  };
  // The pure model comparison first: it sees every broken guard, so a broken machine fails in a fraction of the budget.
  if (options.model !== false)
    assertProperty(
      `${machine.id}: agrees with the reference model (pure)`,
      modelBasedProperty(() => machinePureDriver(machine), runOptions),
      budget,
    );
  for (const name of options.invariants ?? invariantNames)
    assertProperty(`${machine.id}: ${name}`, properties[name] as fc.IRawProperty<unknown>, budget);
  if (options.model === false) return;
  assertProperty(
    `${machine.id}: agrees with the reference model (live actor)`,
    modelBasedProperty(() => machineActorDriver(machine), runOptions),
    budget,
  );
  assertProperty(
    `${machine.id}: agrees with the reference model (serialize and restore)`,
    modelBasedProperty(() => machinePureDriver(machine), { ...runOptions, restore: true }),
    budget,
  );
}
