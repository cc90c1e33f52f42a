import { OrderLifecycleError } from '../domain/index.js';

/**
 * Thrown by the testing kit when a check of an order machine fails (an invariant, the comparison with the reference
 * model, a whole property, whose message names the seed that replays it) or cannot run (a bad `FC_NUM_RUNS`).
 * @example
 * try { checkOrderMachine(appMachine); } catch (e) { if (e instanceof OrderCheckError) console.error(e.message); }
 */
export class OrderCheckError extends OrderLifecycleError {
  override name = 'OrderCheckError';
}
