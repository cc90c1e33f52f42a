export {
  createOrder,
  applyEvent,
  explain,
  parseEvent,
  stepParsed,
  type StepResult,
  type CreateOrderOptions,
} from './step.js';
export { orderStatus, nextDeadline, stateKey, type OrderSnapshot } from './snapshot.js';
export {
  serializeOrder,
  restoreOrder,
  upgradeOrderSnapshot,
  PersistedOrder,
  SNAPSHOT_SCHEMA_VERSION,
  type MigrateOrder,
  type RestoreOrderOptions,
} from './codec.js';
export {
  createOrderActor,
  systemClock,
  MAX_TIMER_MS,
  type OrderClock,
  type OrderActor,
  type OrderActorOptions,
  type OrderRefused,
} from './actor.js';
export { RecordedOrder, replayRecording, type ReplayStep } from './recording.js';
export {
  describeStatechart,
  statechartMermaid,
  formatDuration,
  type Chart,
  type ChartEdge,
  type ChartState,
} from './graph.js';
