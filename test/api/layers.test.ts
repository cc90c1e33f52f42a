import { resolve } from 'node:path';
import { ESLint } from 'eslint';
import { beforeAll, describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '../..');

describe('the layer rule in eslint.config.js', () => {
  let eslint: ESLint;
  beforeAll(() => {
    eslint = new ESLint({ cwd: root });
  });

  /** The messages of the layer rules for `code` written in the file `path`. */
  async function layerErrors(path: string, code: string): Promise<string[]> {
    const [result] = await eslint.lintText(code, { filePath: resolve(root, path) });
    return result!.messages
      .filter((message) => message.ruleId === 'no-restricted-imports' || message.ruleId === 'no-restricted-syntax')
      .map((message) => message.message);
  }

  it('should refuse the package root imported from inside src/', async () => {
    const errors = await layerErrors(
      'src/store/example.ts',
      "import type { OrderStatus } from '../index.js';\nexport type S = OrderStatus;\n",
    );
    expect(errors).toEqual([expect.stringContaining('not the package root')]);
  });

  it("should refuse another module's file other than its index.js", async () => {
    const errors = await layerErrors(
      'src/cli/example.ts',
      "import { DEFAULT_FEED_MAX_BYTES } from '../amazon/feeds.js';\nexport const max = DEFAULT_FEED_MAX_BYTES;\n",
    );
    expect(errors).toEqual([
      expect.stringContaining('Import src/amazon through its barrel (src/amazon/index.js), not one of its files.'),
    ]);
  });

  it('should refuse a higher layer, even through its barrel', async () => {
    expect(
      await layerErrors(
        'src/store/example.ts',
        "import { createOrderService } from '../service/index.js';\nexport const create = createOrderService;\n",
      ),
    ).toEqual([
      expect.stringContaining('src/store must not import src/service: it is a higher layer (DESIGN.md, Layout).'),
    ]);
    expect(
      await layerErrors(
        'src/domain/example.ts',
        "import { orderMachine } from '../../machines/order/index.js';\nexport const machine = orderMachine;\n",
      ),
    ).toEqual([
      expect.stringContaining('src/domain must not import machines/order: it is a higher layer (DESIGN.md, Layout).'),
    ]);
  });

  it("should refuse a dynamic import of another module's file", async () => {
    const errors = await layerErrors(
      'src/cli/example.ts',
      "export const load = () => import('../inspector/chart.js');\n",
    );
    expect(errors).toEqual([
      expect.stringContaining(
        'Import src/inspector through its barrel (src/inspector/index.js), not one of its files.',
      ),
    ]);
  });

  it("should allow a lower layer's barrel and a module's own files, at any depth", async () => {
    expect(
      await layerErrors(
        'src/service/example.ts',
        "import { applyEvent } from '../runtime/index.js';\nimport { OrderStatus } from '../domain/index.js';\nexport { applyEvent, OrderStatus };\n",
      ),
    ).toEqual([]);
    expect(
      await layerErrors(
        'src/inspector/client/example.ts',
        "import { applyChanges } from '../changes.js';\nexport const apply = applyChanges;\n",
      ),
    ).toEqual([]);
    expect(
      await layerErrors(
        'machines/order/example.ts',
        "import { judge } from '../../src/domain/index.js';\nexport const rule = judge;\n",
      ),
    ).toEqual([]);
  });
});
