import { DateTime } from 'luxon';
import type { FieldProblem } from '../../../platform/index.js';
import type { ShiftResponseDto } from '../../../organisations/index.js';
import { FormState, list, numberOrUndefined, text, type FormBody, type MessageRule } from '../../forms.js';

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const TIME = /^([01]\d|2[0-3]):[0-5]\d$/;

/** A one-off shift as a coordinator types it: a local date and wall-clock times in the organisation's zone. */
export interface ShiftForm {
  title: string;
  description: string;
  date: string;
  start: string;
  end: string;
  addressId: string;
  capacity: string;
  requiredSkills: string[];
  niceSkills: string[];
  publish: boolean;
}

/** A weekly series as typed. */
export interface SeriesForm extends Omit<ShiftForm, 'date'> {
  weekday: string;
  startsOn: string;
  until: string;
}

export const SHIFT_MESSAGES: readonly MessageRule[] = [
  { field: 'title', say: 'Enter a title (up to 200 characters), like “Evening meal service”' },
  { field: 'description', say: 'The description can be at most 5000 characters' },
  { field: 'date', say: 'Enter the date of the shift' },
  { field: 'startsAt', when: /future/, say: 'The shift must start in the future' },
  { field: 'startsAt', when: /two years/, say: 'The shift must start within two years' },
  { field: 'start', when: /exist|future|two years/ },
  { field: 'start', say: 'Enter a start time, like 17:00' },
  { field: 'end', when: /hours|exist/ },
  {
    field: 'end',
    when: /differ/,
    say: 'The end time must differ from the start time (an earlier end means the shift ends the next day)',
  },
  { field: 'end', say: 'Enter an end time, like 20:00' },
  { field: 'endsAt', when: /16 hours/, say: 'A shift can last at most 16 hours' },
  { field: 'addressId', say: 'Choose one of your places' },
  { field: 'capacity', when: /already booked/ },
  { field: 'capacity', say: 'Enter how many volunteers you need, between 1 and 500' },
  { field: 'requiredSkills', say: 'Choose required skills from the list' },
  { field: 'niceSkills', say: 'Choose nice-to-have skills from the list' },
  { field: 'weekday', say: 'Choose a day of the week' },
  { field: 'startsOn', say: 'Enter the date of the first shift' },
  { field: 'until', when: /past/, say: 'The last date is in the past' },
  { field: 'until', when: /on or after/, say: 'The last date must be on or after the first date' },
  { field: 'until', when: /within/ },
  { field: 'until', say: 'Enter the last date of the series' },
];

/** Error paths of the API DTOs → the inputs that show them. */
export const SHIFT_ALIASES: Record<string, string> = { startsAt: 'date', endsAt: 'end' };

export function parseShiftForm(body: FormBody): ShiftForm {
  return {
    title: text(body, 'title'),
    description: text(body, 'description'),
    date: text(body, 'date'),
    start: text(body, 'start'),
    end: text(body, 'end'),
    addressId: text(body, 'addressId'),
    capacity: text(body, 'capacity'),
    requiredSkills: list(body, 'requiredSkills'),
    niceSkills: list(body, 'niceSkills'),
    publish: text(body, 'publish') === 'yes',
  };
}

export function parseSeriesForm(body: FormBody): SeriesForm {
  const { date: _date, ...shift } = parseShiftForm(body);
  return { ...shift, weekday: text(body, 'weekday'), startsOn: text(body, 'startsOn'), until: text(body, 'until') };
}

export function shiftFormFromShift(shift: ShiftResponseDto, zone: string): ShiftForm {
  const start = DateTime.fromISO(shift.startsAt, { zone });
  const end = DateTime.fromISO(shift.endsAt, { zone });
  return {
    title: shift.title,
    description: shift.description,
    date: start.toISODate() ?? '',
    start: start.toFormat('HH:mm'),
    end: end.toFormat('HH:mm'),
    addressId: shift.addressId,
    capacity: String(shift.capacity),
    requiredSkills: [...shift.requiredSkills],
    niceSkills: [...shift.niceSkills],
    publish: shift.status !== 'draft',
  };
}

/**
 * Turns a local date and wall-clock times in `zone` into instants with their offset. An end at or
 * before the start means the shift ends the next day (overnight shelters). A start that does not
 * exist on that date (the clocks jump forward) is refused rather than silently moved.
 */
export function localInterval(
  date: string,
  start: string,
  end: string,
  zone: string,
): { startsAt?: string; endsAt?: string; problems: FieldProblem[] } {
  const problems: FieldProblem[] = [];
  if (!DATE.test(date) || !DateTime.fromISO(date, { zone }).isValid)
    problems.push({ field: 'date', message: 'must be a date' });
  if (!TIME.test(start)) problems.push({ field: 'start', message: 'must be a time' });
  if (!TIME.test(end)) problems.push({ field: 'end', message: 'must be a time' });
  if (problems.length) return { problems };
  const startsAt = DateTime.fromISO(`${date}T${start}`, { zone });
  let endsAt = DateTime.fromISO(`${date}T${end}`, { zone });
  if (endsAt <= startsAt) endsAt = DateTime.fromISO(`${startsAt.plus({ days: 1 }).toISODate()}T${end}`, { zone });
  const gap = (dt: DateTime, wanted: string) => dt.toFormat('HH:mm') !== wanted;
  if (gap(startsAt, start))
    problems.push({
      field: 'start',
      message: `${start} does not exist on that date in ${zone} because the clocks go forward; choose another time`,
    });
  if (gap(endsAt, end))
    problems.push({
      field: 'end',
      message: `${end} does not exist on that date in ${zone} because the clocks go forward; choose another time`,
    });
  if (problems.length) return { problems };
  return {
    startsAt: startsAt.toISO({ suppressMilliseconds: true }) ?? undefined,
    endsAt: endsAt.toISO({ suppressMilliseconds: true }) ?? undefined,
    problems,
  };
}

export function shiftPayload(
  form: ShiftForm,
  interval: { startsAt?: string; endsAt?: string },
): Record<string, unknown> {
  return {
    title: form.title,
    ...(form.description ? { description: form.description } : {}),
    startsAt: interval.startsAt,
    endsAt: interval.endsAt,
    ...(form.addressId ? { addressId: form.addressId } : {}),
    capacity: numberOrUndefined(form.capacity),
    requiredSkills: form.requiredSkills,
    niceSkills: form.niceSkills,
  };
}

export function seriesPayload(form: SeriesForm): Record<string, unknown> {
  return {
    title: form.title,
    ...(form.description ? { description: form.description } : {}),
    weekday: numberOrUndefined(form.weekday),
    start: form.start,
    end: form.end,
    startsOn: form.startsOn,
    until: form.until,
    ...(form.addressId ? { addressId: form.addressId } : {}),
    capacity: numberOrUndefined(form.capacity),
    requiredSkills: form.requiredSkills,
    niceSkills: form.niceSkills,
    publish: form.publish,
  };
}

export function shiftFormView(form: ShiftForm | SeriesForm, problems: FieldProblem[] = []): FormState {
  const values: Record<string, string | string[]> = {
    ...Object.fromEntries(Object.entries(form).filter(([, v]) => typeof v === 'string')),
    requiredSkills: form.requiredSkills,
    niceSkills: form.niceSkills,
    publish: form.publish ? 'yes' : '',
  };
  return new FormState(values, problems, SHIFT_MESSAGES, SHIFT_ALIASES, (name) => name in values);
}
