import { createWebSocketInspector } from '@statelyai/inspect';
import type { OrderActorOptions } from 'order-lifecycle';

/**
 * Where `order-lifecycle inspect` listens: http://127.0.0.1:4820 unless the page is opened with
 * `?inspector=http://127.0.0.1:PORT`.
 */
export const inspectorUrl = new URL(new URLSearchParams(location.search).get('inspector') ?? 'http://127.0.0.1:4820');

/** The inspector page for one order (the inspector lists live orders by order id). */
export const inspectorLink = (orderId: string): string =>
  new URL(`/#order=${encodeURIComponent(orderId)}`, inspectorUrl).href;

/**
 * Whether the inspector answers. It serves no CORS headers, so the answer is opaque (`no-cors`): any answer means
 * it is running, and a refused connection rejects at once.
 */
export async function inspectorRunning(): Promise<boolean> {
  try {
    await fetch(new URL('/api/orders', inspectorUrl), { mode: 'no-cors', cache: 'no-store' });
    return true;
  } catch {
    return false;
  }
}

/** An `inspect` observer that sends every order actor's events to the running inspector over its WebSocket. */
export function connectInspector(): NonNullable<OrderActorOptions['inspect']> {
  const socketUrl = `${inspectorUrl.protocol === 'https:' ? 'wss' : 'ws'}://${inspectorUrl.host}`;
  return createWebSocketInspector({ url: socketUrl }).inspect;
}
