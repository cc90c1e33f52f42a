import type { Lang } from '../domain/index.js';
import type { SimulationFigures } from './engine.js';
import { formatCount, renderCli } from '../domain/locales/cli.js';

const escape = (text: string) =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const percent = (rate: number, digits = 2) => `${(rate * 100).toFixed(digits)}%`;

/**
 * The daily Cancellation Rate of a run as an SVG bar chart: one bar per simulated day, the 2.5% target as a
 * dashed line, axes with labels, a title and a legend. Plain SVG 1.1, no script, no external resource.
 * @example
 * writeFileSync('simulation.svg', dailyRateChart(figures, 'en'));
 */
export function dailyRateChart(figures: SimulationFigures, lang: Lang = 'en'): string {
  // The chart's words are the command line's (`cli.chart.*`): the chart is drawn for `simulate`.
  const w = {
    title: renderCli(lang, 'cli.chart.title', { orders: formatCount(lang, figures.orders), seed: figures.seed }),
    subtitle: renderCli(lang, 'cli.chart.subtitle'),
    target: (target: string) => renderCli(lang, 'cli.chart.target', { target }),
    axisY: renderCli(lang, 'cli.chart.axisY'),
    axisX: renderCli(lang, 'cli.chart.axisX'),
    legendUnder: renderCli(lang, 'cli.chart.legendUnder'),
    legendOver: renderCli(lang, 'cli.chart.legendOver'),
  };
  const width = 760;
  const height = 440;
  const left = 70;
  // The target's label sits in the right margin, beside its line's end: never on a bar.
  const right = 104;
  const top = 78;
  const bottom = 94;
  const plotW = width - left - right;
  const plotH = height - top - bottom;
  const target = figures.cancellationRate.target;
  const highest = Math.max(target, ...figures.daily.map((d) => d.rate));
  // The y axis in whole percent, a little above the highest bar or the target.
  const maxPercent = Math.max(1, Math.ceil(highest * 100 * 1.15));
  const step = maxPercent <= 5 ? 0.5 : maxPercent <= 10 ? 1 : Math.ceil(maxPercent / 10);
  const y = (rate: number) => top + plotH - (rate * 100 * plotH) / maxPercent;
  const slot = plotW / Math.max(1, figures.daily.length);
  const barW = Math.min(56, slot * 0.6);
  const font = "font-family=\"'Segoe UI', 'Helvetica Neue', Arial, 'PingFang SC', 'Noto Sans CJK SC', sans-serif\"";
  // A white outline keeps labels readable where they cross a bar or the target line.
  const halo = 'stroke="#ffffff" stroke-width="3" paint-order="stroke"';
  const parts: string[] = [];
  parts.push(`<?xml version="1.0" encoding="UTF-8"?>`);
  parts.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-labelledby="title desc" ${font}>`,
  );
  parts.push(`  <title id="title">${escape(w.title)}</title>`);
  parts.push(
    `  <desc id="desc">${escape(figures.daily.map((d) => `${d.date}: ${percent(d.rate)} (${d.canceled}/${d.orders})`).join('; '))}</desc>`,
  );
  parts.push(`  <rect width="${width}" height="${height}" fill="#ffffff"/>`);
  parts.push(`  <text x="${left}" y="30" font-size="18" font-weight="bold" fill="#1f2933">${escape(w.title)}</text>`);
  parts.push(`  <text x="${left}" y="50" font-size="11" fill="#52606d">${escape(w.subtitle)}</text>`);
  for (let p = 0; p <= maxPercent + 1e-9; p += step) {
    const ty = y(p / 100).toFixed(1);
    parts.push(`  <line x1="${left}" y1="${ty}" x2="${width - right}" y2="${ty}" stroke="#e4e7eb" stroke-width="1"/>`);
    parts.push(
      `  <text x="${left - 8}" y="${ty}" font-size="11" fill="#52606d" text-anchor="end" dominant-baseline="middle">${p.toFixed(step < 1 ? 1 : 0)}%</text>`,
    );
  }
  // The target line goes under the bars, its label over everything.
  const ty = y(target).toFixed(1);
  parts.push(
    `  <line x1="${left}" y1="${ty}" x2="${width - right}" y2="${ty}" stroke="#c92a2a" stroke-width="2" stroke-dasharray="6 4"/>`,
  );
  figures.daily.forEach((day, i) => {
    const cx = left + slot * i + slot / 2;
    const by = y(day.rate);
    const over = day.rate >= target;
    parts.push(
      `  <rect x="${(cx - barW / 2).toFixed(1)}" y="${by.toFixed(1)}" width="${barW.toFixed(1)}" height="${(top + plotH - by).toFixed(1)}" fill="${over ? '#e8590c' : '#2f9e44'}"><title>${escape(`${day.date}: ${percent(day.rate)} (${day.canceled}/${day.orders})`)}</title></rect>`,
    );
    parts.push(
      `  <text x="${cx.toFixed(1)}" y="${(by - 6).toFixed(1)}" font-size="11" fill="#1f2933" text-anchor="middle" ${halo}>${percent(day.rate)}</text>`,
    );
    parts.push(
      `  <text x="${cx.toFixed(1)}" y="${top + plotH + 18}" font-size="11" fill="#52606d" text-anchor="middle">${escape(day.date.slice(5))}</text>`,
    );
    parts.push(
      `  <text x="${cx.toFixed(1)}" y="${top + plotH + 32}" font-size="10" fill="#7b8794" text-anchor="middle">${day.canceled}/${day.orders}</text>`,
    );
  });
  parts.push(
    `  <text x="${width - right + 6}" y="${ty}" font-size="11" font-weight="bold" fill="#c92a2a" text-anchor="start" dominant-baseline="middle" data-label="target">${escape(w.target(percent(target, 1)))}</text>`,
  );
  parts.push(`  <line x1="${left}" y1="${top}" x2="${left}" y2="${top + plotH}" stroke="#52606d" stroke-width="1"/>`);
  parts.push(
    `  <line x1="${left}" y1="${top + plotH}" x2="${width - right}" y2="${top + plotH}" stroke="#52606d" stroke-width="1"/>`,
  );
  parts.push(
    `  <text transform="translate(18 ${top + plotH / 2}) rotate(-90)" font-size="12" fill="#1f2933" text-anchor="middle">${escape(w.axisY)}</text>`,
  );
  parts.push(
    `  <text x="${left + plotW / 2}" y="${top + plotH + 52}" font-size="12" fill="#1f2933" text-anchor="middle">${escape(w.axisX)}</text>`,
  );
  const legendY = height - 12;
  parts.push(`  <rect x="${left}" y="${legendY - 9}" width="10" height="10" fill="#2f9e44"/>`);
  parts.push(`  <text x="${left + 14}" y="${legendY}" font-size="11" fill="#52606d">${escape(w.legendUnder)}</text>`);
  parts.push(`  <rect x="${left + 110}" y="${legendY - 9}" width="10" height="10" fill="#e8590c"/>`);
  parts.push(`  <text x="${left + 124}" y="${legendY}" font-size="11" fill="#52606d">${escape(w.legendOver)}</text>`);
  parts.push(
    `  <line x1="${left + 250}" y1="${legendY - 4}" x2="${left + 274}" y2="${legendY - 4}" stroke="#c92a2a" stroke-width="2" stroke-dasharray="6 4"/>`,
  );
  parts.push(
    `  <text x="${left + 280}" y="${legendY}" font-size="11" fill="#52606d">${escape(w.target(percent(target, 1)))}</text>`,
  );
  parts.push(`</svg>`);
  return `${parts.join('\n')}\n`;
}
