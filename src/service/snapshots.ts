import type { OrderSnapshot } from '../runtime/index.js';
import type { OrderService } from './service.js';

/**
 * Every stored order's snapshot, page by page (1,000 ids a page) through `service.list` and `service.get`, each
 * page's reads at once. Used by the `metrics` and `simulate` commands.
 * @example
 * const metrics = sellerMetrics(await storedSnapshots(service), { now: Date.now() });
 */
export async function storedSnapshots(service: OrderService): Promise<OrderSnapshot[]> {
  const snapshots: OrderSnapshot[] = [];
  const limit = 1000;
  let afterId: string | undefined;
  for (;;) {
    const page = await service.list({ limit, ...(afterId === undefined ? {} : { afterId }) });
    const stored = await Promise.all(page.map((listing) => service.get(listing.orderId)));
    for (const order of stored) if (order) snapshots.push(order.snapshot);
    if (page.length < limit) return snapshots;
    afterId = page.at(-1)!.orderId;
  }
}
