/**
 * Extracts the order, order-items and ORDER_CHANGE examples Amazon publishes in its Selling Partner API
 * models, with the enums and `required` lists the adapters read, into test/fixtures/amazon/published/.
 *
 *   npx tsx scripts/extract-published-examples.ts <amzn/selling-partner-api-models checkout or bare git dir> [out dir]
 *
 * Reads models/orders-api-model/ordersV0.json, models/orders-api-model/orders_2026-01-01.json and
 * schemas/notifications/OrderChangeNotification.json at the repository's HEAD. Every place in them that holds an
 * example (`examples`, `example`, `x-example`, `x-amzn-api-sandbox` responses) is either written out, one file
 * per example with its source path, RFC 6901 pointer and commit, or listed in the README as skipped with the
 * reason; a place this script does not know fails the run, so a new kind of example is never dropped silently.
 * Files it wrote before are replaced; files it does not write (expected.json) are left alone.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const REPOSITORY = 'amzn/selling-partner-api-models';
const V0 = 'models/orders-api-model/ordersV0.json';
const V2026 = 'models/orders-api-model/orders_2026-01-01.json';
const ORDER_CHANGE = 'schemas/notifications/OrderChangeNotification.json';
const MODELS = [V0, V2026, ORDER_CHANGE] as const;

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

interface Source {
  repository: string;
  path: string;
  pointer: string;
  commit: string;
}

/** The kinds of example files, and what each holds. */
const kinds = {
  'v0-orders': 'Orders v0 getOrders response (`{ payload: OrdersList }`)',
  'v0-order': 'Orders v0 getOrder response (`{ payload: Order }`)',
  'v0-order-items': 'Orders v0 getOrderItems response (`{ payload: OrderItemsList }`)',
  'v2026-search': 'Orders v2026-01-01 searchOrders response (`{ orders, pagination, ... }`)',
  'v2026-order': 'Orders v2026-01-01 getOrder response (`{ order }`)',
  'order-change': 'a whole ORDER_CHANGE notification',
  'order-change-payload': 'the `Payload` of an ORDER_CHANGE notification (example of that property)',
  'order-change-body': 'the `Payload.OrderChangeNotification` object (example of that property)',
  'order-change-summary': 'the `Summary` object (example of that property)',
  'order-change-items': 'the `Summary.OrderItems` array (example of that property)',
  'order-change-item': 'one `Summary.OrderItems` item (example of that property)',
} as const;
type Kind = keyof typeof kinds;

interface Extracted {
  file: string;
  source: Source;
  kind: Kind;
  request?: Json;
  payload: Json;
}

interface Skipped {
  path: string;
  pointer: string;
  reason: string;
}

/** The Orders operations whose 200 responses hold orders or order items, by model and operationId. */
const orderOperations: Record<string, Record<string, Kind>> = {
  [V0]: { getOrders: 'v0-orders', getOrder: 'v0-order', getOrderItems: 'v0-order-items' },
  [V2026]: { searchOrders: 'v2026-search', getOrder: 'v2026-order' },
};

/** Why the other Orders operations' examples are not order or order-items data. */
const skippedOperations: Record<string, string> = {
  getOrderBuyerInfo: 'buyer information only (restricted data), no status, items or dates',
  getOrderAddress: 'shipping address only, no status, items or dates',
  getOrderItemsBuyerInfo: 'per-item buyer customization and gift data only, no quantities or status',
  updateShipmentStatus:
    'a request to update a shipment status (ReadyForPickup, ...); its responses are empty or errors, no order',
  getOrderRegulatedInfo: 'regulated-product (prescription) verification data, not the order lifecycle',
  updateVerificationStatus:
    'a request to update a regulated-product verification; its responses are empty or errors, no order',
  confirmShipment: 'a confirmShipment request; its responses are empty or errors, no order',
};

/** The ORDER_CHANGE property examples that are order data, by the property's pointer. */
const orderChangeFragments: Record<string, Kind> = {
  '/properties/Payload': 'order-change-payload',
  '/properties/Payload/properties/OrderChangeNotification': 'order-change-body',
  '/properties/Payload/properties/OrderChangeNotification/properties/Summary': 'order-change-summary',
  '/properties/Payload/properties/OrderChangeNotification/properties/Summary/properties/OrderItems':
    'order-change-items',
  '/properties/Payload/properties/OrderChangeNotification/properties/Summary/properties/OrderItems/items':
    'order-change-item',
};

