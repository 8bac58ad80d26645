/**
 * A stacked column chart as a server-rendered SVG string (no client-side library; the page works
 * without JavaScript). Every text is escaped; the chart names itself (title + desc) for screen
 * readers, and each segment carries its own <title> as a tooltip. The pages also print the same
 * numbers as a table, so nothing is only in the picture.
 */
export interface ColumnPart {
  /** CSS class of the segment (colour comes from the stylesheet). */
  cls: string;
  /** What the segment counts, for its tooltip: "booked". */
  name: string;
  value: number;
}

export interface Column {
  label: string;
  parts: ColumnPart[];
}

export interface StackedColumnsInput {
  /** Element id prefix; unique on the page. */
  id: string;
  title: string;
  /** One or two sentences that say what the chart shows. */
  summary: string;
  columns: Column[];
}

const WIDTH = 640;
const HEIGHT = 220;
const PAD = { left: 36, right: 8, top: 10, bottom: 34 };

export function stackedColumnsSvg(input: StackedColumnsInput): string {
  const plotWidth = WIDTH - PAD.left - PAD.right;
  const plotHeight = HEIGHT - PAD.top - PAD.bottom;
  const max = Math.max(1, ...input.columns.map((c) => c.parts.reduce((n, p) => n + p.value, 0)));
  const step = plotWidth / Math.max(1, input.columns.length);
  const barWidth = step * 0.7;
  const y = (value: number) => PAD.top + plotHeight - (value / max) * plotHeight;
  const columns = input.columns
    .map((column, i) => {
      const x = PAD.left + i * step + (step - barWidth) / 2;
      let base = 0;
      const segments = column.parts
        .filter((p) => p.value > 0)
        .map((p) => {
          const top = y(base + p.value);
          const height = y(base) - top;
          base += p.value;
          return `<rect class="${escapeXml(p.cls)}" x="${x.toFixed(1)}" y="${top.toFixed(1)}" width="${barWidth.toFixed(1)}" height="${height.toFixed(1)}"><title>${escapeXml(`${column.label}: ${p.value} ${p.name}`)}</title></rect>`;
        })
        .join('');
      const label = `<text class="axis" x="${(x + barWidth / 2).toFixed(1)}" y="${HEIGHT - PAD.bottom + 14}" text-anchor="middle">${escapeXml(column.label)}</text>`;
      return segments + label;
    })
    .join('');
  const ticks = [0, Math.round(max / 2), max]
    .filter((v, i, all) => all.indexOf(v) === i)
    .map(
      (v) =>
        `<line class="grid" x1="${PAD.left}" x2="${WIDTH - PAD.right}" y1="${y(v).toFixed(1)}" y2="${y(v).toFixed(1)}"/><text class="axis" x="${PAD.left - 6}" y="${(y(v) + 4).toFixed(1)}" text-anchor="end">${v}</text>`,
    )
    .join('');
  const id = escapeXml(input.id);
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${WIDTH} ${HEIGHT}" role="img" aria-labelledby="${id}-title ${id}-desc" class="chart">` +
    `<title id="${id}-title">${escapeXml(input.title)}</title><desc id="${id}-desc">${escapeXml(input.summary)}</desc>` +
    ticks +
    columns +
    `</svg>`
  );
}

export function escapeXml(value: string): string {
  return value.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c] as string,
  );
}
