/**
 * order-lifecycle/inspector: the offline inspector (server, page, `@statelyai/inspect` adapter). Kept
 * behind its own subpath so the main entry never loads a server or WebAssembly.
 * @packageDocumentation
 * @module order-lifecycle/inspector
 */
export {
  startInspector,
  isLoopbackHost,
  DEFAULT_INSPECTOR_PORT,
  PAGE_SOCKET_PATH,
  type Inspector,
  type InspectorOptions,
} from './server.js';
export {
  OrderBook,
  InspectionMessage,
  diffContext,
  applyChanges,
  contextAt,
  RESYNC_EVENT,
  type OrderView,
  type StepView,
  type ContextChange,
  type OrderChange,
  type InspectorLogger,
} from './orders.js';
export type { ActivityEntry, ServerMessage } from './client/protocol.js';
export { loadRecordings, readRecordingFile, type LoadedRecording } from './recording.js';
export { statechartDot, renderStatechart, stateElementId, edgeElementId } from './chart.js';
export type { ChartEdge } from '../runtime/index.js';
export { openStoredOrders, recordingFromHistory, type StoredOrders } from './stored.js';
export { InspectorError } from './errors.js';
export { MissingDependencyError } from '../domain/index.js';
export { connectInspector, type ConnectInspectorOptions, type InspectorConnection } from './connect.js';
