/**
 * The simulation behind `order-lifecycle simulate` (internal): a seeded seller's week planned a day at a time and pushed
 * through the durable order service in virtual time, with the sweeper as the clock.
 */
export {
  simulate,
  figuresOf,
  storedFigures,
  SimulationRunner,
  runClock,
  simulationNow,
  emptyCounters,
  addCounters,
} from './engine.js';
export type { SimulationFigures, SimulationCounters, SimulationClock } from './engine.js';
export { PlanStream, planSimulation, scenarioKinds, SWEEP_STEP_MS } from './plan.js';
export { dailyRateChart } from './chart.js';
export { storedSnapshots } from '../service/index.js';
