/**
 * The package's words in English, keyed by code: refusals by `RefusalCode` (a situation's own wording as
 * `CODE:variant`), outcomes of accepted events by key; then the names a message mentions and the
 * units of a duration. The command line's words (`cli.*`, en-cli.ts) and the inspector page's (`inspector.*`,
 * en-inspector.ts) are tables of their own, so that an app bundling the core carries neither. Every locale has the same keys (`Locale`).
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
    joined: 'The inspector joined while this order was already running; its state is taken from the app.',
    restored: 'Restored at {at} from a saved snapshot, already {status}; the events before it are not in this history.',
    duplicate: 'Event {eventId} was already applied to this order; nothing changed.',
    acceptedByMachine:
      "The machine accepted {event} in state {status}, although the package's rules would have refused it ({code}).",
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
