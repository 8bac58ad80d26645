import { plural } from '../../common/index.js';
/**
 * The volunteer's own trend as a server-rendered SVG (no client-side library): WHO-5 percentages
 * and after-shift moods (scaled to 0–100) as lines over time, and attended shifts per week as bars
 * underneath, so wellbeing sits next to how regularly they volunteered. Text alternatives are built in.
 */
export interface TrendInput {
  from: Date;
  to: Date;
  who5: Array<{ at: Date; percentage: number }>;
  moods: Array<{ at: Date; mood: number }>;
  shiftsPerWeek: Array<{ weekStart: Date; count: number }>;
}

const WIDTH = 640;
const HEIGHT = 260;
const PAD = { left: 40, right: 12, top: 12, bottom: 28 };
const LINE_BOTTOM = 170;
const BAR_TOP = 190;

/** Mood 1–5 on the same 0–100 axis as WHO-5: 1 → 0, 5 → 100. */
export const moodToPercent = (mood: number) => (mood - 1) * 25;

export function trendChartSvg(input: TrendInput): string {
  const span = Math.max(1, input.to.getTime() - input.from.getTime());
  const x = (at: Date) => PAD.left + ((at.getTime() - input.from.getTime()) / span) * (WIDTH - PAD.left - PAD.right);
  const y = (percent: number) => LINE_BOTTOM - (percent / 100) * (LINE_BOTTOM - PAD.top);
  const maxShifts = Math.max(1, ...input.shiftsPerWeek.map((w) => w.count));
  const barHeight = (count: number) => (count / maxShifts) * (HEIGHT - PAD.bottom - BAR_TOP);
  const line = (points: Array<{ at: Date; value: number }>, cls: string, label: string) =>
    points.length === 0
      ? ''
      : `<polyline class="${cls}" fill="none" points="${points.map((p) => `${x(p.at).toFixed(1)},${y(p.value).toFixed(1)}`).join(' ')}"><title>${label}</title></polyline>` +
        points
          .map(
            (p) =>
              `<circle class="${cls}" cx="${x(p.at).toFixed(1)}" cy="${y(p.value).toFixed(1)}" r="3.5"><title>${label} ${day(p.at)}: ${Math.round(p.value)}</title></circle>`,
          )
          .join('');
  const weekWidth = ((7 * 86_400_000) / span) * (WIDTH - PAD.left - PAD.right) * 0.8;
  const bars = input.shiftsPerWeek
    .filter((w) => w.count > 0)
    .map(
      (w) =>
        `<rect class="shifts" x="${x(w.weekStart).toFixed(1)}" y="${(HEIGHT - PAD.bottom - barHeight(w.count)).toFixed(1)}" width="${weekWidth.toFixed(1)}" height="${barHeight(w.count).toFixed(1)}"><title>Week of ${day(w.weekStart)}: ${plural(w.count, { one: '# shift', other: '# shifts' })}</title></rect>`,
    )
    .join('');
  const summary = `WHO-5: ${plural(input.who5.length, { one: '# answer', other: '# answers' })}${input.who5.length ? `, latest ${input.who5.at(-1)!.percentage}` : ''}. Moods: ${input.moods.length}. Shifts: ${input.shiftsPerWeek.reduce((n, w) => n + w.count, 0)} from ${day(input.from)} to ${day(input.to)}.`;
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${WIDTH} ${HEIGHT}" role="img" aria-labelledby="trend-title trend-desc" class="trend">` +
    `<title id="trend-title">How you have been, and how often you volunteered</title><desc id="trend-desc">${summary}</desc>` +
    [0, 50, 100]
      .map(
        (p) =>
          `<line class="grid" x1="${PAD.left}" x2="${WIDTH - PAD.right}" y1="${y(p)}" y2="${y(p)}"/><text class="axis" x="${PAD.left - 6}" y="${y(p) + 4}" text-anchor="end">${p}</text>`,
      )
      .join('') +
    `<line class="grid" x1="${PAD.left}" x2="${WIDTH - PAD.right}" y1="${y(28)}" y2="${y(28)}" stroke-dasharray="4 4"/>` +
    line(
      input.who5.map((p) => ({ at: p.at, value: p.percentage })),
      'who5',
      'WHO-5',
    ) +
    line(
      input.moods.map((p) => ({ at: p.at, value: moodToPercent(p.mood) })),
      'mood',
      'Mood',
    ) +
    bars +
    `<text class="axis" x="${PAD.left}" y="${HEIGHT - 8}">${day(input.from)}</text><text class="axis" x="${WIDTH - PAD.right}" y="${HEIGHT - 8}" text-anchor="end">${day(input.to)}</text>` +
    `</svg>`
  );
}

function day(at: Date): string {
  return at.toISOString().slice(0, 10);
}
