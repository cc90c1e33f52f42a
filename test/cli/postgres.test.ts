import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOrderService } from '../../src/service/index.js';
import { PostgresStore } from '../../src/store/index.js';
import { DATABASE_URL, dropSchema, pgQuery, skipPostgres, testSchemaName } from '../support/postgres.js';
import { ORDER, cli, fillStore } from './support.js';

describe.skipIf(skipPostgres)('order-lifecycle status, apply and history on PostgreSQL', () => {
  const schema = testSchemaName('cli');
  const store = ['--database-url', DATABASE_URL, '--schema', schema];

  beforeAll(async () => {
    const service = await createOrderService({ store: new PostgresStore({ connectionString: DATABASE_URL, schema }) });
    await fillStore(service);
    await service.close();
  });

  afterAll(() => dropSchema(schema));

  it('should print the status, apply an event, refuse another and list both in the history', async () => {
    const status = cli(['status', ORDER, ...store, '--now', '2026-12-01T03:00:00Z', '--json']);
    expect(status.stderr).toBe('');
    expect(JSON.parse(status.stdout)).toMatchObject({ orderId: ORDER, status: 'unshipped', version: 2 });

    const label = cli([
      'apply',
      ORDER,
      '{"type":"seller.generateLabel","at":"2026-12-01T03:30:00Z"}',
      ...store,
      '--json',
    ]);
    expect(label.status).toBe(0);
    expect(JSON.parse(label.stdout)).toMatchObject({
      statusBefore: 'unshipped',
      statusAfter: 'label-generated',
      versionAfter: 3,
      stored: true,
    });

    const cancel = cli([
      'apply',
      ORDER,
      '{"type":"seller.cancel","at":"2026-12-01T03:40:00Z","reason":"NoInventory"}',
      ...store,
    ]);
    expect(cancel.status).toBe(1);
    expect(cancel.stdout).toMatch(/^ {2}verdict +refused LABEL_GENERATED: /m);

    const history = JSON.parse(cli(['history', ORDER, ...store, '--json']).stdout);
    expect(
      history.rows.map((row: { event: { type: string }; verdict: { code?: string } }) => [
        row.event.type,
        row.verdict.code ?? null,
      ]),
    ).toEqual([
      ['order.place', null],
      ['clock.tick', null],
      ['seller.generateLabel', null],
      ['seller.cancel', 'LABEL_GENERATED'],
    ]);
    const rows = await pgQuery<{ count: string }>(`SELECT count(*) FROM "${schema}".order_history`);
    expect(Number(rows.rows[0]!.count)).toBe(4);
  });

  it('should refuse an unknown order id in one line with exit status 2', () => {
    const run = cli(['history', 'no-such-order', ...store]);
    expect(run.status).toBe(2);
    expect(run.stderr).toBe('error: orderId: no order "no-such-order" in the store\n');
  });
});

describe.skipIf(skipPostgres)('order-lifecycle read-only commands on PostgreSQL', () => {
  it('should create nothing in a schema that has no order tables, and say so in one line with exit status 3', async () => {
    const schema = testSchemaName('cli_missing');
    const run = cli(['status', ORDER, '--database-url', DATABASE_URL, '--schema', schema]);
    expect(run.status).toBe(3);
    expect(run.stderr).toMatch(
      /^error: cannot open the order store \(PostgreSQL "[^"]+"\): relation "[^"]+\.orders" does not exist\n$/,
    );
    const schemas = await pgQuery('SELECT 1 FROM information_schema.schemata WHERE schema_name = $1', [schema]);
    expect(schemas.rowCount).toBe(0);
  });
});
