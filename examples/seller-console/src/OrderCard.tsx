import { useSelector } from '@xstate/react';
import { useState } from 'react';
import {
  CancelReason,
  explain,
  orderStatus,
  type Lang,
  type OrderActor,
  type OrderEventInput,
  type Verdict,
} from 'order-lifecycle';
import { countdown, formatTime, partyName, reasonName, statusName, t, type Word } from './i18n';
import { inspectorLink } from './inspector';

/** An event to judge now and, on click, to send: built for an instant so explain() and send() see the same one. */
type EventAt = (at: number) => OrderEventInput;

interface LastVerdict {
  label: Word;
  verdict: Verdict;
}

interface OrderCardProps {
  actor: OrderActor;
  lang: Lang;
  now: number;
  inspectorOn: boolean;
}

const placedStatuses = new Set(['buyer-cancellable', 'unshipped', 'label-generated']);

/** One order: its state, deadlines counting down, and a button per action, enabled exactly when the machine accepts it. */
export function OrderCard({ actor, lang, now, inspectorOn }: OrderCardProps) {
  const snapshot = useSelector(actor, (s) => s);
  const [last, setLast] = useState<LastVerdict | null>(null);
  const [reason, setReason] = useState<CancelReason>('NoInventory');
  const [quantities, setQuantities] = useState<Record<string, number>>({});
  const status = orderStatus(snapshot);
  const order = snapshot.context;

  const act = (label: Word, build: EventAt) => {
    const event = build(Date.now());
    // The verdict explain() gives is the one the machine applies: both judge the same snapshot and instant.
    setLast({ label, verdict: explain(actor.getSnapshot(), event) });
    actor.send(event);
  };

  const action = (label: Word, build: EventAt | null, why?: string) => {
    const verdict = build ? explain(snapshot, build(now)) : null;
    const refusal = verdict ? (verdict.accepted ? undefined : verdict.message[lang]) : why;
    return (
      <span className="action" data-tip={refusal}>
        <button
          type="button"
          disabled={refusal !== undefined}
          title={refusal}
          onClick={() => build && act(label, build)}
        >
          {t(lang, label)}
        </button>
      </span>
    );
  };

  const remaining = (id: string) => {
    const item = order.items.find((candidate) => candidate.orderItemId === id)!;
    return item.quantity - item.quantityCanceled - item.quantityShipped;
  };
  const chosen = order.items
    .map((item) => ({ orderItemId: item.orderItemId, quantity: quantities[item.orderItemId] ?? 0 }))
    .filter((item) => item.quantity > 0);
  const requested = order.items.filter((item) => item.buyerRequestedCancel && remaining(item.orderItemId) > 0);
  const showBanner = placedStatuses.has(status) && requested.length > 0;
  const requestedIds = requested.map((item) => item.orderItemId);
  const cancelRequested: EventAt = (at) => ({
    type: 'seller.cancel',
    at,
    reason: 'BuyerCanceled',
    items: requested.map((item) => ({ orderItemId: item.orderItemId, quantity: remaining(item.orderItemId) })),
  });
  // The banner advises what to do about the request: cancel with Buyer Canceled while the machine allows it, else
  // the machine's own reason why not (a label exists: the buyer returns it for a refund).
  const cancelVerdict = showBanner ? explain(snapshot, cancelRequested(now)) : null;
  const advice = cancelVerdict ? (cancelVerdict.accepted ? t(lang, 'requestAdvice') : cancelVerdict.message[lang]) : '';
  // An order that has ended takes no action: its inputs are read-only and it says so instead of its last verdict.
  const ended = !placedStatuses.has(status);
  // Orders without an auto-cancel (Fulfilled by Amazon) may carry none.
  const autoCancelAt: number | null = order.autoCancelAt;
  const autoCancelLeft = autoCancelAt === null ? null : countdown(lang, autoCancelAt, now);
  const windowLeft = countdown(lang, order.buyerCancelUntil, now);

  return (
    <article
      className={`order status-${status}`}
      data-order-id={order.orderId}
      data-status={status}
      aria-label={order.orderId}
    >
      <header>
        <h2>{order.orderId}</h2>
        <span className="badge" data-testid="status">
          {statusName(lang, status)}
        </span>
        {inspectorOn ? (
          <a className="inspect" href={inspectorLink(order.orderId)} target="_blank" rel="noreferrer">
            {t(lang, 'openInspector')}
          </a>
        ) : (
          <span className="inspect off" title="npx order-lifecycle inspect">
            {t(lang, 'inspectorOff')}
          </span>
        )}
      </header>

      <dl className="deadlines">
        <dt>{t(lang, 'placedAt')}</dt>
        <dd>{formatTime(lang, order.placedAt)}</dd>
        {status === 'buyer-cancellable' && (
          <>
            <dt>{t(lang, 'buyerWindow')}</dt>
            <dd data-testid="buyer-window">
              {formatTime(lang, order.buyerCancelUntil)} · <strong>{windowLeft}</strong>
            </dd>
          </>
        )}
        {placedStatuses.has(status) && order.fulfillmentChannel === 'MFN' && autoCancelAt !== null && (
          <>
            <dt>{t(lang, 'autoCancel')}</dt>
            <dd data-testid="auto-cancel">
              {formatTime(lang, autoCancelAt)} · <strong>{autoCancelLeft}</strong>
            </dd>
          </>
        )}
      </dl>

      {showBanner && (
        <div className="banner" role="note" data-testid="request-banner">
          <p>
            <strong>
              {t(lang, 'requestBanner')} {requestedIds.join(', ')}
            </strong>
          </p>
          <p data-testid="request-advice">{advice}</p>
          {action('cancelRequested', cancelRequested)}
        </div>
      )}

      <table className="items">
        <thead>
          <tr>
            <th>{t(lang, 'items')}</th>
            <th>{t(lang, 'ordered')}</th>
            <th>{t(lang, 'canceled')}</th>
            <th>{t(lang, 'toCancel')}</th>
          </tr>
        </thead>
        <tbody>
          {order.items.map((item) => (
            <tr key={item.orderItemId}>
              <td>
                {item.orderItemId} {item.sku && <small>{item.sku}</small>}
              </td>
              <td>{item.quantity}</td>
              <td>{item.quantityCanceled}</td>
              <td>
                <input
                  type="number"
                  min={0}
                  max={item.quantity}
                  value={ended ? 0 : (quantities[item.orderItemId] ?? 0)}
                  disabled={ended}
                  aria-label={`${t(lang, 'toCancel')} ${item.orderItemId}`}
                  onChange={(e) =>
                    setQuantities({
                      ...quantities,
                      [item.orderItemId]: Math.max(0, Math.floor(Number(e.target.value) || 0)),
                    })
                  }
                />
              </td>
            </tr>
          ))}
        </tbody>
      </table>

      <div className="actions">
        <span className="role">{t(lang, 'seller')}</span>
        {action('generateLabel', (at) => ({ type: 'seller.generateLabel', at }))}
        {action('voidLabel', (at) => ({ type: 'seller.voidLabel', at }))}
        {action('confirmShipment', (at) => ({ type: 'seller.confirmShipment', at }))}
        <label>
          {t(lang, 'reason')}{' '}
          <select value={reason} disabled={ended} onChange={(e) => setReason(e.target.value as CancelReason)}>
            {CancelReason.options.map((code) => (
              <option key={code} value={code}>
                {reasonName(lang, code)}
              </option>
            ))}
          </select>
        </label>
        {action('cancelOrder', (at) => ({ type: 'seller.cancel', at, reason }))}
        {action(
          'cancelItems',
          chosen.length > 0 ? (at) => ({ type: 'seller.cancel', at, reason, items: chosen }) : null,
          t(lang, 'chooseQuantity'),
        )}
      </div>
      <div className="actions">
        <span className="role">{t(lang, 'buyer')}</span>
        {action('buyerCancel', (at) => ({ type: 'buyer.cancel', at }))}
        {action('buyerRequest', (at) => ({
          type: 'buyer.requestCancellation',
          at,
          source: 'order-flag',
          // The items with a quantity entered, or the whole order.
          ...(chosen.length > 0 ? { orderItemIds: chosen.map((item) => item.orderItemId) } : {}),
        }))}
        {action('buyerMessage', (at) => ({
          type: 'buyer.requestCancellation',
          at,
          source: 'message',
          subject: 'Please cancel my order',
        }))}
      </div>

      {ended ? (
        <p className="verdict ended" role="status" data-testid="ended">
          {t(lang, 'ended').replace('{status}', statusName(lang, status))}
        </p>
      ) : (
        last && (
          <p className={`verdict ${last.verdict.accepted ? 'accepted' : 'refused'}`} role="status">
            <strong>{t(lang, last.label)}</strong>
            {lang === 'zh-CN' ? '：' : ': '}
            {last.verdict.message[lang]}
          </p>
        )
      )}

      {order.cancellations.length > 0 && (
        <ul className="cancellations" aria-label={t(lang, 'cancellations')}>
          {order.cancellations.map((c, index) => (
            <li key={index}>
              {formatTime(lang, c.at)} · {partyName(lang, c.by)} · {reasonName(lang, c.reason)} ·{' '}
              {c.items.map((i) => `${i.orderItemId}×${i.quantity}`).join(', ')} ·{' '}
              {c.countsAgainstRate ? t(lang, 'countsAgainstRate') : t(lang, 'doesNotCount')}
            </li>
          ))}
        </ul>
      )}
    </article>
  );
}
