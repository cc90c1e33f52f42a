/*
 * The page's WebSocket to its server: each frame is a JSON array of messages; a dropped connection is tried
 * again with a backoff of up to 5 s while the server is away.
 */
import type { PageMessage, ServerMessage } from './protocol.js';

/** The page's connection: `send` drops a message while the server is away. */
interface PageSocket {
  send(message: PageMessage): void;
}

/**
 * Opens the page's socket at `path` on this page's host, and keeps it open.
 * @example
 * const socket = connectPage('/__inspector/page', { onOpen, onMessages: (messages) => state.receive(messages), onClose });
 * socket.send({ type: 'openStored', orderId: '250-0000000-0000001' });
 */
export function connectPage(
  path: string,
  handlers: {
    onOpen: () => void;
    onMessages: (messages: ServerMessage[]) => void;
    onClose: () => void;
  },
): PageSocket {
  let socket: WebSocket | null = null;
  let retry = 0;
  const connect = (): void => {
    const ws = new WebSocket(`ws://${location.host}${path}`);
    socket = ws;
    ws.addEventListener('open', () => {
      retry = 0;
      handlers.onOpen();
    });
    ws.addEventListener('message', (event) => handlers.onMessages(JSON.parse(String(event.data)) as ServerMessage[]));
    ws.addEventListener('close', () => {
      handlers.onClose();
      retry += 1;
      setTimeout(connect, Math.min(5000, 250 * 2 ** Math.min(retry, 5)));
    });
  };
  connect();
  return { send: (message) => socket?.send(JSON.stringify(message)) };
}
