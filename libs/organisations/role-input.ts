import { InvalidInputError } from '../platform/index.js';
import { assertKnownSkills } from '../common/index.js';
import { roleTotals } from './core/shift-roles.js';
import type { ShiftRoleInputDto } from './organisation.dto.js';
import type { RoleWrite } from './organisations.repository.js';

/** Checks the roles' skills (naming the row's field) and trims them into what the repository writes. */
export function rolesToWrite(roles: ShiftRoleInputDto[]): RoleWrite[] {
  roles.forEach((role, i) => {
    assertKnownSkills(`roles.${i}.requiredSkills`, role.requiredSkills ?? []);
    assertKnownSkills(`roles.${i}.niceSkills`, role.niceSkills ?? []);
  });
  return roles.map((role) => ({
    id: role.id,
    name: role.name.trim(),
    capacity: role.capacity,
    requiredSkills: role.requiredSkills ?? [],
    niceSkills: role.niceSkills ?? [],
    notes: role.notes ?? '',
  }));
}

/** Without roles the capacity is required; with roles it is their sum (a different one given is an error). */
export function shiftCapacity(capacity: number | undefined, roles: RoleWrite[] | null): number {
  if (!roles) {
    if (capacity === undefined) throw InvalidInputError.field('capacity', 'is required (or give roles)');
    return capacity;
  }
  const total = roleTotals(roles.map((role) => ({ capacity: role.capacity, filled: 0 }))).capacity;
  if (capacity !== undefined && capacity !== total)
    throw InvalidInputError.field('capacity', `must be the sum of the roles' capacities (${total}) or left out`);
  if (total > 500) throw InvalidInputError.field('roles', 'together may need at most 500 volunteers');
  return total;
}
