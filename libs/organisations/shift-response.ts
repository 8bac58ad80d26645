import { formatLocalInterval } from './core/local-time.js';
import type { ShiftResponseDto, ShiftRoleDto } from './organisation.dto.js';
import type { Shift } from './organisation.entities.js';
import type { RoleRow } from './organisations.repository.js';

export function toRoleDto(role: RoleRow): ShiftRoleDto {
  return {
    id: role.id,
    name: role.name,
    capacity: role.capacity,
    filled: role.filled,
    requiredSkills: role.required_skills,
    niceSkills: role.nice_skills,
    notes: role.notes,
  };
}

/** A shift as the API and the pages show it, with its time on the organisation's wall clock. */
export function toShiftDto(shift: Shift, zone: string, roles: RoleRow[]): ShiftResponseDto {
  return {
    id: shift.id,
    organisationId: shift.organisationId,
    seriesId: shift.seriesId ?? null,
    title: shift.title,
    description: shift.description,
    startsAt: shift.startsAt.toISOString(),
    endsAt: shift.endsAt.toISOString(),
    localTime: formatLocalInterval(shift.startsAt, shift.endsAt, zone),
    addressId: shift.addressId,
    capacity: shift.capacity,
    filled: shift.filled,
    requiredSkills: shift.requiredSkills,
    niceSkills: shift.niceSkills,
    status: shift.status,
    roles: roles.map(toRoleDto),
  };
}
