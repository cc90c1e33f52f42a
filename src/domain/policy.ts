import * as z from 'zod/mini';
import { DAY } from './time.js';
import { DEFAULT_AUTO_CANCEL_AFTER_MS, DEFAULT_BUYER_CANCEL_WINDOW_MS } from './defaults.js';
import { parseOrThrow } from './parse.js';

/**
 * The numbers behind the rules. Defaults follow the seller help page: the buyer may cancel for 30
 * minutes after purchase; an order not ship-confirmed 7 days after its latest ship date is cancelled.
 * @example
 * Policy.parse({ buyerCancelWindowMs: 30 * 60_000, autoCancelAfterMs: 5 * 86_400_000 });
 */
export const Policy = z
  .strictObject({
    /** How long after purchase the buyer may cancel by themselves (Amazon holds the order as Pending). */
    buyerCancelWindowMs: z.number().check(z.int(), z.positive()),
    /** How long after the latest ship date an order that is not ship-confirmed is cancelled by Amazon. */
    autoCancelAfterMs: z.number().check(z.int(), z.positive()),
  })
  .check(
    z.refine((p) => p.autoCancelAfterMs > p.buyerCancelWindowMs, {
      message: 'autoCancelAfterMs must be longer than buyerCancelWindowMs',
      path: ['autoCancelAfterMs'],
    }),
  );
export type Policy = z.infer<typeof Policy>;

/** A partial policy that overrides a preset field by field. */
export const PolicyOverride = z.strictObject({
  buyerCancelWindowMs: z.optional(z.number().check(z.int(), z.positive())),
  autoCancelAfterMs: z.optional(z.number().check(z.int(), z.positive())),
});
export type PolicyOverride = z.infer<typeof PolicyOverride>;

/**
 * The seed's policy: a 30-minute buyer window and auto-cancel 7 days after the latest ship date.
 * @example
 * const window = defaultPolicy.buyerCancelWindowMs; // 1_800_000
 */
export const defaultPolicy: Policy = Object.freeze({
  buyerCancelWindowMs: DEFAULT_BUYER_CANCEL_WINDOW_MS,
  autoCancelAfterMs: DEFAULT_AUTO_CANCEL_AFTER_MS,
});

/**
 * Named presets. `fiveDayAutoCancel` is the variant DESIGN.md mentions for marketplaces that cancel
 * after 5 days; the help page does not say which marketplaces those are, so none is mapped to it here:
 * pass it (or an override) yourself where your marketplace uses it.
 * @example
 * createOrder(input, { policy: policyPresets.fiveDayAutoCancel });
 */
export const policyPresets = Object.freeze({
  default: defaultPolicy,
  fiveDayAutoCancel: Object.freeze({ ...defaultPolicy, autoCancelAfterMs: 5 * DAY }) as Policy,
});

/**
 * Per-marketplace presets, keyed by SP-API marketplace id. The help page states its numbers for all
 * marketplaces; these entries exist so that a marketplace that differs can be changed in one place.
 */
export const marketplacePolicies: Readonly<Record<string, Policy>> = Object.freeze({
  ATVPDKIKX0DER: defaultPolicy, // amazon.com
  A2EUQ1WTGCTBG2: defaultPolicy, // amazon.ca
  A1AM78C64UM0Y8: defaultPolicy, // amazon.com.mx
  A1F83G8C2ARO7P: defaultPolicy, // amazon.co.uk
  A1PA6795UKMFR9: defaultPolicy, // amazon.de
  A13V1IB3VIYZZH: defaultPolicy, // amazon.fr
  APJ6JRA9NG5V4: defaultPolicy, // amazon.it
  A1RKKUPIHCS9HS: defaultPolicy, // amazon.es
  A1VC38T7YXB528: defaultPolicy, // amazon.co.jp
});

/**
 * The policy for an order: the marketplace preset (or the default), then the override on top.
 * @example
 * resolvePolicy('ATVPDKIKX0DER', { autoCancelAfterMs: 5 * 86_400_000 });
 */
export function resolvePolicy(marketplaceId?: string, override?: PolicyOverride): Policy {
  // Stryker disable next-line ConditionalExpression: every marketplace listed maps to defaultPolicy, so the lookup and the default give one base
  const base = (marketplaceId && marketplacePolicies[marketplaceId]) || defaultPolicy;
  const merged = { ...base, ...parseOrThrow(PolicyOverride, override ?? {}, 'policy') };
  return parseOrThrow(Policy, merged, 'policy');
}
