import { moodToPercent, trendChartSvg } from './trend-chart.js';

describe('trend chart', () => {
  const from = new Date('2026-09-01T00:00:00Z');
  const to = new Date('2026-12-01T00:00:00Z');

  it('draws one point per answer and one bar per week with shifts, with a text alternative', () => {
    const svg = trendChartSvg({
      from,
      to,
      who5: [
        { at: new Date('2026-10-01T00:00:00Z'), percentage: 40 },
        { at: new Date('2026-11-01T00:00:00Z'), percentage: 64 },
      ],
      moods: [{ at: new Date('2026-10-15T00:00:00Z'), mood: 4 }],
      shiftsPerWeek: [
        { weekStart: new Date('2026-10-12T00:00:00Z'), count: 2 },
        { weekStart: new Date('2026-10-19T00:00:00Z'), count: 0 },
      ],
    });
    expect(svg.match(/<circle class="who5"/g)).toHaveLength(2);
    expect(svg.match(/<circle class="mood"/g)).toHaveLength(1);
    expect(svg.match(/<rect class="shifts"/g)).toHaveLength(1);
    expect(svg).toContain('role="img"');
    expect(svg).toContain('latest 64');
    expect(svg).toContain('Week of 2026-10-12: 2 shifts');
  });

  it('puts higher scores higher up (smaller y), and maps mood 1–5 onto 0–100', () => {
    const svg = trendChartSvg({
      from,
      to,
      who5: [
        { at: from, percentage: 20 },
        { at: to, percentage: 80 },
      ],
      moods: [],
      shiftsPerWeek: [],
    });
    const ys = [...svg.matchAll(/<circle class="who5" cx="[\d.]+" cy="([\d.]+)"/g)].map((m) => Number(m[1]));
    expect(ys[1]).toBeLessThan(ys[0]);
    expect([1, 3, 5].map(moodToPercent)).toEqual([0, 50, 100]);
  });

  it('renders an empty chart without errors', () => {
    expect(trendChartSvg({ from, to, who5: [], moods: [], shiftsPerWeek: [] })).toContain('WHO-5: 0 answers');
  });
});
