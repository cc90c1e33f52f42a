import type { Command } from 'commander';
import { type Lang, type OrderEvent, type OrderStatus, type Verdict } from '../domain/index.js';
import { renderCli } from '../domain/locales/cli.js';
import { applyEvent, explain, orderStatus, type OrderSnapshot } from '../runtime/index.js';
import type { StoredOrder } from '../service/index.js';
import { formatAt, isoTime, labelled, statusText, verdictMark, type KeysUnder, type TextParams } from './format.js';
import {
  cliCommand,
  instantOption,
  jsonOption,
  langOption,
  storedOrder,
  withExamples,
  withService,
  withStoreOptions,
  type StoreOptions,
} from './options.js';

interface StatusOptions extends StoreOptions {
  now?: string;
  lang: Lang;
  json: boolean;
}

/** One thing the seller could do now, and what the order would say to it. */
export interface SellerAction {
  event: OrderEvent['type'];
  allowed: boolean;
  verdict: Verdict;
}

/**
 * What the seller may do to the order at `now`: the machine's verdict on each seller command (a cancel asked
 * with reason NoInventory), without applying anything.
 * @example
 * sellerActions(stored.snapshot, Date.now()).filter((action) => action.allowed).map((action) => action.event);
 */
export function sellerActions(snapshot: OrderSnapshot, now: number): SellerAction[] {
  const at = Math.max(now, snapshot.context.clock);
  const events: OrderEvent[] = [
    { type: 'seller.generateLabel', at },
    { type: 'seller.confirmShipment', at },
    { type: 'seller.voidLabel', at },
    { type: 'seller.cancel', at, reason: 'NoInventory' },
  ];
  return events.map((event) => {
    const verdict = explain(snapshot, event);
    return { event: event.type, allowed: verdict.accepted, verdict };
  });
}

/** What falls due at the next deadline: the buyer's window closing, or the auto-cancel (null when nothing is due). */
function deadlineKind(stored: StoredOrder): 'buyerWindowCloses' | 'autoCancel' | null {
  if (stored.nextDeadline === null) return null;
  return stored.status === 'buyer-cancellable' ? 'buyerWindowCloses' : 'autoCancel';
}

/** Why an open order has no deadline: Amazon holds it as Pending, or has not given a latest ship date yet. */
function whyNoDeadline(stored: StoredOrder): 'marketplacePending' | 'noLatestShipDate' | null {
  const context = stored.snapshot.context;
  if (stored.nextDeadline !== null || !['buyer-cancellable', 'unshipped', 'label-generated'].includes(stored.status))
    return null;
  if (context.marketplaceStatus === 'pending') return 'marketplacePending';
  return context.latestShipDate === null && context.fulfillmentChannel === 'MFN' ? 'noLatestShipDate' : null;
}

/**
 * The next deadline of a stored order in its own offset, with what falls due then (or why there is none).
 * @example
 * deadlineText(stored, 'en'); // "2026-12-01 09:30:00 GMT+8 (the buyer's cancel window closes)"
 */
export function deadlineText(stored: StoredOrder, lang: Lang): string {
  const w = (key: KeysUnder<'cli.status.'>) => renderCli(lang, `cli.status.${key}`);
  const kind = deadlineKind(stored);
  const why = whyNoDeadline(stored);
  if (stored.nextDeadline === null || kind === null)
    return why ? renderCli(lang, 'cli.aside', { text: w('none'), aside: w(why) }) : w('none');
  const at = formatAt(stored.nextDeadline, stored.snapshot.context.utcOffsetMinutes);
  return renderCli(lang, 'cli.aside', { text: at, aside: w(kind) });
}

/** The status the order has at `now` from time alone: a deadline that passed is applied only by a sweep or an event. */
function statusNow(stored: StoredOrder, now: number): OrderStatus {
  const at = Math.max(now, stored.snapshot.context.clock);
  return orderStatus(applyEvent(stored.snapshot, { type: 'clock.tick', at }).snapshot);
}

