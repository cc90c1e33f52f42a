/*
 * What the inspector's server and its page say to each other. Types only: the server imports them, and the
 * page's bundle (built from this folder) loses them at build time.
 */
import type { OrderChange, OrderView } from '../orders.js';

/** What the server tells the page: where to connect, how states nest, and the states' names. */
export interface ClientConfig {
  socketPath: string;
  /** State key to its parent compound state's key, e.g. `{ unshipped: 'placed' }`. */
  parents: Record<string, string>;
  /** Edge ids drawn under another edge's id (a state's self-loops share one drawn loop). */
  edgeAliases: Record<string, string>;
  /** The states an order can be in, key to the product brief's name, e.g. `{ labelGenerated: 'label-generated' }`. */
  statuses: Record<string, string>;
  /** Whether the server has an order store to list (`inspect --db` or `--database-url`). */
  stored?: boolean;
  /** The envelope of a saved snapshot (as `serializeOrder` writes it), to export a restored order from its start. */
  snapshot?: { format: string; schemaVersion: number; machineVersion: number };
}

/** One line of the page's activity panel: an app connection opened or dropped, or an ignored message. */
export interface ActivityEntry {
  at: number;
  kind: 'connected' | 'dropped' | 'ignored';
  message: string;
}

/** Messages the server sends to the page; each WebSocket frame is a JSON array of them. */
export type ServerMessage =
  | { type: 'orders'; orders: OrderView[]; activity: ActivityEntry[] }
  | OrderChange
  | { type: 'activity'; entry: ActivityEntry }
  | { type: 'loaded'; ids: string[] }
  | { type: 'error'; message: string };

/** Messages the page sends to the server: a recording the user opened, or a stored order to open. */
export type PageMessage = { type: 'load'; name: string; text: string } | { type: 'openStored'; orderId: string };
