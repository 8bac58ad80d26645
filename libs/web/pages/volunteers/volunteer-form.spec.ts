import fc from 'fast-check';
import { parseSeriesForm, parseShiftForm, seriesPayload, shiftPayload } from '../organisations/shift-form.js';
import { parseVolunteerForm, volunteerPayload } from './volunteer-form.js';

// An empty or whitespace-only field, as a browser sends it.
const blank = fc.stringMatching(/^[ \t\r\n]{0,4}$/);

describe('numeric fields typed into the forms', () => {
  it('an empty or blank field is absent in the payload, never 0', () => {
    fc.assert(
      fc.property(
        blank,
        blank,
        blank,
        fc.constantFrom('register', 'update') as fc.Arbitrary<'register' | 'update'>,
        (travelKm, cap, weekday, mode) => {
          const form = parseVolunteerForm({
            travelKm,
            weeklyShiftCap: cap,
            'availability.0.weekday': weekday,
            'availability.0.start': '17:00',
            'availability.0.end': '21:00',
          });
          const payload = volunteerPayload(form, mode);
          expect(payload.travelKm).toBeUndefined();
          expect(payload.weeklyShiftCap).toBeUndefined();
          expect((payload.availability as Array<{ weekday?: number }>)[0].weekday).toBeUndefined();
          expect(JSON.stringify(payload.home ?? {})).not.toMatch(/"lat"|"lon"/);
        },
      ),
    );
  });

  it('the same for the shift and series forms (capacity, weekday)', () => {
    fc.assert(
      fc.property(blank, blank, (capacity, weekday) => {
        expect(shiftPayload(parseShiftForm({ capacity }), {}).capacity).toBeUndefined();
        const series = seriesPayload(parseSeriesForm({ capacity, weekday }));
        expect([series.capacity, series.weekday]).toEqual([undefined, undefined]);
      }),
    );
  });
});
