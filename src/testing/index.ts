/**
 * order-lifecycle/testing: fast-check arbitraries, model-based commands comparing the machine with the
 * independent reference model (`order-lifecycle/testing/model`), the invariants as properties, and `checkOrderMachine` for machines apps extend.
 * @packageDocumentation
 * @module order-lifecycle/testing
 */
export { checkOrderMachine, type CheckOrderMachineOptions } from './check.js';
export {
  checkOrderMachineExhaustively,
  checkOrderRecording,
  exhaustiveOrderInputs,
  OrderCounterexampleError,
  type ExhaustiveCheckOptions,
  type ExhaustiveCheckResult,
} from './exhaustive.js';
export {
  invariantNames,
  invariantProperties,
  malformedEventArbitrary,
  type InvariantName,
  type OrderStepper,
} from './invariants.js';
export { modelBasedProperty, type ModelRunOptions } from './commands.js';
export {
  orderInputArbitrary,
  orderScenarioArbitrary,
  officialSubjectArbitrary,
  type OrderInputOptions,
  type OrderScenario,
} from './arbitraries.js';
export {
  pureFunctionsDriver,
  liveActorDriver,
  machinePureDriver,
  machineActorDriver,
  type OrderDriver,
  type DriverSnapshot,
  type VerdictLike,
} from './drivers.js';
export { propertyParameters, assertProperty, type RunBudget } from './params.js';
export { OrderCheckError } from './errors.js';
