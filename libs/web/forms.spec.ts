import { FormState, list, numberOrUndefined, plainMessage, rows, text } from './forms.js';
import { localInterval } from './pages/organisations/shift-form.js';
import {
  applyRowAction,
  emptyVolunteerForm,
  parseVolunteerForm,
  volunteerFormProblems,
  volunteerFormView,
  volunteerPayload,
  VOLUNTEER_MESSAGES,
} from './pages/volunteers/volunteer-form.js';

describe('form parsing', () => {
  it('reads single and repeated values', () => {
    const body = { name: '  Sam ', skills: ['cooking', ' ', 'first-aid'], cause: 'food_bank' };
    expect(text(body, 'name')).toBe('Sam');
    expect(text(body, 'missing')).toBe('');
    expect(list(body, 'skills')).toEqual(['cooking', 'first-aid']);
    expect(list(body, 'cause')).toEqual(['food_bank']);
    expect(list(body, 'missing')).toEqual([]);
  });

  it('turns typed numbers into numbers, empty into undefined and junk into NaN', () => {
    expect(numberOrUndefined('7.5')).toBe(7.5);
    expect(numberOrUndefined('7,5')).toBe(7.5);
    expect(numberOrUndefined('')).toBeUndefined();
    expect(numberOrUndefined('ten')).toBeNaN();
  });

  it('collects numbered rows in index order and drops empty ones unless asked to keep them', () => {
    const body = {
      'availability.10.weekday': '3',
      'availability.10.start': '09:00',
      'availability.10.end': '12:00',
      'availability.2.weekday': '',
      'availability.2.start': '',
      'availability.2.end': '',
      'availability.0.weekday': '1',
      'availability.0.start': '17:00',
      'availability.0.end': '',
      'availability.x.start': '08:00',
      'other.0.start': '08:00',
    };
    expect(rows(body, 'availability', ['weekday', 'start', 'end'])).toEqual([
      { weekday: '1', start: '17:00', end: '' },
      { weekday: '3', start: '09:00', end: '12:00' },
    ]);
    expect(rows(body, 'availability', ['weekday', 'start', 'end'], true)).toHaveLength(3);
  });
});

describe('FormState', () => {
  it('shows one plain message per field, links the summary to the input, and keeps unknown fields in the summary', () => {
    const state = new FormState(
      { email: 'x', 'home.query': 'Nowhere' },
      [
        { field: 'email', message: 'must be an email address' },
        { field: 'email', message: 'must be shorter' },
        { field: 'home', message: 'give either lat and lon, or a place name in query' },
        { field: '', message: 'Something else went wrong.' },
      ],
      VOLUNTEER_MESSAGES,
      { home: 'home.query' },
    );
    expect(state.error('email')).toBe('Enter an email address, like name@example.org');
    expect(state.error('home.query')).toBe('Enter your town, city or area, like Manchester');
    expect(state.summary).toEqual([
      { href: '#f-email', message: 'Enter an email address, like name@example.org' },
      { href: '#f-home-query', message: 'Enter your town, city or area, like Manchester' },
      { message: 'Something else went wrong.' },
    ]);
    expect(state.describedBy('email', true)).toBe('f-email-hint f-email-error');
    expect(state.value('email')).toBe('x');
  });

  it('matches row paths with a wildcard and keeps specific service messages', () => {
    expect(plainMessage(VOLUNTEER_MESSAGES, 'availability.3.end', 'must differ from start')).toBe(
      'The end time must be different from the start time',
    );
    expect(plainMessage(VOLUNTEER_MESSAGES, 'availability.3.end', 'end must be a time like 21:00')).toBe(
      'Enter an end time, like 21:00',
    );
    expect(plainMessage(VOLUNTEER_MESSAGES, 'home.query', 'no place called "X" was found')).toBe(
      'No place called "X" was found',
    );
    expect(plainMessage([], 'unknown', 'is odd')).toBe('Is odd');
  });
});

