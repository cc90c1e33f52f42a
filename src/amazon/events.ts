import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js';
import type { CancelReason } from '../domain/index.js';

/** An item and a quantity, as the core's events carry them. */
export interface ItemQuantity {
  orderItemId: string;
  quantity: number;
}

/** A buyer's official cancellation request (Amazon's per-item `IsBuyerRequestedCancel` flag). */
export interface BuyerRequestEvent {
  type: 'buyer.requestCancellation';
  at: number;
  source: 'order-flag';
  orderItemIds: string[];
  reason?: string;
  eventId: string;
}

/** A seller cancellation, as a feed row asks for it. */
export interface SellerCancelEvent {
  type: 'seller.cancel';
  at: number;
  reason: CancelReason;
  items?: ItemQuantity[];
  eventId: string;
}

/** Amazon reports that the order (or some items) was cancelled: a fact the local order converges to. */
export interface OrderCanceledFact {
  type: 'marketplace.orderCanceled';
  at: number;
  cancelledBy: 'buyer' | 'seller' | 'amazon' | 'unknown';
  reason?: string;
  /** Amazon's own words when `reason` is a code (v2026 free text). */
  note?: string;
  items?: ItemQuantity[];
  eventId: string;
}

/** Amazon's word on readiness: Pending holds the order, Unshipped lets the seller act; with the latest ship date. */
export interface StatusReportedFact {
  type: 'marketplace.statusReported';
  at: number;
  status: 'pending' | 'unshipped';
  latestShipDate?: number;
  eventId: string;
}

/** An Easy Ship pickup Amazon scheduled for the seller: a label exists (judged like the seller's own label). */
export interface EasyShipLabelEvent {
  type: 'seller.generateLabel';
  at: number;
  eventId: string;
}

/** Amazon reports that the order (or some items: the units shipped in all so far) shipped. */
export interface OrderShippedFact {
  type: 'marketplace.orderShipped';
  at: number;
  items?: ItemQuantity[];
  eventId: string;
}

/**
 * What the SP-API mapping returns: official requests, marketplace facts and Easy Ship labels, each with a
 * deterministic `eventId`. They are the core's event shapes (`applyEvent(snapshot, event)` takes them as they are).
 */
export type AmazonOrderEvent =
  BuyerRequestEvent | OrderCanceledFact | OrderShippedFact | StatusReportedFact | EasyShipLabelEvent;

const MAX_EVENT_ID = 128;

/**
 * A deterministic event id from the parts that identify a change (order, item, kind of change), never
 * from the time it was seen, so that pulling an order again or receiving a notification twice yields the
 * same id. Ids longer than the core's 128 characters are replaced by a digest of the same parts.
 */
export function eventIdOf(namespace: string, ...parts: string[]): string {
  const id = [namespace, ...parts].join(':');
  if (id.length <= MAX_EVENT_ID) return id;
  return `${namespace}:${digest(id, 40)}`;
}

/** A hex SHA-256 digest of `text`, cut to `length` characters. */
export function digest(text: string, length: number): string {
  return bytesToHex(sha256(utf8ToBytes(text))).slice(0, length);
}
