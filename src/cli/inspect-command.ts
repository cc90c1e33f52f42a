import * as z from 'zod';
import { InspectorError, openStoredOrders, startInspector } from '../inspector/index.js';

const Port = z.coerce.number().int().min(0).max(65535);

/** The options of `order-lifecycle inspect`, as commander gives them. */
export interface InspectCommandOptions {
  port: string;
  host: string;
  allowRemote: boolean;
  open?: string;
  db?: string;
  databaseUrl?: string;
  schema?: string;
}

/**
 * `order-lifecycle inspect`: starts the inspector, prints its address, and runs until SIGINT or SIGTERM.
 * @example
 * await runInspectCommand({ port: '4820', host: '127.0.0.1', allowRemote: false, db: 'orders.db' });
 */
export async function runInspectCommand(options: InspectCommandOptions): Promise<void> {
  const port = Port.safeParse(options.port);
  if (!port.success || options.port.trim() === '') {
    throw new InspectorError(
      `Invalid --port ${JSON.stringify(options.port)}: expected a whole number from 0 to 65535.`,
    );
  }
  const stored =
    options.db === undefined && options.databaseUrl === undefined
      ? undefined
      : await openStoredOrders({
          ...(options.db === undefined ? {} : { db: options.db }),
          ...(options.databaseUrl === undefined ? {} : { databaseUrl: options.databaseUrl }),
          ...(options.schema === undefined ? {} : { schema: options.schema }),
        });
  const inspector = await startInspector({
    ...(stored ? { stored } : {}),
    port: port.data,
    host: options.host,
    allowRemote: options.allowRemote,
    ...(options.open === undefined ? {} : { open: options.open }),
  });
  const loaded = inspector.orders().length;
  process.stdout.write(
    [
      `order-lifecycle inspector: ${inspector.url}`,
      `  live orders from Node: createOrderActor(input, { inspect: connectInspector('${inspector.socketUrl}').inspect })  (order-lifecycle/inspector)`,
      `  from a browser page:   createOrderActor(input, { inspect: createWebSocketInspector({ url: '${inspector.socketUrl}' }).inspect })`,
      ...(stored
        ? [`  stored orders (read-only) from ${stored.kind} ${stored.where}: listed under "Stored orders" in the page`]
        : []),
      ...(loaded ? [`  loaded ${loaded} recorded order${loaded === 1 ? '' : 's'} from ${options.open}`] : []),
      '  press Ctrl+C to stop',
      '',
    ].join('\n'),
  );
  await new Promise<void>((resolve) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  await inspector.close();
  await stored?.close();
}
