import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { renderStatechartDoc } from '../../scripts/statechart.js';

describe('docs/statechart.md', () => {
  it('should match the diagram generated from the machine (run `npm run docs` to refresh it)', () => {
    const committed = readFileSync(new URL('../../docs/statechart.md', import.meta.url), 'utf8');
    expect(committed).toBe(renderStatechartDoc());
  });

  it('should draw every state and the deadline transitions with their policy durations', () => {
    const doc = renderStatechartDoc();
    for (const name of ['buyer-cancellable', 'unshipped', 'label-generated', 'shipped', 'canceled', 'auto-canceled']) {
      expect(doc).toContain(`"${name}"`);
    }
    expect(doc).toContain('buyerCancellable --> unshipped: at 30 min after purchase');
    expect(doc).toContain('placed --> autoCanceled: at 7 days after latest ship date');
  });
});
