import type { FieldProblem } from '../../../platform/index.js';
import type { VolunteerProfileDto } from '../../../volunteers/index.js';
import {
  FormState,
  list,
  numberOrUndefined,
  rows,
  text,
  type FormBody,
  type FormValues,
  type MessageRule,
} from '../../forms.js';
import { DEFAULT_TIME_ZONE } from '../../labels.js';

/** The sign-up and profile form as typed: strings, rows of the two editors, checkboxes. */
export interface VolunteerForm {
  name: string;
  email: string;
  timeZone: string;
  homeQuery: string;
  travelKm: string;
  skills: string[];
  causes: string[];
  weeklyShiftCap: string;
  availability: Array<{ weekday: string; start: string; end: string }>;
  exceptions: Array<{ startsOn: string; endsOn: string }>;
  quietStart: string;
  quietEnd: string;
  paused: boolean;
}

/** How many rows each editor shows at least, so it works without JavaScript. */
export const MIN_AVAILABILITY_ROWS = 3;
export const MIN_EXCEPTION_ROWS = 1;
const MAX_ROWS = 50;

export const VOLUNTEER_MESSAGES: readonly MessageRule[] = [
  { field: 'email', say: 'Enter an email address, like name@example.org' },
  { field: 'name', say: 'Enter your name (up to 100 characters)' },
  { field: 'timeZone', say: 'Choose your time zone from the list' },
  { field: 'home.query', when: /^no place called/ },
  { field: 'home.query', when: /^We don't know the postcode area/ },
  { field: 'home.query', say: 'Enter your town, city or area, like Manchester' },
  { field: 'home', say: 'Enter your town, city or area, like Manchester' },
  { field: 'travelKm', say: 'Enter how far you can travel, between 0.5 and 200 km' },
  { field: 'skills', say: 'Choose your skills from the list' },
  { field: 'causes', say: 'Choose causes from the list' },
  { field: 'weeklyShiftCap', say: 'Enter a number of shifts a week between 1 and 14' },
  { field: 'availability', say: 'You can add at most 50 times' },
  { field: 'availability.*.weekday', say: 'Choose a day' },
  { field: 'availability.*.start', say: 'Enter a start time, like 17:00' },
  { field: 'availability.*.end', when: /differ/, say: 'The end time must be different from the start time' },
  { field: 'availability.*.end', say: 'Enter an end time, like 21:00' },
  { field: 'exceptions.*.startsOn', say: 'Enter the first day you are away' },
  { field: 'exceptions.*.endsOn', when: /on or after/, say: 'The last day must be on or after the first day' },
  { field: 'exceptions.*.endsOn', say: 'Enter the last day you are away' },
  { field: 'quietHours.start', say: 'Enter a time, like 21:00' },
  { field: 'quietHours.end', say: 'Enter a time, like 08:00' },
];

export function emptyVolunteerForm(): VolunteerForm {
  return {
    name: '',
    email: '',
    timeZone: DEFAULT_TIME_ZONE,
    homeQuery: '',
    travelKm: '5',
    skills: [],
    causes: [],
    weeklyShiftCap: '2',
    availability: [],
    exceptions: [],
    quietStart: '21:00',
    quietEnd: '08:00',
    paused: false,
  };
}

export function volunteerFormFromProfile(profile: VolunteerProfileDto): VolunteerForm {
  return {
    name: profile.name,
    email: profile.email,
    timeZone: profile.timeZone,
    homeQuery: profile.home.label ?? '',
    travelKm: String(profile.travelKm),
    skills: [...profile.skills],
    causes: [...profile.causes],
    weeklyShiftCap: String(profile.weeklyShiftCap),
    availability: profile.availability.map((w) => ({ weekday: String(w.weekday), start: w.start, end: w.end })),
    exceptions: profile.exceptions.map((e) => ({ ...e })),
    quietStart: profile.quietHours.start,
    quietEnd: profile.quietHours.end,
    paused: profile.status === 'paused',
  };
}

export function parseVolunteerForm(body: FormBody, keepBlankRows = false): VolunteerForm {
  return {
    name: text(body, 'name'),
    email: text(body, 'email'),
    timeZone: text(body, 'timeZone') || DEFAULT_TIME_ZONE,
    homeQuery: text(body, 'home.query'),
    travelKm: text(body, 'travelKm'),
    skills: list(body, 'skills'),
    causes: list(body, 'causes'),
    weeklyShiftCap: text(body, 'weeklyShiftCap'),
    availability: rows(body, 'availability', ['weekday', 'start', 'end'] as const, keepBlankRows).slice(
      0,
      MAX_ROWS + 1,
    ),
    exceptions: rows(body, 'exceptions', ['startsOn', 'endsOn'] as const, keepBlankRows).slice(0, MAX_ROWS + 1),
    quietStart: text(body, 'quietHours.start'),
    quietEnd: text(body, 'quietHours.end'),
    paused: text(body, 'paused') === 'yes',
  };
}

/**
 * The "add another" / "remove" buttons of the editors, for browsers without JavaScript: the form
 * comes back with the row added or removed and the focus on the new row (or on the add button).
 */
export function applyRowAction(form: VolunteerForm, action: string): { form: VolunteerForm; focus?: string } {
  const next = { ...form, availability: [...form.availability], exceptions: [...form.exceptions] };
  const remove = /^remove-(window|exception)-(\d{1,3})$/.exec(action);
  if (action === 'add-window' && next.availability.length < MAX_ROWS) {
    next.availability.push({ weekday: '', start: '', end: '' });
    return { form: next, focus: `availability.${next.availability.length - 1}.weekday` };
  }
  if (action === 'add-exception' && next.exceptions.length < MAX_ROWS) {
    next.exceptions.push({ startsOn: '', endsOn: '' });
    return { form: next, focus: `exceptions.${next.exceptions.length - 1}.startsOn` };
  }
  if (remove?.[1] === 'window') {
    next.availability.splice(Number(remove[2]), 1);
    return { form: next, focus: 'add-window' };
  }
  if (remove?.[1] === 'exception') {
    next.exceptions.splice(Number(remove[2]), 1);
    return { form: next, focus: 'add-exception' };
  }
  return { form: next };
}

/** Rows to render: the filled ones (numbered as errors refer to them) plus empty ones to fill in. */
function padded<T>(filled: T[], blank: () => T, minimum: number, extraBlank: number): T[] {
  const all = [...filled];
  while (all.length < Math.max(minimum, filled.length + extraBlank)) all.push(blank());
  return all;
}

/**
 * The view model of the form. Normally the rows are the filled ones plus empty ones to fill in;
 * after an add/remove round trip (`exactRows`) they are exactly the rows the person has.
 */
export function volunteerFormView(
  form: VolunteerForm,
  problems: FieldProblem[] = [],
  options: { exactRows?: boolean; focus?: string } = {},
) {
  const availability = options.exactRows
    ? padded(form.availability, () => ({ weekday: '', start: '', end: '' }), 1, 0)
    : padded(form.availability, () => ({ weekday: '', start: '', end: '' }), MIN_AVAILABILITY_ROWS, 1);
  const exceptions = options.exactRows
    ? padded(form.exceptions, () => ({ startsOn: '', endsOn: '' }), 1, 0)
    : padded(form.exceptions, () => ({ startsOn: '', endsOn: '' }), MIN_EXCEPTION_ROWS, form.exceptions.length ? 1 : 0);
  // In the order the fields appear on the page (the error summary follows it).
  const values: FormValues = {
    name: form.name,
    email: form.email,
    'home.query': form.homeQuery,
    travelKm: form.travelKm,
    timeZone: form.timeZone,
    skills: form.skills,
    causes: form.causes,
  };
  availability.forEach((row, i) =>
    Object.assign(values, {
      [`availability.${i}.weekday`]: row.weekday,
      [`availability.${i}.start`]: row.start,
      [`availability.${i}.end`]: row.end,
    }),
  );
  exceptions.forEach((row, i) =>
    Object.assign(values, { [`exceptions.${i}.startsOn`]: row.startsOn, [`exceptions.${i}.endsOn`]: row.endsOn }),
  );
  Object.assign(values, {
    weeklyShiftCap: form.weeklyShiftCap,
    'quietHours.start': form.quietStart,
    'quietHours.end': form.quietEnd,
    paused: form.paused ? 'yes' : 'no',
  });
  const aliases = {
    home: 'home.query',
    'home.lat': 'home.query',
    'home.lon': 'home.query',
    quietHours: 'quietHours.start',
  };
  const state = new FormState(values, problems, VOLUNTEER_MESSAGES, aliases, (name) => name in values);
  return {
    form: state,
    availabilityRows: availability.length,
    exceptionRows: exceptions.length,
    focus: options.focus ?? '',
  };
}

/**
 * Checks the service would make after validation, made here too so that every problem of the form
 * is shown at once instead of one round trip each.
 */
export function volunteerFormProblems(form: VolunteerForm): FieldProblem[] {
  const problems: FieldProblem[] = [];
  form.availability.forEach((row, i) => {
    if (row.start && row.end && row.start === row.end)
      problems.push({ field: `availability.${i}.end`, message: 'must differ from start' });
  });
  form.exceptions.forEach((row, i) => {
    if (
      /^\d{4}-\d{2}-\d{2}$/.test(row.startsOn) &&
      /^\d{4}-\d{2}-\d{2}$/.test(row.endsOn) &&
      row.endsOn < row.startsOn
    ) {
      problems.push({ field: `exceptions.${i}.endsOn`, message: 'must be on or after startsOn' });
    }
  });
  return problems;
}

/** The plain object for RegisterVolunteerDto / UpdateVolunteerDto (validated by the caller). */
export function volunteerPayload(
  form: VolunteerForm,
  mode: 'register' | 'update',
  homeLabel?: string,
): Record<string, unknown> {
  const payload: Record<string, unknown> = {
    name: form.name,
    timeZone: form.timeZone,
    travelKm: numberOrUndefined(form.travelKm),
    skills: form.skills,
    causes: form.causes,
    weeklyShiftCap: numberOrUndefined(form.weeklyShiftCap),
    availability: form.availability.map((row) => ({
      weekday: numberOrUndefined(row.weekday),
      start: row.start,
      end: row.end,
    })),
    exceptions: form.exceptions.map((row) => ({ ...row })),
  };
  if (form.quietStart || form.quietEnd) payload.quietHours = { start: form.quietStart, end: form.quietEnd };
  if (mode === 'register') {
    payload.email = form.email;
    payload.home = { query: homeLabel ?? form.homeQuery };
  } else {
    payload.paused = form.paused;
    if (homeLabel) payload.home = { query: homeLabel };
  }
  return payload;
}