/** The value lists the adapters read (src/amazon/schemas.ts), by the name the enum test uses. */
const enumSources: { name: string; path: string; pointer: string }[] = [
  { name: 'v0.Order.OrderStatus', path: V0, pointer: '/definitions/Order/properties/OrderStatus/enum' },
  { name: 'v0.Order.FulfillmentChannel', path: V0, pointer: '/definitions/Order/properties/FulfillmentChannel/enum' },
  { name: 'v0.EasyShipShipmentStatus', path: V0, pointer: '/definitions/EasyShipShipmentStatus/enum' },
  {
    name: 'v0.BuyerRequestedCancel.IsBuyerRequestedCancel',
    path: V0,
    pointer: '/definitions/BuyerRequestedCancel/properties/IsBuyerRequestedCancel/description',
  },
  { name: 'v2026.FulfillmentStatus', path: V2026, pointer: '/definitions/FulfillmentStatus/enum' },
  {
    name: 'v2026.OrderFulfillment.fulfilledBy',
    path: V2026,
    pointer: '/definitions/OrderFulfillment/properties/fulfilledBy/description',
  },
  {
    name: 'v2026.ItemCancellationRequest.requester',
    path: V2026,
    pointer: '/definitions/ItemCancellationRequest/properties/requester/description',
  },
  {
    name: 'v2026.ItemCancellationExecution.cancelledBy',
    path: V2026,
    pointer: '/definitions/ItemCancellationExecution/properties/cancelledBy/description',
  },
  ...[
    ['NotificationLevel', 'NotificationLevel'],
    ['OrderChangeType', 'OrderChangeType'],
    ['Summary.OrderStatus', 'Summary/properties/OrderStatus'],
    ['Summary.FulfillmentType', 'Summary/properties/FulfillmentType'],
    ['Summary.EasyShipShipmentStatus', 'Summary/properties/EasyShipShipmentStatus'],
    ['Summary.OrderItems.OrderItemStatus', 'Summary/properties/OrderItems/items/properties/OrderItemStatus'],
  ].map(([name, tail]) => ({
    name: `orderChange.${name}`,
    path: ORDER_CHANGE,
    pointer: `/properties/Payload/properties/OrderChangeNotification/properties/${tail}/enum`,
  })),
];

/** The objects the adapters' schemas model, whose `required` lists the schemas must not exceed. */
const requiredSources: { name: string; path: string; pointer: string }[] = [
  ...['OrdersList', 'Order', 'OrderItemsList', 'OrderItem', 'BuyerRequestedCancel'].map((name) => ({
    name: `v0.${name}`,
    path: V0,
    pointer: `/definitions/${name}`,
  })),
  ...[
    'SearchOrdersResponse',
    'Order',
    'SalesChannel',
    'OrderFulfillment',
    'DateTimeRange',
    'OrderItem',
    'ItemProduct',
    'ItemCancellation',
    'ItemCancellationRequest',
    'ItemCancellationExecution',
    'ItemFulfillment',
    'OrderPackage',
    'PackageItem',
  ].map((name) => ({ name: `v2026.${name}`, path: V2026, pointer: `/definitions/${name}` })),
  ...[
    ['Notification', ''],
    ['Payload', '/properties/Payload'],
    ['OrderChangeNotification', '/properties/Payload/properties/OrderChangeNotification'],
    ['OrderChangeTrigger', '/properties/Payload/properties/OrderChangeNotification/properties/OrderChangeTrigger'],
    ['Summary', '/properties/Payload/properties/OrderChangeNotification/properties/Summary'],
    [
      'OrderItem',
      '/properties/Payload/properties/OrderChangeNotification/properties/Summary/properties/OrderItems/items',
    ],
    ['NotificationMetadata', '/properties/NotificationMetadata'],
  ].map(([name, pointer]) => ({ name: `orderChange.${name}`, path: ORDER_CHANGE, pointer: pointer! })),
];

