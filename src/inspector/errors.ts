import { OrderLifecycleError } from '../domain/index.js';

/**
 * Thrown by the inspector when it cannot start or cannot load a recorded order; the message is one
 * sentence naming the offending value (the host, the port, the file, the field).
 * @example
 * try { await startInspector({ host: '0.0.0.0' }); } catch (e) { if (e instanceof InspectorError) console.error(e.message); }
 */
export class InspectorError extends OrderLifecycleError {
  override name = 'InspectorError';
}
