import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '../..');
const pkg = JSON.parse(readFileSync(resolve(root, 'package.json'), 'utf8')) as { exports: Record<string, unknown> };

// Rendering the reference takes TypeDoc about 20 s, so `npm run docs -- --check` (run by .ci/run) compares it in
// full; this only checks that no entry point was added without regenerating it.
describe('the API reference in docs/api/', () => {
  it('should have a page for every entry point of the package, listed on its index', () => {
    const names = Object.keys(pkg.exports)
      .filter((subpath) => subpath !== './package.json')
      .map((subpath) => (subpath === '.' ? 'order-lifecycle' : `order-lifecycle/${subpath.slice(2)}`));
    expect(names).toHaveLength(8);
    const index = readFileSync(resolve(root, 'docs/api/README.md'), 'utf8');
    for (const name of names) {
      expect(existsSync(resolve(root, 'docs/api', `${name}.md`)), name).toBe(true);
      expect(index).toContain(`[${name}](${name}.md)`);
    }
  });
});
