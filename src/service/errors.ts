import { OrderLifecycleError, RestoreError } from '../domain/index.js';

/**
 * Thrown when the service is asked about an order id it does not store.
 * @example
 * try { await service.apply('no-such-order', event); } catch (e) { if (e instanceof OrderNotFoundError) reply(404); }
 */
export class OrderNotFoundError extends OrderLifecycleError {
  override name = 'OrderNotFoundError';
  constructor(readonly orderId: string) {
    super(`Order ${JSON.stringify(orderId)} does not exist.`);
  }
}

/**
 * Thrown when a request contradicts what is stored: an existing order id placed with another input, an
 * idempotency key reused for another request, or an order that kept changing under a writer.
 * @example
 * try { await service.place(input); } catch (e) { if (e instanceof OrderConflictError) reply(409); }
 */
export class OrderConflictError extends OrderLifecycleError {
  override name = 'OrderConflictError';
  constructor(
    readonly orderId: string,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Thrown when a stored order does not parse or carries a version this code cannot read; the row is left as it
 * is and other orders are not affected. `cause` is the core's RestoreError.
 * @example
 * try { await service.get(id); } catch (e) { if (e instanceof UnreadableOrderError) alert(e.orderId, e.message); }
 */
export class UnreadableOrderError extends RestoreError {
  override name = 'UnreadableOrderError';
  constructor(
    readonly orderId: string,
    cause: unknown,
  ) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    super(
      `Stored order ${JSON.stringify(orderId)} cannot be read: ${reason.charAt(0).toLowerCase()}${reason.slice(1)}`,
      { cause },
    );
  }
}
