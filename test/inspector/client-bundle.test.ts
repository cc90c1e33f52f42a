import { describe, expect, it } from 'vitest';
import { bundleInspectorClient } from '../../scripts/build-inspector-client.js';
import { pageHtml, pageScript } from '../../src/inspector/page.js';

describe("the inspector page's bundle", () => {
  it('should take only the package’s own files: no zod, no node: module, no dependency at all', async () => {
    const { text: bundle, inputs } = await bundleInspectorClient();
    expect(inputs).toContain('src/inspector/client/main.ts');
    // Shared with the server rather than copied.
    expect(inputs).toContain('src/inspector/changes.ts');
    expect(inputs.filter((input) => !input.startsWith('src/'))).toEqual([]);
    expect(inputs.filter((input) => /zod|node_modules/.test(input))).toEqual([]);
    expect(bundle).not.toMatch(/\brequire\(|\bimport\(|node:/);
    // Small enough for a page served from localhost to load at once (it was 37,712 bytes as a function's text).
    expect(Buffer.byteLength(bundle)).toBeLessThan(40_000);
  });

  it('should be what the server serves when running from source, with the configuration in the page', async () => {
    const { text: bundle } = await bundleInspectorClient();
    expect(await pageScript()).toBe(bundle);
    const html = pageHtml({
      socketPath: '/__inspector/page',
      parents: { '</script><script>alert(1)': 'placed' },
      edgeAliases: {},
      statuses: {},
    });
    const block = /<script type="application\/json" id="inspector-config">(.*?)<\/script>/.exec(html)![1]!;
    expect(JSON.parse(block)).toMatchObject({ parents: { '</script><script>alert(1)': 'placed' } });
    expect(html.match(/<script/g)).toHaveLength(2);
  });
});
