/*
 * The seed's default numbers as plain constants, without zod: `defaultPolicy` (policy.ts) is built from them, and
 * the messages take the durations they mention by default from here, so that they stay free of zod.
 */
import { DAY, MINUTE } from './instant-format.js';

/** How long after purchase the buyer may cancel by themselves, by default: 30 minutes. */
export const DEFAULT_BUYER_CANCEL_WINDOW_MS = 30 * MINUTE;

/** How long after the latest ship date Amazon cancels an order that is not ship-confirmed, by default: 7 days. */
export const DEFAULT_AUTO_CANCEL_AFTER_MS = 7 * DAY;
