import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createRequire } from 'node:module';
import { isIPv4, isIPv6, type AddressInfo, type Socket } from 'node:net';
import type { RawData, WebSocket, WebSocketServer } from 'ws';
import * as z from 'zod';
import { MACHINE_VERSION, orderMachine } from '../../machines/order/index.js';
import { defaultPolicy, issueSentence, loadOptional, Policy, statusOfStateKey } from '../domain/index.js';
import { describeStatechart, SNAPSHOT_SCHEMA_VERSION } from '../runtime/index.js';
import { edgeAliases, loadGraphviz, renderStatechart } from './chart.js';
import type { ActivityEntry, ClientConfig, PageMessage as PageMessageType, ServerMessage } from './client/protocol.js';
import { InspectorError } from './errors.js';
import { OrderBook, type InspectorLogger, type OrderView } from './orders.js';
import { pageCss, pageHtml, pageScript } from './page.js';
import { loadRecordings, readRecordingFile } from './recording.js';
import { recordingFromHistory, type StoredOrders } from './stored.js';

/** The port `order-lifecycle inspect` listens on unless told otherwise. */
export const DEFAULT_INSPECTOR_PORT = 4820;

/** The WebSocket path of the inspector's own page; every other path takes inspection messages from apps. */
export const PAGE_SOCKET_PATH = '/__inspector/page';

/** Options of `startInspector`. */
export interface InspectorOptions {
  /** Port to listen on; 0 picks a free one. Default 4820. */
  port?: number;
  /** Address to bind. Default `127.0.0.1`; anything but loopback needs `allowRemote`. */
  host?: string;
  /** Allow a non-loopback `host` (anyone who can reach it sees your orders). Default false. */
  allowRemote?: boolean;
  /** Recorded order files (JSON: `{ input, events }` or an array of them) to load before listening. */
  open?: string | string[];
  /** Where ignored messages are reported. Default: standard error. */
  log?: InspectorLogger;
  /** How many orders to keep; the oldest is forgotten first. Default 500. */
  maxOrders?: number;
  /**
   * A store's orders (`openStoredOrders`) for the page to list, search and open as recordings. Only read;
   * `close()` leaves it open.
   */
  stored?: StoredOrders;
}

/** A running inspector. */
export interface Inspector {
  /** The page's address, e.g. `http://127.0.0.1:4820/`. */
  url: string;
  /** The address apps point `createWebSocketInspector({ url })` at, e.g. `ws://127.0.0.1:4820`. */
  socketUrl: string;
  host: string;
  port: number;
  /** Every order the inspector shows, oldest first. */
  orders(): OrderView[];
  /** Loads recorded orders from a value (`{ input, events }` or an array); throws InspectorError when malformed. */
  loadRecording(recording: unknown, name?: string): OrderView[];
  /** Loads recorded orders from a JSON file; throws InspectorError when it is missing or malformed. */
  openRecording(path: string): Promise<OrderView[]>;
  /** Closes every connection and stops listening. */
  close(): Promise<void>;
}

const Options = z.strictObject({
  port: z.number().int().min(0).max(65535).default(DEFAULT_INSPECTOR_PORT),
  host: z.string().min(1).default('127.0.0.1'),
  allowRemote: z.boolean().default(false),
  open: z.union([z.string().min(1), z.array(z.string().min(1))]).optional(),
  log: z.function().optional(),
  maxOrders: z.number().int().positive().optional(),
  stored: z
    .custom<StoredOrders>(
      (value) => typeof value === 'object' && value !== null && typeof (value as StoredOrders).list === 'function',
    )
    .optional(),
});

/** How many activity entries (connections, ignored messages) the server keeps for pages that connect later. */
const MAX_ACTIVITY = 200;

const ClientId = z.string().regex(/^[\w-]{1,100}$/);

const PageMessage = z.union([
  z.strictObject({ type: z.literal('load'), name: z.string().min(1).max(300), text: z.string() }),
  z.strictObject({ type: z.literal('openStored'), orderId: z.string().min(1).max(300) }),
]) satisfies z.ZodType<PageMessageType>;

