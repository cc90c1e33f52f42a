/**
 * Columns a terminal gives a text: two for each East Asian wide character, one for the others.
 * @example
 * displayWidth('取消率 3%'); // 9
 */
export function displayWidth(text: string): number {
  let total = 0;
  for (const char of text) total += /[\u1100-\u115F\u2E80-\uA4CF\uAC00-\uD7A3\uF900-\uFAFF\uFE30-\uFE4F\uFF00-\uFF60\uFFE0-\uFFE6]/u.test(char) ? 2 : 1;
  return total;
}

/**
 * Rows of cells as lines with aligned columns (two spaces apart), Chinese characters counted two columns wide.
 * `right` lists the columns to align right (numbers).
 * @example
 * formatTable([['metric', 'rate'], ['取消率', '2.50%']]); // ['metric  rate', '取消率  2.50%']
 */
export function formatTable(rows: readonly (readonly string[])[], options: { right?: readonly number[] } = {}): string[] {
  const columns = Math.max(...rows.map((row) => row.length));
  const widths = Array.from({ length: columns }, (_, i) => Math.max(...rows.map((row) => displayWidth(row[i] ?? ''))));
  const right = new Set(options.right ?? []);
  return rows.map((row) =>
    row
      .map((cell, i) => {
        const pad = ' '.repeat(widths[i]! - displayWidth(cell));
        return right.has(i) ? pad + cell : cell + pad;
      })
      .join('  ')
      .trimEnd(),
  );
}
