import { enInspector } from './en-inspector.js';

/**
 * The package's words in English, keyed by code: refusals by `RefusalCode` (a situation's own wording as
 * `CODE:variant`), outcomes of accepted events by key, the command line's words as `cli.*`, the inspector page's
 * as `inspector.*` (en-inspector.ts, a module of its own for the page's bundle); then the names a
 * message mentions and the units of a duration. Every locale has the same keys (`Locale`).
 * @example
 * en.texts.NO_LABEL; // 'There is no shipping label to void.'
 */
export const en = {
  texts: {
    // Refusals, by code.
    EVENT_BEFORE_PLACEMENT: 'The event at {at} happened before the order was placed at {placedAt}, so it was refused.',
    BUYER_WINDOW_CLOSED:
      'The {window} in which the buyer can cancel by themselves have passed: the buyer can request a cancellation (Your Account > Your Orders > Request Cancellation), but only the seller can cancel the order.',
    ORDER_PENDING:
      'The order is still pending: during the first {window} only the buyer can cancel it, and it cannot be shipped yet.',
    LABEL_GENERATED:
      'A shipping label has already been generated: inform the buyer that you are unable to cancel the order at this stage and ask them to return the item for a refund.',
    NO_LABEL: 'There is no shipping label to void.',
    ALREADY_SHIPPED:
      'The order has been shipped and confirmed: tell the buyer that the order is already on its way and ask them to return it for a refund.',
    ALREADY_CANCELED:
      'The order is already cancelled, and a cancellation cannot be undone: if it was a mistake, contact the buyer through Buyer-Seller Messaging and, if the buyer wishes, encourage them to place a new order.',
    FULFILLED_BY_AMAZON: 'This order is Fulfilled by Amazon: the seller cannot cancel it.',
    QUANTITY_EXCEEDS_REMAINING: 'Cannot cancel {requested} of item {orderItemId}: only {remaining} remain.',
    UNKNOWN_ITEM: 'Item {orderItemId} is not part of order {orderId}.',
    REFUSED_BY_MACHINE:
      'The machine refused {event} in state {status}: its guard "{guard}" did not allow it, although the package\'s rules would have.',
    // Refusals worded for a situation: the code stays the same.
    'ALREADY_CANCELED:auto':
      'Amazon cancelled this order automatically because its shipment was not confirmed in time ({autoCancel} after the latest ship date); this cancellation counts against your Cancellation Rate and cannot be undone. Contact the buyer through Buyer-Seller Messaging and, if the buyer wishes, invite them to place a new order.',
    'ALREADY_SHIPPED:conflict':
      'The marketplace reports a cancellation, but this order has already shipped here and an ended order cannot change: reconcile the two by hand (the buyer may return the item).',
    'ALREADY_CANCELED:conflict':
      'The marketplace reports a shipment, but this order was already cancelled here and an ended order cannot change: reconcile the two by hand.',
    'LABEL_GENERATED:buyer':
      'A shipping label has already been generated, so nobody can cancel the order now: the buyer may return the item for a refund once it arrives.',
    'ORDER_PENDING:marketplace':
      'Amazon reports the order as Pending (not ready for shipment, e.g. payment not yet authorized): it cannot be shipped or cancelled by the seller until Amazon reports it Unshipped.',
    'QUANTITY_EXCEEDS_REMAINING:ship':
      'Cannot ship {requested} of item {orderItemId}: only {remaining} are neither shipped nor cancelled.',
    'FULFILLED_BY_AMAZON:ship':
      'This order is Fulfilled by Amazon: Amazon buys the label and ships it, so the seller cannot buy a label or confirm its shipment.',
    // Outcomes of accepted events; some carry guidance too.
    orderPlaced: 'Order {orderId} placed; the buyer may cancel it until {until}.',
    buyerCanceled:
      'The buyer cancelled the order within the {window} after purchase; this does not count against your Cancellation Rate.',
    officialRequest:
      'Official cancellation request recorded for items {items}: cancel them with the reason Buyer Canceled and it will not count against your metrics.',
    nonStandardRequest:
      'This request (items {items}) is not an official cancellation request, so cancelling on it may count against your metrics. Ask the buyer to submit one: "You can find the order in your Amazon account by clicking Your Account > Your Orders > Request Cancellation". If you cannot fulfil the order for lack of inventory, cancel with the reason No Inventory instead.',
    requestAlreadyRecorded:
      'The same cancellation request (items {items}) is already on record; nothing new was recorded and nobody is notified again.',
    sellerCanceledNotCounted:
      "Cancelled {quantity} unit(s) with the reason {reason} on the buyer's official request; this does not count against your Cancellation Rate. Amazon emails you and the buyer.",
    sellerCanceledCounted:
      'Cancelled {quantity} unit(s) with the reason {reason}; this counts against your Cancellation Rate. Amazon emails you and the buyer.',
    buyerCanceledWithoutRequest:
      'Cancelled {quantity} unit(s) with the reason {reason}, but no official cancellation request covers items {items}, so this counts against your Cancellation Rate. Next time, ask the buyer to request cancellation first (Your Account > Your Orders > Request Cancellation).',
    buyerCanceledPartlyRequested:
      'Cancelled {quantity} unit(s) with the reason {reason}; the official request does not cover items {items}, so this cancellation counts against your Cancellation Rate. Cancel only the requested items with Buyer Canceled to keep it from counting.',
    labelGenerated: 'Shipping label generated: from now on the order can no longer be cancelled.',
    labelVoided: 'Shipping label voided; cancellation does not reopen: the order stays label-generated.',
    shipped: 'Shipment confirmed.',
    shippedLate: 'Shipment confirmed after the latest ship date; it counts towards your Late Shipment Rate.',
    timePassed: 'Time advanced to {at}; the order is {status}.',
    marketplaceCanceled:
      'The marketplace reports that the order was cancelled by the {by} at {at}; the order follows it.',
    marketplaceShipped: 'The marketplace reports that the order shipped at {at}; the order follows it.',
    marketplaceStatus:
      'The marketplace reports the order as {reported} at {at}; the seller may ship and cancel it only while it is not pending.',
    marketplaceConflict:
      "The marketplace reports {fact} at {at}, which contradicts this order's history (it was {status}); the marketplace is right, so the report was applied over it. Check what your system did with the order.",
    duplicate: 'Event {eventId} was already applied to this order; nothing changed.',
    acceptedByMachine:
      "The machine accepted {event} in state {status}, although the package's rules would have refused it ({code}).",
    // The command line's words.
    'cli.accepted': 'accepted',
    'cli.refused': 'refused {code}',
    'cli.late': 'late',
    'cli.duplicate': 'duplicate',
    'cli.conflict': 'conflict',
    'cli.flagged': '{mark} ({flags})',
    'cli.flagSeparator': ', ',
    'cli.noStatus': '(none)',
    'cli.noEffects': 'none',
    'cli.verdict': 'verdict',
    'cli.status': 'status',
    'cli.version': 'version',
    'cli.effects': 'effects',
    'cli.at': 'at',
    'cli.stepEffects': 'effects: {effects}',
    'cli.context': 'context',
    'cli.unchanged': 'unchanged',
    'cli.explainedOnly': '(explained only: nothing was stored)',
    'cli.walkTitle': 'Order cancellation rules, one order per rule',
    'cli.seq': 'seq',
    'cli.recordedAt': 'recorded at',
    'cli.event': 'event',
    'cli.eventAt': 'at',
    'cli.statusBeforeAfter': 'status before -> after',
    'cli.refusalCounts': ' ({counts})',
    'cli.refusalCountSeparator': ', ',
    'cli.aside': '{text} ({aside})',
    'cli.then': '{first}, {then}',
    'cli.colon': '{label}: {text}',
    'cli.heading': '{label}:',
    'cli.storedStep': '{label}: {mark} -> {after}; {message}; {effects}',
    'cli.listSeparator': ', ',
    'cli.clauseSeparator': ', ',
    'cli.healthy': 'healthy',
    'cli.overTarget': 'over target',
    'cli.inARow': '{sku}: {count} in a row',
    'cli.column.metric': 'metric',
    'cli.column.window': 'window',
    'cli.column.from': 'from',
    'cli.column.to': 'to',
    'cli.column.count': 'count',
    'cli.column.orders': 'orders',
    'cli.column.records': 'records',
    'cli.column.rate': 'rate',
    'cli.column.target': 'target',
    'cli.column.status': 'status',
    'cli.days': '{count} days',
    // `apply-feed`
    'cli.applyFeed.title': 'Processing report for {file}',
    'cli.applyFeed.summary':
      'processed {processed}, successful {successful}, with error {errors}, with warning {warnings}',
    'cli.applyFeed.none': 'every message was applied without an error or a warning',
    'cli.applyFeed.message': 'message',
    'cli.applyFeed.report': 'processing report XML written to {file}',
    // `metrics`
    'cli.metrics.title': 'Seller metrics at {now} (seller-fulfilled orders)',
    'cli.cancellationRate': 'Cancellation Rate',
    'cli.lateShipmentRate': 'Late Shipment Rate',
    'cli.metrics.risks':
      'Listing suppression risks (two or more seller cancellations in a row, of orders placed in the last 30 days):',
    'cli.metrics.noRisks': 'Listing suppression risks: none',
    'cli.metrics.unattributed':
      'Cancellation Rate may be understated: {orders} cancelled without saying by whom (not counted); if all counted: {rate}',
    'cli.metrics.ordersWere.one': '{count} order was',
    'cli.metrics.ordersWere.other': '{count} orders were',
    // `replay`
    'cli.replay.title': '{orderId}: {steps} replayed through the current machine (version {version})',
    'cli.replay.storedSteps.one': '{count} stored step',
    'cli.replay.storedSteps.other': '{count} stored steps',
    'cli.replay.same': 'reproduced',
    'cli.replay.differs': 'DIFFERS in {parts}',
    'cli.replay.part.verdict': 'verdict',
    'cli.replay.part.message': 'message',
    'cli.replay.part.status': 'status',
    'cli.replay.part.effects': 'effects',
    'cli.replay.stored': 'stored',
    'cli.replay.all': 'every stored verdict reproduced ({count} of {count})',
    'cli.replay.some': '{bad} of {count} stored steps not reproduced',
    // `simulate`
    'cli.simulate.title':
      "A seller's week, simulated: {orders} orders over {days} days from {start} (seed {seed}), on {store}",
    'cli.simulate.clock':
      'The sweeper moved the clock to {end}Z in {sweeps} steps (every order settled) and applied {ticks} deadline ticks.',
    'cli.simulate.finalState': 'final state',
    'cli.simulate.share': 'share',
    'cli.simulate.reason': 'cancellation reason',
    'cli.simulate.by': 'by',
    'cli.simulate.cancelledBy': 'cancelled by',
    'cli.simulate.countedAgainstSeller': 'counted against the seller',
    'cli.simulate.who.buyer': 'buyer',
    'cli.simulate.who.seller': 'seller',
    'cli.simulate.who.marketplace': 'Amazon (marketplace)',
    'cli.simulate.who.auto': 'Amazon auto-cancel (sweeper)',
    'cli.simulate.counted':
      '{total} cancellation records (a partial cancel is one), {counted} count against the seller.',
    'cli.simulate.health':
      'Account health at the end of the week ({weekEnd}Z, sellerMetrics, seller-fulfilled orders):',
    'cli.simulate.risks': 'Offers at risk (two or more seller cancellations of a SKU in a row):',
    'cli.simulate.noRisks': 'Offers at risk: none',
    'cli.simulate.daily': 'Daily Cancellation Rate (end of each day):',
    'cli.simulate.amazon':
      'Amazon: {notifications} ORDER_CHANGE notifications ({events} events), {feeds} cancellation feeds ({messages} messages, {errors} with errors).',
    'cli.simulate.events': 'Events: {applied} applied, {accepted} accepted, {refused} refused{refusals}.',
    'cli.simulate.chart': 'Chart of the daily Cancellation Rate: {file}',
    'cli.simulate.next': 'Next:',
    'cli.simulate.nextMetrics': 'the same rates, any day',
    'cli.simulate.nextInspect': 'open the orders and replay their histories',
    'cli.simulate.nextSeed': 'another week',
    'cli.simulate.done': 'simulated {orders} orders in {seconds} s; chart written to {chart}',
    // `status`
    'cli.status.order': 'order',
    'cli.status.placed': 'placed',
    'cli.status.latestShip': 'latest ship date',
    'cli.status.deadline': 'next deadline',
    'cli.status.due': '{status} by {time}: the deadline has passed (a sweep or the next event stores it)',
    'cli.status.none': 'none',
    'cli.status.notKnown': 'not known yet',
    'cli.status.marketplacePending': 'Amazon reports the order Pending',
    'cli.status.noLatestShipDate': 'no auto-cancel until Amazon gives a latest ship date',
    'cli.status.buyerWindowCloses': "the buyer's cancel window closes",
    'cli.status.autoCancel': 'auto-cancel if not shipped',
    'cli.status.items': 'items',
    'cli.status.quantity': 'quantity {count}',
    'cli.status.canceled': 'cancelled {count}',
    'cli.status.shipped': 'shipped {count}',
    'cli.status.requested': 'buyer asked to cancel',
    'cli.status.may': 'the seller at {time}:',
    'cli.status.yes': 'yes',
    'cli.status.no': 'no',
    // `sweep`
    'cli.sweep.title': 'Sweep at {now}',
    'cli.sweep.applied': 'applied:   {orders} moved on by a clock.tick at its deadline',
    'cli.sweep.remaining': 'remaining: {orders} still due',
    'cli.sweep.failed': 'failed:    {orders} could not be read (left as they are)',
    'cli.sweep.dueOrders.one': '{count} due order',
    'cli.sweep.dueOrders.other': '{count} due orders',
    'cli.sweep.orders.one': '{count} order',
    'cli.sweep.orders.other': '{count} orders',
    // The inspector page's words.
    ...enInspector,
  },
  /** Cancel reasons by name. */
  reasons: {
    NoInventory: 'No Inventory',
    BuyerCanceled: 'Buyer Canceled',
    ShippingAddressUndeliverable: 'Shipping Address Undeliverable',
    CustomerExchange: 'Customer Exchange',
    GeneralAdjustment: 'General Adjustment',
    CarrierCreditDecision: 'Carrier Credit Decision',
    RiskAssessmentInformationNotValid: 'Risk Assessment Information Not Valid',
    CarrierCoverageFailure: 'Carrier Coverage Failure',
    CustomerReturn: 'Customer Return',
    MerchandiseNotReceived: 'Merchandise Not Received',
    CannotVerifyInformation: 'Cannot Verify Information',
    PricingError: 'Pricing Error',
    RejectOrder: 'Reject Order',
    WeatherDelay: 'Weather Delay',
    BuyerSelfCanceled: 'buyer cancelled',
    NotShippedInTime: 'not shipped in time',
  },
  /** Order statuses. */
  statuses: {
    'buyer-cancellable': 'buyer-cancellable (pending)',
    unshipped: 'unshipped',
    'label-generated': 'label-generated',
    shipped: 'shipped',
    canceled: 'canceled',
    'auto-canceled': 'auto-canceled',
  },
  /** The marketplace's readiness words (Amazon's Pending and Unshipped). */
  reported: {
    pending: 'Pending',
    unshipped: 'Unshipped',
  },
  /** Who cancelled, as a marketplace fact names them. */
  parties: {
    buyer: 'buyer',
    seller: 'seller',
    amazon: 'marketplace',
    unknown: 'party the marketplace did not name',
  },
  /** A duration's units, one and many. */
  units: {
    day: ['day', 'days'],
    hour: ['hour', 'hours'],
    minute: ['minute', 'minutes'],
    second: ['second', 'seconds'],
    millisecond: ['ms', 'ms'],
  },
};

/** A locale: every text, name and unit `en` has, under the same keys. */
export type Locale = typeof en;
