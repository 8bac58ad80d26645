// How demo volunteers behave: which causes, skills, travel distances and weekly windows they have.
// Every draw comes from the caller's PRNG, in the caller's order, so the data stays reproducible.
import type { OrganisationKind } from '../../../libs/organisations/organisation.entities.js';
import { SKILLS_CATALOGUE, type SkillSlug } from '../../../libs/common/skills-catalogue.js';
import { SKILL_POPULARITY } from './data.js';
import type { Prng } from './prng.js';

export const CAUSE_WEIGHTS: Record<OrganisationKind, number> = {
  soup_kitchen: 3,
  animal_shelter: 4,
  homeless_shelter: 3,
  food_bank: 3,
  other: 1,
};
export const TRAVEL_KM = [2, 3, 3, 4, 5, 5, 5, 6, 8, 8, 10, 12, 15] as const;

const SKILL_COUNT_WEIGHTS = [5, 15, 28, 28, 14, 10]; // 0–5 skills

export function volunteerSkills(random: Prng): string[] {
  const count = random.weighted([0, 1, 2, 3, 4, 5], (n) => SKILL_COUNT_WEIGHTS[n]);
  const slugs = SKILLS_CATALOGUE.map((skill) => skill.slug as SkillSlug);
  const skills: string[] = random.weightedSample(slugs, count, (slug) => SKILL_POPULARITY[slug] ?? 1);
  // Someone who drives a van has a driving licence.
  if (skills.includes('van-driving') && !skills.includes('driving-licence')) skills.push('driving-licence');
  return skills.sort();
}

export interface Window {
  weekday: number;
  start_local: string;
  end_local: string;
}

/** Typical weekly patterns in local wall-clock time; at least one window each. */
export function volunteerWindows(random: Prng): Window[] {
  const windows: Window[] = [];
  const add = (days: readonly number[], start: string, end: string) => {
    for (const weekday of days) windows.push({ weekday, start_local: start, end_local: end });
  };
  const weekdays = [1, 2, 3, 4, 5];
  const weekend = [6, 7];
  if (random.chance(0.55)) add(random.sample(weekdays, random.int(2, 5)), '17:00', '21:00');
  if (random.chance(0.4)) add(random.sample(weekend, random.int(1, 2)), '09:00', '13:00');
  if (random.chance(0.25)) add(random.sample(weekdays, random.int(2, 4)), '09:00', '17:00');
  if (random.chance(0.15)) add(random.sample(weekend, random.int(1, 2)), '12:00', '17:00');
  if (random.chance(0.07)) {
    // Night owls for the shelters: crossing midnight, end < start.
    const [start, end] = random.chance(0.5) ? ['22:00', '02:00'] : ['21:00', '07:00'];
    add(random.sample([1, 2, 3, 4, 5, 6, 7], random.int(1, 3)), start, end);
  }
  if (windows.length === 0) add(random.sample([...weekdays, ...weekend], 2), '10:00', '16:00');
  return mergeSameDay(windows);
}

/** Overlapping daytime windows on the same weekday become one (e.g. 09–13 and 12–17 → 09–17). */
function mergeSameDay(windows: Window[]): Window[] {
  const crossing = windows.filter((w) => w.end_local <= w.start_local);
  const daytime = windows
    .filter((w) => w.end_local > w.start_local)
    .sort((a, b) => a.weekday - b.weekday || a.start_local.localeCompare(b.start_local));
  const merged: Window[] = [];
  for (const window of daytime) {
    const last = merged[merged.length - 1];
    if (last && last.weekday === window.weekday && window.start_local < last.end_local) {
      if (window.end_local > last.end_local) last.end_local = window.end_local;
    } else {
      merged.push({ ...window });
    }
  }
  return [...merged, ...crossing];
}