describe('volunteer form', () => {
  it('adds and removes editor rows without JavaScript, moving the focus sensibly', () => {
    const form = { ...emptyVolunteerForm(), availability: [{ weekday: '2', start: '17:00', end: '21:00' }] };
    const added = applyRowAction(form, 'add-window');
    expect(added.form.availability).toHaveLength(2);
    expect(added.focus).toBe('availability.1.weekday');
    const removed = applyRowAction(added.form, 'remove-window-0');
    expect(removed.form.availability).toEqual([{ weekday: '', start: '', end: '' }]);
    expect(removed.focus).toBe('add-window');
    expect(applyRowAction(form, 'add-exception').focus).toBe('exceptions.0.startsOn');
    expect(applyRowAction(form, 'bogus').form).toEqual(form);
  });

  it('renders the filled rows first plus empty ones, at least three weekly rows', () => {
    const form = parseVolunteerForm({
      'availability.7.weekday': '5',
      'availability.7.start': '22:00',
      'availability.7.end': '02:00',
    });
    const view = volunteerFormView(form);
    expect(view.availabilityRows).toBe(3);
    expect(view.form.value('availability.0.weekday')).toBe('5');
    expect(view.exceptionRows).toBe(1);
  });

  it('builds the API payload and finds the problems the service would only report one by one', () => {
    const form = parseVolunteerForm({
      name: 'Sam',
      timeZone: 'Europe/Berlin',
      travelKm: '12.5',
      skills: 'cooking',
      'availability.0.weekday': '2',
      'availability.0.start': '09:00',
      'availability.0.end': '09:00',
      'exceptions.0.startsOn': '2030-01-10',
      'exceptions.0.endsOn': '2030-01-01',
      paused: 'yes',
    });
    expect(volunteerFormProblems(form).map((p) => p.field)).toEqual(['availability.0.end', 'exceptions.0.endsOn']);
    expect(volunteerPayload(form, 'update')).toMatchObject({
      name: 'Sam',
      timeZone: 'Europe/Berlin',
      travelKm: 12.5,
      skills: ['cooking'],
      paused: true,
      availability: [{ weekday: 2, start: '09:00', end: '09:00' }],
    });
    expect(volunteerPayload(form, 'register', 'Berlin, Germany')).toMatchObject({ home: { query: 'Berlin, Germany' } });
    expect(volunteerPayload(form, 'update')).not.toHaveProperty('home');
  });
});

describe('localInterval (a shift typed on the organisation’s clock)', () => {
  it('converts a local date and times into instants with the zone’s offset', () => {
    expect(localInterval('2026-12-01', '17:00', '20:00', 'Europe/London')).toEqual({
      startsAt: '2026-12-01T17:00:00+00:00',
      endsAt: '2026-12-01T20:00:00+00:00',
      problems: [],
    });
    expect(localInterval('2027-07-01', '17:00', '20:00', 'Europe/London').startsAt).toBe('2027-07-01T17:00:00+01:00');
  });

  it('ends the next day when the end is not after the start', () => {
    expect(localInterval('2026-12-01', '21:00', '07:00', 'America/New_York')).toMatchObject({
      startsAt: '2026-12-01T21:00:00-05:00',
      endsAt: '2026-12-02T07:00:00-05:00',
    });
  });

  it('keeps local wall-clock hours across a DST change inside the shift', () => {
    // Clocks go back in London on 31 Oct 2027: 22:00–06:00 lasts 9 hours.
    const night = localInterval('2027-10-30', '22:00', '06:00', 'Europe/London');
    expect(night).toMatchObject({ startsAt: '2027-10-30T22:00:00+01:00', endsAt: '2027-10-31T06:00:00+00:00' });
  });

  it('refuses a time the clocks skip, and malformed input, by field', () => {
    const gap = localInterval('2027-03-28', '01:30', '04:00', 'Europe/London');
    expect(gap.problems).toEqual([
      { field: 'start', message: expect.stringContaining('does not exist on that date in Europe/London') },
    ]);
    expect(localInterval('2027-02-30', '25:00', '', 'Europe/London').problems.map((p) => p.field)).toEqual([
      'date',
      'start',
      'end',
    ]);
  });
});