const escapeToken = (token: string): string => token.replace(/~/g, '~0').replace(/\//g, '~1');
const unescapeToken = (token: string): string => token.replace(/~1/g, '/').replace(/~0/g, '~');

/** The value at an RFC 6901 pointer, or throws naming the pointer. */
function at(document: Json, pointer: string): Json {
  if (pointer === '') return document;
  let value: Json | undefined = document;
  for (const token of pointer.slice(1).split('/').map(unescapeToken)) {
    value = value !== null && typeof value === 'object' ? (value as Record<string, Json>)[token] : undefined;
    if (value === undefined) throw new Error(`Pointer ${pointer} names nothing in the model.`);
  }
  return value;
}

const isObject = (value: Json | undefined): value is JsonObject =>
  value !== null && typeof value === 'object' && !Array.isArray(value);

/** Reads a model file from a checkout, or from a bare git directory at its HEAD. */
function reader(repo: string): { commit: string; read(path: string): Json } {
  const git = (...args: string[]) =>
    execFileSync('git', ['-C', repo, ...args], { encoding: 'utf8', maxBuffer: 64 << 20 });
  const commit = git('rev-parse', 'HEAD').trim();
  const worktree = MODELS.every((path) => existsSync(join(repo, path)));
  return {
    commit,
    read: (path) =>
      JSON.parse(worktree ? readFileSync(join(repo, path), 'utf8') : git('show', `${commit}:${path}`)) as Json,
  };
}

/** Every pointer under `node` whose last token is one of the example keywords, in document order. */
function exampleLocations(node: Json, pointer = ''): string[] {
  if (node === null || typeof node !== 'object') return [];
  const found: string[] = [];
  for (const [key, child] of Object.entries(node)) {
    const here = `${pointer}/${escapeToken(key)}`;
    if (['examples', 'example', 'x-example', 'x-amzn-api-sandbox'].includes(key) && !Array.isArray(node))
      found.push(here);
    else found.push(...exampleLocations(child, here));
  }
  return found;
}

/** `/paths/~1orders~1v0~1orders/get/responses/200/examples` → its path, method and status code. */
function responseOf(pointer: string): { apiPath: string; method: string; code: string } | undefined {
  const match = /^\/paths\/([^/]+)\/([^/]+)\/responses\/([^/]+)\/[^/]+$/.exec(pointer);
  return match ? { apiPath: unescapeToken(match[1]!), method: match[2]!, code: match[3]! } : undefined;
}

function extractOrdersModel(
  path: string,
  model: Json,
  commit: string,
  extracted: Extracted[],
  skipped: Skipped[],
): void {
  const prefix = path === V0 ? 'v0' : 'v2026';
  for (const pointer of exampleLocations(model)) {
    const response = responseOf(pointer);
    if (!response) {
      if (/\/parameters\/\d+\/x-example$/.test(pointer))
        skipped.push({ path, pointer, reason: 'a query or path parameter value, not a response' });
      else if (/^\/definitions\/(ItemPacking|AssociatedOrderItem)\/example$/.test(pointer)) {
        skipped.push({
          path,
          pointer,
          reason:
            'a fragment of an order item (gift packing / an associated service item), already inside the order examples',
        });
      } else throw new Error(`${path}${pointer} is an example this script does not know: classify it.`);
      continue;
    }
    const operation = at(model, `/paths/${escapeToken(response.apiPath)}/${response.method}`) as JsonObject;
    const operationId = String(operation['operationId']);
    const kind = orderOperations[path]?.[operationId];
    const container = at(model, pointer) as JsonObject;
    const entries: { pointer: string; name: string; request?: Json; payload: Json }[] = [];
    if (pointer.endsWith('/examples')) {
      for (const [mediaType, payload] of Object.entries(container)) {
        entries.push({
          pointer: `${pointer}/${escapeToken(mediaType)}`,
          name: mediaType === 'application/json' ? 'example' : `example-${mediaType}`,
          payload,
        });
      }
    } else {
      for (const [mode, list] of Object.entries(container)) {
        (list as JsonObject[]).forEach((entry, index) => {
          entries.push({
            pointer: `${pointer}/${mode}/${index}/response`,
            name: `sandbox-${mode}-${index}`,
            request: entry['request']!,
            payload: entry['response']!,
          });
        });
      }
    }
    for (const entry of entries) {
      if (!kind || response.code !== '200') {
        const reason = !kind
          ? `${operationId}: ${skippedOperations[operationId] ?? fail(`${operationId} in ${path} is an operation this script does not know: classify it.`)}`
          : `${operationId} ${response.code}: an error response, no order`;
        skipped.push({ path, pointer: entry.pointer, reason });
        continue;
      }
      extracted.push({
        file: `${prefix}-${operationId}.${entry.name}.json`,
        source: { repository: REPOSITORY, path, pointer: entry.pointer, commit },
        kind,
        ...(entry.request === undefined ? {} : { request: entry.request }),
        payload: entry.payload,
      });
    }
  }
}

function extractOrderChange(model: Json, commit: string, extracted: Extracted[], skipped: Skipped[]): void {
  for (const pointer of exampleLocations(model)) {
    const owner = pointer.slice(0, -'/examples'.length);
    const kind: Kind | undefined = owner === '' ? 'order-change' : orderChangeFragments[owner];
    const list = at(model, pointer) as Json[];
    list.forEach((payload, index) => {
      const source = { repository: REPOSITORY, path: ORDER_CHANGE, pointer: `${pointer}/${index}`, commit };
      if (kind) {
        extracted.push({ file: `${kind}.example-${index}.json`, source, kind, payload });
        return;
      }
      const reason = isObject(payload)
        ? `the ${owner.split('/').pop()} object alone (no order data of its own), already inside the whole example`
        : `a single field's value (${JSON.stringify(payload)}), already inside the whole example`;
      skipped.push({ path: ORDER_CHANGE, pointer: source.pointer, reason });
    });
  }
}

function fail(message: string): never {
  throw new Error(message);
}

/** The values of a "**Possible values**: `A`, `B`." description, in order. */
function possibleValues(description: string, where: string): string[] {
  const match = /\*\*Possible values\*\*:?([^\n]*)/i.exec(description);
  const values = match ? [...match[1]!.matchAll(/`([^`]+)`/g)].map((m) => m[1]!) : [];
  if (values.length === 0) throw new Error(`${where} lists no possible values.`);
  return values;
}

/** A line of the README describing what an example holds: the orders' ids, statuses and items. */
function describeExample(example: Extracted): string {
  const payload = example.payload as JsonObject;
  const inner = (payload['payload'] ?? payload) as JsonObject;
  const v0Order = (order: JsonObject) =>
    `${order['AmazonOrderId']} ${order['OrderStatus']} ${order['FulfillmentChannel'] ?? ''}${order['EasyShipShipmentStatus'] ? ` EasyShip ${order['EasyShipShipmentStatus']}` : ''}`.trim();
  const v2026Order = (order: JsonObject) => {
    const fulfillment = (order['fulfillment'] ?? {}) as JsonObject;
    const items = (order['orderItems'] as JsonObject[])
      .map((item) => `${item['orderItemId']}×${item['quantityOrdered']}`)
      .join(', ');
    return `${order['orderId']} ${fulfillment['fulfillmentStatus'] ?? '(no fulfillment)'} ${fulfillment['fulfilledBy'] ?? ''}${fulfillment['shipByWindow'] ? '' : ' (no shipByWindow)'}: ${items}`;
  };
  switch (example.kind) {
    case 'v0-orders':
      return (inner['Orders'] as JsonObject[]).map(v0Order).join('; ');
    case 'v0-order':
      return v0Order(inner);
    case 'v0-order-items':
      return `${inner['AmazonOrderId']}: ${(inner['OrderItems'] as JsonObject[]).map((item) => `${item['OrderItemId']} shipped ${item['QuantityShipped'] ?? '-'} of ${item['QuantityOrdered']}`).join(', ')}`;
    case 'v2026-search':
      return (payload['orders'] as JsonObject[]).map(v2026Order).join('; ');
    case 'v2026-order':
      return v2026Order(payload['order'] as JsonObject);
    case 'order-change': {
      const change = (payload['Payload'] as JsonObject)['OrderChangeNotification'] as JsonObject;
      const summary = change['Summary'] as JsonObject;
      return `${change['AmazonOrderId']} ${change['OrderChangeType']} (${(change['OrderChangeTrigger'] as JsonObject)['ChangeReason']}), ${summary['OrderStatus']} ${summary['FulfillmentType']}`;
    }
    default:
      return kinds[example.kind];
  }
}

const requestOf = (example: Extracted): string => {
  if (!isObject(example.request)) return '';
  const parameters = (example.request['parameters'] ?? {}) as JsonObject;
  return Object.entries(parameters)
    .map(([name, value]) => `${name}=${JSON.stringify((value as JsonObject)['value'])}`)
    .join(' ');
};

function readme(commit: string, extracted: Extracted[], skipped: Skipped[]): string {
  const row = (cells: string[]) => `| ${cells.map((cell) => cell.replace(/\|/g, '\\|')).join(' | ')} |`;
  return [
    "# Amazon's published order examples",
    '',
    `Written by \`npx tsx scripts/extract-published-examples.ts <${REPOSITORY} checkout or bare git dir>\` from`,
    `[${REPOSITORY}](https://github.com/${REPOSITORY}) at commit \`${commit}\`:`,
    ...MODELS.map((path) => `- \`${path}\``),
    '',
    'Each example file is `{ source: { repository, path, pointer, commit }, kind, request?, payload }`: `pointer` is the',
    'RFC 6901 pointer of `payload` in the model file, `payload` the example verbatim, and `request` the sandbox',
    'request it answers (sandbox responses only). Do not edit them by hand: re-run the script.',
    '',
    '- `enums.json`: every value list the adapters read, with its source; `valuesFrom` says whether the model gives it as',
    '  an `enum` or as the "Possible values" of a description. test/amazon/published-enums.test.ts compares',
    '  src/amazon/schemas.ts with it.',
    '- `required.json`: the `required` lists of the objects the schemas model; no schema requires a field they do not.',
    '- `expected.json` (written by hand, not by the script): the outcome each order example describes, which',
    '  test/amazon/published.test.ts checks through the adapters and the machine.',
    '',
    '## Kinds',
    '',
    row(['kind', 'what the payload is']),
    row(['---', '---']),
    ...Object.entries(kinds).map(([kind, what]) => row([`\`${kind}\``, what])),
    '',
    '## Files',
    '',
    row(['file', 'kind', 'pointer', 'sandbox request', 'holds']),
    row(['---', '---', '---', '---', '---']),
    ...extracted.map((example) =>
      row([
        `\`${example.file}\``,
        example.kind,
        `\`${example.source.path.split('/').pop()}#${example.source.pointer}\``,
        requestOf(example),
        describeExample(example),
      ]),
    ),
    '',
    '## Skipped',
    '',
    'Every other example in the three files, and why it is not here:',
    '',
    row(['model', 'pointer', 'why']),
    row(['---', '---', '---']),
    ...skipped.map((skip) => row([skip.path.split('/').pop()!, `\`${skip.pointer}\``, skip.reason])),
    '',
  ].join('\n');
}

