import type { ItemQuantity } from './schemas.js';
import type { Message } from './messages.js';

/**
 * What the machine asks the world to do, as typed emitted events. The machine sends no mail: a back end
 * stores effects with the new snapshot (an outbox) and delivers them.
 */
export type Effect =
  | { type: 'buyer.notified'; orderId: string; at: number; topic: 'orderCanceled' | 'itemsCanceled' | 'orderShipped' }
  | {
      type: 'seller.notified';
      orderId: string;
      at: number;
      topic: 'orderCanceled' | 'itemsCanceled' | 'autoCanceled' | 'cancellationRequested';
    }
  | { type: 'items.refunded'; orderId: string; at: number; items: ItemQuantity[] }
  | { type: 'buyer.guidance'; orderId: string; at: number; message: Message };