function formatStatus(stored: StoredOrder, actions: readonly SellerAction[], now: number, lang: Lang): string {
  const w = (key: KeysUnder<'cli.status.'>, params: TextParams = {}) => renderCli(lang, `cli.status.${key}`, params);
  const context = stored.snapshot.context;
  const current = statusNow(stored, now);
  const offset = context.utcOffsetMinutes;
  const deadline = deadlineText(stored, lang);
  const time = formatAt(Math.max(now, context.clock), offset);
  const head = labelled([
    [w('order'), stored.orderId],
    [renderCli(lang, 'cli.status'), statusText(stored.status, lang)],
    ...(current === stored.status ? [] : [['', w('due', { status: current, time })] as const]),
    [renderCli(lang, 'cli.version'), String(stored.version)],
    [w('placed'), formatAt(context.placedAt, offset)],
    [w('latestShip'), context.latestShipDate === null ? w('notKnown') : formatAt(context.latestShipDate, offset)],
    [w('deadline'), deadline],
  ]);
  const items = context.items.map((item) => {
    const facts = [
      w('quantity', { count: item.quantity }),
      w('canceled', { count: item.quantityCanceled }),
      ...(item.quantityShipped ? [w('shipped', { count: item.quantityShipped })] : []),
      ...(item.buyerRequestedCancel ? [w('requested')] : []),
    ];
    return `    ${renderCli(lang, 'cli.colon', {
      label: item.sku ? renderCli(lang, 'cli.aside', { text: item.orderItemId, aside: item.sku }) : item.orderItemId,
      text: facts.join(renderCli(lang, 'cli.clauseSeparator')),
    })}`;
  });
  // A reason several actions share (an ended order refuses every one for the same reason) is shown once, below them.
  const counts = new Map<string, number>();
  for (const action of actions)
    counts.set(action.verdict.message[lang], (counts.get(action.verdict.message[lang]) ?? 0) + 1);
  const shared = [...new Set(actions.map((action) => action.verdict.message[lang]))].filter(
    (text) => counts.get(text)! > 1,
  );
  const may = actions.map((action) => {
    const label = action.allowed
      ? w('yes')
      : renderCli(lang, 'cli.then', { first: w('no'), then: verdictMark(action.verdict, lang) });
    const text = action.verdict.message[lang];
    return shared.includes(text)
      ? `    ${action.event.padEnd(23)} ${label}`
      : `    ${action.event.padEnd(23)} ${renderCli(lang, 'cli.colon', { label, text })}`;
  });
  for (const text of shared) {
    const codes = [
      ...new Set(
        actions
          .filter((action) => action.verdict.message[lang] === text)
          .map((action) => (action.allowed ? w('yes') : (action.verdict.code ?? w('no')))),
      ),
    ];
    may.push(`    ${renderCli(lang, 'cli.colon', { label: codes.join(renderCli(lang, 'cli.listSeparator')), text })}`);
  }
  return `${head}\n  ${renderCli(lang, 'cli.heading', { label: w('items') })}\n${items.join('\n')}\n  ${w('may', { time })}\n${may.join('\n')}\n`;
}

/** The status as JSON: instants as ISO-8601 in UTC. */
function statusJson(stored: StoredOrder, actions: readonly SellerAction[], now: number): unknown {
  const context = stored.snapshot.context;
  return {
    orderId: stored.orderId,
    status: stored.status,
    statusNow: statusNow(stored, now),
    version: stored.version,
    placedAt: isoTime(context.placedAt),
    latestShipDate: context.latestShipDate === null ? null : isoTime(context.latestShipDate),
    nextDeadline: isoTime(stored.nextDeadline),
    nextDeadlineKind: deadlineKind(stored),
    ...(whyNoDeadline(stored) ? { noDeadlineBecause: whyNoDeadline(stored) } : {}),
    items: context.items,
    cancellations: context.cancellations.map((cancellation) => ({ ...cancellation, at: isoTime(cancellation.at) })),
    sellerMayNow: {
      at: isoTime(Math.max(now, context.clock)),
      actions: actions.map((action) => ({ event: action.event, allowed: action.allowed, verdict: action.verdict })),
    },
  };
}

/**
 * `order-lifecycle status <orderId>`: a stored order's status, version, next deadline, items with the
 * quantities cancelled, and what the seller may do now.
 * @example
 * buildProgram().addCommand(statusCommand());
 */
export function statusCommand(): Command {
  const command = withStoreOptions(
    cliCommand('status').description(
      "print a stored order's status, version, next deadline, items and what the seller may do now",
    ),
  )
    .argument('<orderId>', 'the order id, e.g. 114-3941689-8772232')
    .option('--now <iso>', 'the instant "now" means for what the seller may do, ISO-8601 with an offset (default: now)')
    .addOption(langOption('language of the text and messages'))
    .addOption(jsonOption());
  withExamples(
    command,
    'status 114-3941689-8772232 --db orders.db',
    'status 114-3941689-8772232 --database-url postgres://postgres@127.0.0.1:5432/test --json',
  );
  command.action(async (orderId: string, options: StatusOptions) => {
    const now = instantOption(command, '--now', options.now, Date.now());
    const stored = await withService(command, options, (service) => storedOrder(command, service, orderId), {
      readonly: true,
    });
    const actions = sellerActions(stored.snapshot, now);
    process.stdout.write(
      options.json
        ? `${JSON.stringify(statusJson(stored, actions, now), null, 2)}\n`
        : formatStatus(stored, actions, now, options.lang),
    );
  });
  return command;
}