const StoredQuery = z.strictObject({
  id: z.string().max(256).optional(),
  status: z.string().optional(),
  after: z.string().optional(),
  limit: z.coerce.number().optional(),
});

const ChartQuery = z.strictObject({
  buyerCancelWindowMs: z.coerce.number().int().positive().default(defaultPolicy.buyerCancelWindowMs),
  autoCancelAfterMs: z.coerce.number().int().positive().default(defaultPolicy.autoCancelAfterMs),
});

/**
 * Whether `host` is a loopback address: `localhost`, 127.0.0.0/8, `::1` (or 127.x mapped into IPv6).
 * @example
 * isLoopbackHost('127.0.0.1'); // true
 * isLoopbackHost('0.0.0.0'); // false
 */
export function isLoopbackHost(host: string): boolean {
  const bare = host.replace(/^\[(.*)\]$/, '$1').toLowerCase();
  if (bare === 'localhost') return true;
  if (isIPv4(bare)) return bare.startsWith('127.');
  if (isIPv6(bare)) return bare === '::1' || bare === '0:0:0:0:0:0:0:1' || /^::ffff:127\./.test(bare);
  return false;
}

/** The host name of a Host header (`127.0.0.1:4820`, `[::1]:4820`, `localhost`). */
function hostnameOf(header: string | undefined): string {
  if (!header) return '';
  const bracketed = /^\[([^\]]+)\]/.exec(header);
  return bracketed ? bracketed[1]! : header.replace(/:\d+$/, '');
}

function isLoopbackOrigin(origin: string): boolean {
  try {
    return isLoopbackHost(new URL(origin).hostname);
  } catch {
    return false;
  }
}

/** A `require` for the optional peer dependency ws, loaded when an inspector starts (it is CommonJS). */
const require = createRequire(import.meta.url);

const defaultLog: InspectorLogger = (message) => process.stderr.write(`order-lifecycle inspector: ${message}\n`);

/**
 * Starts the offline inspector: an HTTP and WebSocket server on 127.0.0.1 whose page draws the order
 * statechart, lists live and recorded orders, and replays them step by step. Apps instrumented for
 * Stately point `createWebSocketInspector({ url: inspector.socketUrl })` at it unchanged.
 * Throws InspectorError for a non-loopback host without `allowRemote`, a bad port, a port in use, or a
 * malformed recording, and MissingDependencyError when the optional peer dependency ws or @hpcc-js/wasm-graphviz
 * is not installed.
 * @example
 * const inspector = await startInspector({ port: 0, open: 'order.json' });
 * console.log(inspector.url); // http://127.0.0.1:41234/
 * await inspector.close();
 */
