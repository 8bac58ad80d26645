import { IANAZone } from 'luxon';
import { type PluralForms, SKILLS_CATALOGUE } from '../common/index.js';
import { ORGANISATION_KINDS } from '../organisations/index.js';

/** Words the pages show for the product's codes. */

export const WEEKDAYS = [
  { value: 1, label: 'Monday' },
  { value: 2, label: 'Tuesday' },
  { value: 3, label: 'Wednesday' },
  { value: 4, label: 'Thursday' },
  { value: 5, label: 'Friday' },
  { value: 6, label: 'Saturday' },
  { value: 7, label: 'Sunday' },
] as const;

export const weekdayLabel = (weekday: number) => WEEKDAYS.find((d) => d.value === weekday)?.label ?? String(weekday);

export const CAUSE_LABELS: Record<(typeof ORGANISATION_KINDS)[number], string> = {
  soup_kitchen: 'Soup kitchens',
  animal_shelter: 'Animal shelters',
  homeless_shelter: 'Homeless shelters',
  food_bank: 'Food banks',
  other: 'Other community organisations',
};
/** One organisation of a kind, for headings ("Soup kitchen · times in Europe/London"). */
export const KIND_LABELS: Record<(typeof ORGANISATION_KINDS)[number], string> = {
  soup_kitchen: 'Soup kitchen',
  animal_shelter: 'Animal shelter',
  homeless_shelter: 'Homeless shelter',
  food_bank: 'Food bank',
  other: 'Community organisation',
};

export const CAUSES = ORGANISATION_KINDS.map((kind) => ({ value: kind, label: CAUSE_LABELS[kind] }));

const CATEGORY_LABELS: Record<string, string> = {
  kitchen: 'Kitchen',
  logistics: 'Driving and logistics',
  animals: 'Animals',
  care: 'Care and first aid',
  facilities: 'Cleaning and repairs',
  people: 'People',
  office: 'Office',
};

/** The skills catalogue grouped by category, in catalogue order. */
export const SKILL_GROUPS: Array<{ category: string; label: string; skills: Array<{ slug: string; label: string }> }> =
  [];
for (const skill of SKILLS_CATALOGUE) {
  let group = SKILL_GROUPS.find((g) => g.category === skill.category);
  if (!group) {
    group = { category: skill.category, label: CATEGORY_LABELS[skill.category] ?? skill.category, skills: [] };
    SKILL_GROUPS.push(group);
  }
  group.skills.push({ slug: skill.slug, label: skill.label });
}

export const skillLabel = (slug: string) => SKILLS_CATALOGUE.find((s) => s.slug === slug)?.label ?? slug;

export const SHIFT_STATUS_LABELS: Record<string, string> = {
  draft: 'Draft — not offered yet',
  open: 'Open',
  full: 'Full',
  cancelled: 'Cancelled',
  completed: 'Completed',
};

/** "Why so few": the first hard rule each excluded volunteer failed, in words a coordinator uses, for one and for several. */
export const EXCLUSION_LABELS: Record<string, PluralForms> = {
  unverified: { one: 'has not confirmed their email yet', other: 'have not confirmed their email yet' },
  paused: { one: 'has paused their offers', other: 'have paused their offers' },
  cause: { one: 'chose other causes', other: 'chose other causes' },
  skills: { one: 'lacks a required skill', other: 'lack a required skill' },
  declined: { one: 'declined this shift', other: 'declined this shift' },
  already_offered: {
    one: 'already has an offer for or a place on this shift',
    other: 'already have an offer for or a place on this shift',
  },
  blocked: { one: 'is blocked by your organisation', other: 'are blocked by your organisation' },
  away: { one: 'is away on that date', other: 'are away on that date' },
  availability: { one: 'is not free at that time', other: 'are not free at that time' },
  booking_overlap: { one: 'is booked elsewhere at that time', other: 'are booked elsewhere at that time' },
  weekly_cap: { one: 'has reached their own weekly limit', other: 'have reached their own weekly limit' },
};

export const DEFAULT_TIME_ZONE = 'Europe/London';

/** IANA zones grouped by region for a <select>; names only ("Region/City"), never fixed offsets. */
export function timeZoneGroups(
  current?: string,
): Array<{ region: string; zones: Array<{ value: string; label: string }> }> {
  const names = new Set(Intl.supportedValuesOf('timeZone').filter((zone) => zone.includes('/')));
  names.add(DEFAULT_TIME_ZONE);
  if (current && current.includes('/') && IANAZone.isValidZone(current)) names.add(current);
  const groups = new Map<string, Array<{ value: string; label: string }>>();
  for (const zone of [...names].sort()) {
    const region = zone.split('/')[0];
    const zones = groups.get(region) ?? [];
    zones.push({ value: zone, label: zone.replace(/_/g, ' ').replace(/\//g, ' / ') });
    groups.set(region, zones);
  }
  return [...groups.entries()].map(([region, zones]) => ({ region, zones }));
}
