/**
 * order-lifecycle/testing: fast-check arbitraries, an independent reference model of the order rules,
 * model-based commands, the invariants as properties, and `checkOrderMachine` for machines apps extend.
 * @packageDocumentation
 * @module order-lifecycle/testing
 */
export * from './model.js';
export * from './arbitraries.js';
export * from './drivers.js';
export {
  observeSnapshot,
  observeModel,
  normalizeEffects,
  statusOf,
  assertEqual,
  canonical,
  type Observation,
} from './observe.js';
export {
  EventCommand,
  AdvanceTimeCommand,
  RestoreCommand,
  orderCommandsArbitrary,
  modelBasedProperty,
  type ModelState,
  type RealState,
  type ModelRunOptions,
} from './commands.js';
export {
  invariantNames,
  invariantProperties,
  malformedEventArbitrary,
  machineStepper,
  pureFunctionsStepper,
  type InvariantName,
  type OrderStepper,
} from './invariants.js';
export { propertyParameters, assertProperty, type RunBudget } from './params.js';
export { checkOrderMachine, type CheckOrderMachineOptions } from './check.js';