/** Files the script wrote before (and writes again): everything but the hand-written ones. */
const generated = (file: string): boolean =>
  /^(v0-|v2026-|order-change)/.test(file) || ['enums.json', 'required.json', 'README.md'].includes(file);

function main(): void {
  const [repoArg, outArg] = process.argv.slice(2);
  if (!repoArg)
    throw new Error(
      'Usage: npx tsx scripts/extract-published-examples.ts <selling-partner-api-models checkout or bare git dir> [out dir]',
    );
  const out = resolve(outArg ?? join(import.meta.dirname, '../test/fixtures/amazon/published'));
  const { commit, read } = reader(resolve(repoArg));
  const models = Object.fromEntries(MODELS.map((path) => [path, read(path)])) as Record<string, Json>;
  const extracted: Extracted[] = [];
  const skipped: Skipped[] = [];
  extractOrdersModel(V0, models[V0]!, commit, extracted, skipped);
  extractOrdersModel(V2026, models[V2026]!, commit, extracted, skipped);
  extractOrderChange(models[ORDER_CHANGE]!, commit, extracted, skipped);

  const enums = Object.fromEntries(
    enumSources.map(({ name, path, pointer }) => {
      const value = at(models[path]!, pointer);
      const values = Array.isArray(value) ? value.map(String) : possibleValues(String(value), `${path}#${pointer}`);
      return [
        name,
        {
          source: { repository: REPOSITORY, path, pointer, commit },
          valuesFrom: Array.isArray(value) ? 'enum' : 'description',
          values,
        },
      ];
    }),
  );
  const required = Object.fromEntries(
    requiredSources.map(({ name, path, pointer }) => {
      const schema = at(models[path]!, pointer);
      if (!isObject(schema) || !isObject(schema['properties']))
        throw new Error(`${path}#${pointer} is not an object schema.`);
      return [
        name,
        {
          source: { repository: REPOSITORY, path, pointer, commit },
          required: (schema['required'] ?? []) as string[],
          properties: Object.keys(schema['properties']),
        },
      ];
    }),
  );

  mkdirSync(out, { recursive: true });
  for (const file of readdirSync(out)) if (generated(file)) rmSync(join(out, file));
  const write = (file: string, value: unknown) =>
    writeFileSync(join(out, file), typeof value === 'string' ? value : `${JSON.stringify(value, null, 2)}\n`);
  for (const { file, ...example } of extracted) write(file, example);
  write('enums.json', enums);
  write('required.json', required);
  write('README.md', readme(commit, extracted, skipped));
  console.log(
    `${extracted.length} examples, ${Object.keys(enums).length} enums, ${Object.keys(required).length} required lists written to ${out}; ${skipped.length} examples skipped (see README.md).`,
  );
}

main();
