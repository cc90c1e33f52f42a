/** The base class of every error this package throws on purpose. */
export class OrderLifecycleError extends Error {
  override name = 'OrderLifecycleError';
}

/**
 * Thrown when an order input, an event or a policy does not match its schema; nothing was changed.
 * @example
 * try { createOrder({ orderId: '' }); } catch (e) { if (e instanceof InvalidInputError) console.error(e.message); }
 */
export class InvalidInputError extends OrderLifecycleError {
  override name = 'InvalidInputError';
  constructor(
    /** What was being parsed: `order input`, `event`, `policy`. */
    readonly subject: string,
    /** The field paths and zod's explanation for each. */
    readonly details: string,
  ) {
    super(`Invalid ${subject}: ${details}`);
  }
}

/**
 * Thrown by `restoreOrder` when the text is not a snapshot this machine can resume.
 * @example
 * try { restoreOrder('{}'); } catch (e) { if (e instanceof RestoreError) console.error(e.message); }
 */
export class RestoreError extends OrderLifecycleError {
  override name = 'RestoreError';
}
