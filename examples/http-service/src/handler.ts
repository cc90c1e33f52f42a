import type { IncomingMessage, ServerResponse } from 'node:http';
import { InvalidInputError, type OrderEventInput, type OrderInput } from 'order-lifecycle';
import { OrderConflictError, OrderNotFoundError, type OrderService } from 'order-lifecycle/service';

/** Bodies larger than this are refused with 413 before they are parsed. */
const MAX_BODY_BYTES = 1_048_576;

/** An error that already knows its HTTP status. */
class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

/**
 * The service's errors as HTTP statuses: bad input 400, unknown order 404, a conflict 409 (an order id placed
 * with another input, an idempotency key reused for another request). Anything else is the server's fault.
 */
export function statusOf(error: unknown): number {
  if (error instanceof HttpError) return error.status;
  if (error instanceof InvalidInputError) return 400;
  if (error instanceof OrderNotFoundError) return 404;
  if (error instanceof OrderConflictError) return 409;
  return 500;
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) throw new HttpError(413, `Request body is larger than ${MAX_BODY_BYTES} bytes.`);
    chunks.push(chunk);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  try {
    return JSON.parse(text);
  } catch {
    throw new HttpError(400, `Request body is not JSON: ${JSON.stringify(text.slice(0, 40))}.`);
  }
}

/** A path segment with its %-escapes decoded; a malformed escape (`%E0%A4%A`, or UTF-8 for a lone surrogate) is a 400. */
function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw new HttpError(
      400,
      `The order id in the path is not valid percent-encoded UTF-8: ${JSON.stringify(segment.slice(0, 80))}.`,
    );
  }
}

/** The `Idempotency-Key` header, if the client sent one (the service checks its length). */
function idempotencyKey(req: IncomingMessage): { idempotencyKey?: string } {
  const key = req.headers['idempotency-key'];
  return typeof key === 'string' ? { idempotencyKey: key } : {};
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res
    .writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers })
    .end(`${JSON.stringify(body)}\n`);
}

/**
 * A `node:http` request listener over the order service:
 *
 * - `POST /orders` places an order (body: an `OrderInput`) → 201;
 * - `POST /orders/:id/events` applies one event (body: an event) → 200 when the rules accept it, 422 with the
 *   verdict when they refuse it;
 * - `GET /orders/:id` → 200 with the order's status, version, next deadline and context.
 *
 * Both POSTs honour an `Idempotency-Key` header: a retried request returns its first answer and applies nothing.
 */
export function createOrderHandler(
  service: OrderService,
): (req: IncomingMessage, res: ServerResponse) => Promise<void> {
  return async (req, res) => {
    try {
      const { pathname } = new URL(req.url ?? '/', 'http://localhost');
      const [, collection, rawId, sub, ...rest] = pathname.split('/');
      const orderId = rawId === undefined ? undefined : decodeSegment(rawId);
      if (collection !== 'orders' || rest.length > 0 || orderId === '')
        throw new HttpError(404, `No route for ${req.method} ${pathname}.`);

      if (orderId === undefined) {
        if (req.method !== 'POST')
          throw new HttpError(405, `Method ${req.method} is not allowed on /orders.`, { allow: 'POST' });
        const placed = await service.place((await readJson(req)) as OrderInput, idempotencyKey(req));
        return send(res, 201, placed, { location: `/orders/${encodeURIComponent(placed.orderId)}` });
      }

      if (sub === 'events') {
        if (req.method !== 'POST')
          throw new HttpError(405, `Method ${req.method} is not allowed on ${pathname}.`, { allow: 'POST' });
        const { verdict, status, version, effects } = await service.apply(
          orderId,
          (await readJson(req)) as OrderEventInput,
          idempotencyKey(req),
        );
        // A refusal is not an error of the request: the body carries the machine's reason, in English and Chinese.
        return send(res, verdict.accepted ? 200 : 422, { orderId, status, version, verdict, effects });
      }

      if (sub !== undefined) throw new HttpError(404, `No route for ${req.method} ${pathname}.`);
      if (req.method !== 'GET')
        throw new HttpError(405, `Method ${req.method} is not allowed on ${pathname}.`, { allow: 'GET' });
      const order = await service.get(orderId);
      if (!order) throw new OrderNotFoundError(orderId);
      return send(res, 200, {
        orderId,
        status: order.status,
        version: order.version,
        nextDeadline: order.nextDeadline,
        context: order.snapshot.context,
      });
    } catch (error) {
      const status = statusOf(error);
      // Internal errors are logged, not shown: their text may name tables and files.
      if (status === 500) console.error(error);
      const message = status === 500 ? 'Internal error.' : (error as Error).message;
      send(res, status, { error: message }, error instanceof HttpError ? error.headers : {});
    }
  };
}
