import type { FastifyRequest } from 'fastify';
import type { FieldProblem } from '../../../platform/index.js';
import type { Principal } from '../../../identity/index.js';
import { VolunteersService, unknownPostcodeMessage } from '../../../volunteers/index.js';
import { CAUSES, SKILL_GROUPS, timeZoneGroups, WEEKDAYS } from '../../labels.js';
import { principalOf } from '../../page-renderer.js';
import type { VolunteerForm } from './volunteer-form.js';

/** What the sign-up and profile templates share: the pickers' options. */
export function formChoices(form: VolunteerForm) {
  return { zoneGroups: timeZoneGroups(form.timeZone), skillGroups: SKILL_GROUPS, causes: CAUSES, weekdays: WEEKDAYS };
}

/**
 * Resolves the typed home area with the offline gazetteer before anything is stored, so the page can
 * say which place it understood (and name the field when it understood none).
 */
export async function resolveHome(
  volunteers: VolunteersService,
  query: string,
): Promise<{ label?: string; problem?: FieldProblem }> {
  if (query.length < 2) return { problem: { field: 'home.query', message: 'required' } };
  const [best] = await volunteers.geocode(query.slice(0, 100));
  if (!best)
    return {
      problem: {
        field: 'home.query',
        message: unknownPostcodeMessage(query) ?? `no place called "${query}" was found; try a nearby town or city`,
      },
    };
  return { label: best.label };
}

/** The signed-in volunteer's account (the controllers' @Allow('volunteer') guarantees the kind). */
export const volunteerIdOf = (request: FastifyRequest) =>
  (principalOf(request) as Extract<Principal, { kind: 'volunteer' }>).accountId;