export async function startInspector(options: InspectorOptions = {}): Promise<Inspector> {
  const parsed = Options.safeParse(options);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const field = issue.path.join('.') || 'options';
    const value = (options as Record<string, unknown>)[String(issue.path[0])];
    throw new InspectorError(
      `Invalid inspector option ${field} ${JSON.stringify(value) ?? String(value)}: ${issueSentence(issue, options, { got: false })}.`,
    );
  }
  const { port, host, allowRemote } = parsed.data;
  if (!allowRemote && !isLoopbackHost(host)) {
    throw new InspectorError(
      `Refusing to bind the inspector to "${host}": it is not a loopback address, and anyone who can reach it would see your orders (pass allowRemote, or --allow-remote, to do it anyway).`,
    );
  }
  // The optional peer dependencies, before anything starts: ws for the sockets, Graphviz for the page's chart.
  const ws = loadOptional('ws', 'startInspector', () => require('ws') as typeof import('ws'));
  await loadGraphviz('startInspector');
  const log = options.log ?? defaultLog;
  const stored = options.stored;
  const book = new OrderBook({ ...(options.maxOrders === undefined ? {} : { maxOrders: options.maxOrders }) });
  const files = options.open === undefined ? [] : Array.isArray(options.open) ? options.open : [options.open];
  for (const file of files) book.addRecordings(await readRecordingFile(file));

  const chart = describeStatechart(orderMachine);
  const config: ClientConfig = {
    socketPath: PAGE_SOCKET_PATH,
    stored: stored !== undefined,
    snapshot: {
      format: 'order-lifecycle/snapshot',
      schemaVersion: SNAPSHOT_SCHEMA_VERSION,
      machineVersion: MACHINE_VERSION,
    },
    parents: Object.fromEntries(
      chart.states.filter((state) => state.parent !== null).map((state) => [state.key, state.parent!]),
    ),
    edgeAliases: edgeAliases(),
    statuses: Object.fromEntries(
      chart.states
        .filter((state) => state.kind !== 'compound')
        .map((state) => [state.key, (statusOfStateKey as Record<string, string>)[state.key] ?? state.key]),
    ),
  };
  const script = await pageScript();
  const html = pageHtml(config);

  const pages = new Set<WebSocket>();
  // Messages to the pages go out once per turn of the event loop, as one JSON array per frame.
  let outbox: ServerMessage[] = [];
  const flush = () => {
    const frame = JSON.stringify(outbox);
    outbox = [];
    for (const page of pages) page.send(frame);
  };
  const broadcast = (message: ServerMessage) => {
    if (pages.size === 0) return;
    if (outbox.length === 0) setImmediate(flush);
    outbox.push(message);
  };
  const send = (socket: WebSocket, message: ServerMessage) => socket.send(JSON.stringify([message]));
  book.subscribe((change) => broadcast(change));

  // What the page's activity panel lists: app connections opened and dropped, and ignored messages.
  const activity: ActivityEntry[] = [];
  const note = (kind: ActivityEntry['kind'], message: string) => {
    const entry: ActivityEntry = { at: Date.now(), kind, message };
    activity.push(entry);
    if (activity.length > MAX_ACTIVITY) activity.shift();
    broadcast({ type: 'activity', entry });
  };
  const report: InspectorLogger = (message) => {
    log(message);
    note('ignored', message);
  };
  book.setLog(report);

  /** Opens a stored order's history as a recording (once; again when it has grown) and returns its view id. */
  const openStored = async (orderId: string): Promise<string> => {
    if (!stored)
      throw new InspectorError(
        `Cannot open stored order ${JSON.stringify(orderId)}: no order store (start the inspector with --db or --database-url).`,
      );
    const rows = await stored.history(orderId).catch((error: Error) => {
      throw new InspectorError(
        `Cannot open stored order ${JSON.stringify(orderId)}: ${error.message.replace(/\.$/, '')}.`,
      );
    });
    const name = `${stored.kind}: ${orderId}`;
    const seen = book
      .list()
      .find((order) => order.source === 'recording' && order.name === name && order.steps.length === rows.length);
    if (seen) return seen.id;
    return book.addRecordings([recordingFromHistory(orderId, rows, name)])[0]!.id;
  };

  const hostAllowed = (request: IncomingMessage) => allowRemote || isLoopbackHost(hostnameOf(request.headers.host));

  const respond = (response: ServerResponse, status: number, type: string, body: string) => {
    response.writeHead(status, {
      'content-type': type,
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
      'content-security-policy':
        "default-src 'self'; connect-src 'self' ws: ; style-src 'self' 'unsafe-inline'; img-src 'self' data:; frame-ancestors 'none'",
    });
    response.end(response.req.method === 'HEAD' ? undefined : body);
  };

  const server = createServer((request, response) => {
    void (async () => {
      if (!hostAllowed(request))
        return respond(
          response,
          403,
          'text/plain; charset=utf-8',
          `Forbidden: the Host header ${JSON.stringify(request.headers.host ?? '')} is not a loopback address.\n`,
        );
      if (request.method !== 'GET' && request.method !== 'HEAD')
        return respond(response, 405, 'text/plain; charset=utf-8', `Method ${request.method} is not allowed.\n`);
      const url = new URL(request.url ?? '/', 'http://inspector.invalid');
      switch (url.pathname) {
        case '/':
          return respond(response, 200, 'text/html; charset=utf-8', html);
        case '/app.js':
          return respond(response, 200, 'text/javascript; charset=utf-8', script);
        case '/app.css':
          return respond(response, 200, 'text/css; charset=utf-8', pageCss);
        case '/chart.svg': {
          const params = Object.fromEntries(url.searchParams);
          const query = ChartQuery.safeParse(params);
          const policy = query.success ? Policy.safeParse(query.data) : query;
          if (!policy.success) {
            const issue = policy.error.issues[0]!;
            return respond(
              response,
              400,
              'text/plain; charset=utf-8',
              `Bad chart query ${issue.path.join('.') || url.search}: ${issueSentence(issue, query.success ? query.data : params)}\n`,
            );
          }
          return respond(response, 200, 'image/svg+xml; charset=utf-8', await renderStatechart(policy.data));
        }
        case '/api/orders':
          return respond(response, 200, 'application/json; charset=utf-8', JSON.stringify(book.list()));
        case '/api/stored': {
          // The store's orders by id, filtered and paged as `service.list` does; read only.
          if (!stored)
            return respond(
              response,
              404,
              'text/plain; charset=utf-8',
              'No order store: start the inspector with --db or --database-url.\n',
            );
          const params = Object.fromEntries(url.searchParams);
          const query = StoredQuery.safeParse(params);
          if (!query.success) {
            const issue = query.error.issues[0]!;
            const field = issue.path.length ? `${issue.path.join('.')}: ` : '';
            return respond(
              response,
              400,
              'text/plain; charset=utf-8',
              `Bad stored-orders query ${url.search}: ${field}${issueSentence(issue, params)}\n`,
            );
          }
          const { id, status, after, limit } = query.data;
          try {
            const orders = await stored.list({
              ...(id ? { idContains: id } : {}),
              ...(status ? { status: status as never } : {}),
              ...(after ? { afterId: after } : {}),
              ...(limit === undefined ? {} : { limit }),
            });
            return respond(
              response,
              200,
              'application/json; charset=utf-8',
              JSON.stringify({ kind: stored.kind, where: stored.where, orders }),
            );
          } catch (error) {
            if ((error as Error).name === 'InvalidInputError')
              return respond(response, 400, 'text/plain; charset=utf-8', `${(error as Error).message}\n`);
            throw error;
          }
        }
        default:
          return respond(response, 404, 'text/plain; charset=utf-8', `Not found: ${url.pathname}\n`);
      }
    })().catch((error: Error) => {
      log(`Failed to answer ${request.method} ${request.url}: ${error.message}`);
      if (!response.headersSent) respond(response, 500, 'text/plain; charset=utf-8', 'Internal error.\n');
    });
  });

  const wss: WebSocketServer = new ws.WebSocketServer({ noServer: true, maxPayload: 4 * 1024 * 1024 });
  let connections = 0;
  const open = new Map<string, number>();

  server.on('upgrade', (request: IncomingMessage, socket: Socket, head: Buffer) => {
    const refuse = (why: string) => {
      report(`Refused a WebSocket connection from ${request.socket.remoteAddress}: ${why}.`);
      socket.end('HTTP/1.1 403 Forbidden\r\nConnection: close\r\n\r\n');
    };
    const path = new URL(request.url ?? '/', 'http://inspector.invalid').pathname;
    const origin = request.headers.origin;
    if (!hostAllowed(request))
      return refuse(`the Host header ${JSON.stringify(request.headers.host ?? '')} is not a loopback address`);
    if (path === PAGE_SOCKET_PATH) {
      // Only the inspector's own page may read the orders: a web page elsewhere must not.
      if (origin !== `http://${request.headers.host}`)
        return refuse(
          `the page socket only accepts the inspector's own page, not origin ${JSON.stringify(origin ?? null)}`,
        );
    } else if (origin !== undefined && !allowRemote && !isLoopbackOrigin(origin)) {
      return refuse(`origin ${JSON.stringify(origin)} is not a loopback address`);
    }
    wss.handleUpgrade(request, socket, head, (ws) => wss.emit('connection', ws, request, path));
  });

  wss.on('connection', (ws: WebSocket, _request: IncomingMessage, path: string) => {
    ws.on('error', (error) => report(`WebSocket error: ${error.message}.`));
    if (path === PAGE_SOCKET_PATH) {
      pages.add(ws);
      ws.on('close', () => pages.delete(ws));
      ws.on('message', (data: RawData, isBinary: boolean) => {
        const json = safeJson(isBinary ? null : data.toString());
        const message = PageMessage.safeParse(json);
        if (!message.success) {
          const issue = message.error.issues[0]!;
          const where = issue.path.length ? `field "${issue.path.join('.')}"` : 'the message';
          return report(`Ignored a message from the inspector page: ${where}: ${issueSentence(issue, json)}.`);
        }
        if (message.data.type === 'openStored') {
          const { orderId } = message.data;
          void openStored(orderId).then(
            (id) => setImmediate(() => send(ws, { type: 'loaded', ids: [id] })),
            (error: Error) => send(ws, { type: 'error', message: error.message }),
          );
          return;
        }
        try {
          const added = book.addRecordings(
            loadRecordings(parseRecordingText(message.data.text, message.data.name), message.data.name),
          );
          // After the new orders themselves, which go out with the next flush.
          const loaded: ServerMessage = { type: 'loaded', ids: added.map((order) => order.id) };
          setImmediate(() => send(ws, loaded));
        } catch (error) {
          send(ws, { type: 'error', message: (error as Error).message });
        }
      });
      send(ws, { type: 'orders', orders: book.list(), activity });
      return;
    }
    connections += 1;
    // connectInspector names its connection, so the orders of an app that reconnects stay one order each.
    const client = ClientId.safeParse(
      new URL(_request.url ?? '/', 'http://inspector.invalid').searchParams.get('client'),
    );
    const connection = client.success ? `client-${client.data}` : `c${connections}`;
    open.set(connection, (open.get(connection) ?? 0) + 1);
    note(
      'connected',
      `App connection ${connection} opened from ${_request.socket.remoteAddress ?? 'an unknown address'}.`,
    );
    ws.on('message', (data: RawData, isBinary: boolean) => book.receive(connection, isBinary ? data : data.toString()));
    ws.on('close', (code: number) => {
      const left = (open.get(connection) ?? 1) - 1;
      if (left > 0) open.set(connection, left);
      else open.delete(connection);
      const orders = left > 0 ? [] : book.disconnect(connection);
      const which = orders.length ? `; its live orders ${orders.join(', ')} are marked disconnected` : '';
      note('dropped', `App connection ${connection} closed (code ${code})${which}.`);
    });
  });

  await new Promise<void>((resolve, reject) => {
    const failed = (error: NodeJS.ErrnoException) => {
      const why =
        error.code === 'EADDRINUSE'
          ? 'the port is already in use (pick another with --port, or 0 for a free one)'
          : error.code === 'EADDRNOTAVAIL' || error.code === 'ENOTFOUND'
            ? 'this machine has no such address'
            : error.message.replace(/\.$/, '');
      reject(new InspectorError(`Cannot listen on ${host}:${port}: ${why}.`));
    };
    server.once('error', failed);
    server.listen(port, host, () => {
      server.off('error', failed);
      resolve();
    });
  });

  const address = server.address() as AddressInfo;
  const shown = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const inspector: Inspector = {
    url: `http://${shown}:${address.port}/`,
    socketUrl: `ws://${shown}:${address.port}`,
    host: address.address,
    port: address.port,
    orders: () => book.list(),
    loadRecording: (recording, name) => book.addRecordings(loadRecordings(recording, name)),
    openRecording: async (path) => book.addRecordings(await readRecordingFile(path)),
    close: async () => {
      for (const client of wss.clients) client.terminate();
      wss.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  return inspector;
}

function safeJson(text: string | null): unknown {
  if (text === null) return null;
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

function parseRecordingText(text: string, name: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new InspectorError(
      `Recorded order "${name}" is not valid JSON: ${(error as Error).message.replace(/\.$/, '')}.`,
    );
  }
}
