import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { dailyRateChart } from '../../src/sim/chart.js';
import type { SimulationFigures } from '../../src/sim/engine.js';

/** Figures with only what the chart draws: days whose last bar reaches past the target line. */
function figures(rates: number[]): SimulationFigures {
  return {
    seed: 7,
    orders: 700,
    cancellationRate: { target: 0.025 },
    daily: rates.map((rate, day) => ({
      date: `2026-11-${String(20 + day).padStart(2, '0')}`,
      rate,
      canceled: Math.round(rate * 100),
      orders: 100,
    })),
  } as unknown as SimulationFigures;
}

/** Checks that the target's label in `svg` sits beside its line, right of every bar and inside the picture. */
function expectLabelClearOfBars(svg: string, text: string, barCount: number): void {
  const label = /<text x="([\d.]+)" y="([\d.]+)"[^>]*data-label="target">([^<]+)<\/text>/.exec(svg);
  expect(label, svg).not.toBeNull();
  expect(label![3]).toBe(text);
  const x = Number(label![1]);
  const bars = [
    ...svg.matchAll(/<rect x="([\d.]+)" y="[\d.]+" width="([\d.]+)" height="[\d.]+" fill="#(?:e8590c|2f9e44)">/g),
  ];
  expect(bars).toHaveLength(barCount);
  // The label starts right of every bar (and of the plot), so no bar, the last included, is under it.
  for (const bar of bars) expect(x).toBeGreaterThan(Number(bar[1]) + Number(bar[2]));
  const [, plotEnd] = /<line x1="[\d.]+" y1="[\d.]+" x2="([\d.]+)" y2="[\d.]+" stroke="#c92a2a"/.exec(svg) ?? [];
  expect(x).toBeGreaterThan(Number(plotEnd));
  // …and it fits in the picture at 11 px (about 7 px a character, a CJK character about 11).
  const width = [...label![3]!.replace('&lt;', '<')].reduce(
    (sum, char) => sum + (char.charCodeAt(0) > 0x7f ? 11 : 7),
    0,
  );
  expect(x + width).toBeLessThanOrEqual(760);
}

describe('the simulation chart', () => {
  for (const lang of ['en', 'zh-CN'] as const)
    it(`puts the target's label (${lang}) beside its line, clear of every bar`, () => {
      const svg = dailyRateChart(figures([0.01, 0.02, 0.03, 0.02, 0.01, 0.024, 0.026]), lang);
      expectLabelClearOfBars(svg, lang === 'en' ? 'target &lt; 2.5%' : '目标 &lt; 2.5%', 7);
    });

  it('should show the same in docs/simulation.svg, the chart docs/simulation.md shows (written by npm start)', () => {
    const svg = readFileSync(join(dirname(fileURLToPath(import.meta.url)), '../../docs/simulation.svg'), 'utf8');
    expectLabelClearOfBars(svg, 'target &lt; 2.5%', 7);
  });
});
