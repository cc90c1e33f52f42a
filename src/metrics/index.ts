/**
 * order-lifecycle/metrics: a seller's account-health figures (Cancellation Rate, Late Shipment Rate, listing
 * suppression risks) from order snapshots, pure: no clock, no store. `order-lifecycle metrics` prints them from a
 * store.
 * @packageDocumentation
 * @module order-lifecycle/metrics
 */
export {
  sellerMetrics,
  type SellerMetrics,
  type CancellationRate,
  type LateShipmentRate,
  type SuppressionRisk,
  type SkuCancellation,
} from '../domain/index.js';
