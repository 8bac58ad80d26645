import { stackedColumnsSvg } from './stacked-columns.js';

describe('stacked column chart', () => {
  const svg = stackedColumnsSvg({
    id: 'fill',
    title: 'Places <booked>',
    summary: 'Two days & counting',
    columns: [
      {
        label: 'Mon 7',
        parts: [
          { cls: 'booked', name: 'booked', value: 3 },
          { cls: 'open', name: 'open', value: 1 },
        ],
      },
      {
        label: 'Tue 8',
        parts: [
          { cls: 'booked', name: 'booked', value: 0 },
          { cls: 'open', name: 'open', value: 2 },
        ],
      },
    ],
  });

  it('names itself for screen readers and escapes every text', () => {
    expect(svg).toContain('role="img" aria-labelledby="fill-title fill-desc"');
    expect(svg).toContain('<title id="fill-title">Places &lt;booked&gt;</title>');
    expect(svg).toContain('<desc id="fill-desc">Two days &amp; counting</desc>');
  });

  it('draws one segment per non-zero part, stacked, the tallest column reaching the top', () => {
    const rects = [
      ...svg.matchAll(
        /<rect class="(\w+)" x="[\d.]+" y="([\d.]+)" width="[\d.]+" height="([\d.]+)"><title>([^<]+)<\/title>/g,
      ),
    ];
    expect(rects.map((r) => [r[1], r[4]])).toEqual([
      ['booked', 'Mon 7: 3 booked'],
      ['open', 'Mon 7: 1 open'],
      ['open', 'Tue 8: 2 open'],
    ]);
    const [booked, open, tueOpen] = rects.map((r) => ({ y: Number(r[2]), h: Number(r[3]) }));
    expect(open.y + open.h).toBeCloseTo(booked.y, 1); // open sits on booked
    expect(open.y).toBeCloseTo(10, 1); // the top padding: 4 is the maximum
    expect(tueOpen.h).toBeCloseTo((booked.h + open.h) / 2, 1); // 2 of 4
  });
});
