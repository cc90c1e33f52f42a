// The runtime's internal barrel: what the root entry and the modules above the runtime use. The package's public
// surface is src/index.ts, not this list.
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
  MAX_TIMER_MS,
  type OrderClock,
  type OrderActor,
  type OrderActorOptions,
  type OrderRefused,
} from './actor.js';
export { RecordedOrder, replayRecording, restoredVerdict, RESTORED_EVENT, type ReplayStep } from './recording.js';
export { describeStatechart, statechartMermaid, type ChartEdge } from './graph.js';
