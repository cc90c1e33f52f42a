import { columns } from './format.js';

/**
 * Rows of cells as lines with aligned columns (two spaces apart), Chinese characters counted two columns wide.
 * `right` lists the columns to align right (numbers).
 * @example
 * formatTable([['metric', 'rate'], ['取消率', '2.50%']]); // ['metric  rate', '取消率  2.50%']
 */
export function formatTable(
  rows: readonly (readonly string[])[],
  options: { right?: readonly number[] } = {},
): string[] {
  const count = Math.max(...rows.map((row) => row.length));
  const widths = Array.from({ length: count }, (_, i) => Math.max(...rows.map((row) => columns(row[i] ?? ''))));
  const right = new Set(options.right ?? []);
  return rows.map((row) =>
    row
      .map((cell, i) => {
        const pad = ' '.repeat(widths[i]! - columns(cell));
        return right.has(i) ? pad + cell : cell + pad;
      })
      .join('  ')
      .trimEnd(),
  );
}
