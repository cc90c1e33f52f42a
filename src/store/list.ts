import { InvalidInputError, MAX_ID_LENGTH, OrderStatus, describe, textProblem } from '../domain/index.js';
import type { OrderListOptions } from './types.js';

/** How many orders `listOrders` returns when no limit is given, and the most it returns. */
const DEFAULT_LIST_LIMIT = 50;
const MAX_LIST_LIMIT = 1000;

/** `listOrders` options checked, with the limit filled in. */
interface NormalizedListOptions {
  status: OrderStatus | undefined;
  idContains: string | undefined;
  limit: number;
  afterId: string | undefined;
}

function fail(path: string, value: unknown, expected: string): never {
  throw new InvalidInputError('order list options', [
    { path, message: `expected ${expected} (got ${describe(value)})` },
  ]);
}

/**
 * Checks `listOrders` options: every store calls it first, so bad options are refused the same way everywhere.
 * @example
 * normalizeListOptions({ limit: 10 }); // { status: undefined, idContains: undefined, limit: 10, afterId: undefined }
 */
export function normalizeListOptions(options: OrderListOptions = {}): NormalizedListOptions {
  if (typeof options !== 'object' || options === null) fail('', options, 'an object');
  const { status, idContains, limit, afterId } = options;
  if (status !== undefined && !OrderStatus.safeParse(status).success)
    fail('status', status, `one of ${OrderStatus.options.join(', ')}`);
  // Ids are well-formed text without control characters (a NUL would be a raw database error on PostgreSQL).
  if (idContains !== undefined && (typeof idContains !== 'string' || textProblem(idContains, { max: 256 }))) {
    fail('idContains', idContains, 'a string of at most 256 characters, well-formed, without control characters');
  }
  if (afterId !== undefined && (typeof afterId !== 'string' || textProblem(afterId, { max: MAX_ID_LENGTH }))) {
    fail(
      'afterId',
      afterId,
      `an order id: a string of at most ${MAX_ID_LENGTH} characters, well-formed, without control characters`,
    );
  }
  if (limit !== undefined && !(Number.isInteger(limit) && limit >= 1 && limit <= MAX_LIST_LIMIT))
    fail('limit', limit, `an integer from 1 to ${MAX_LIST_LIMIT}`);
  return { status, idContains: idContains || undefined, limit: limit ?? DEFAULT_LIST_LIMIT, afterId };
}

/** Orders ids by their UTF-8 bytes, as SQLite's BINARY and PostgreSQL's "C" collations do. */
export function compareIds(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}
