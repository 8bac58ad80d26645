/**
 * Roles within a shift (ADR 0029): pure rules about their seats. The database enforces them too
 * (shift_roles' checks, the seat statements); these say them in one place for the API and pages.
 */

export interface RoleSeats {
  capacity: number;
  filled: number;
}

/** The shift's totals are the sums over its roles. */
export function roleTotals(roles: readonly RoleSeats[]): RoleSeats {
  return roles.reduce((sum, role) => ({ capacity: sum.capacity + role.capacity, filled: sum.filled + role.filled }), {
    capacity: 0,
    filled: 0,
  });
}

/** A shift is full when every role is; one role full while another has seats leaves it open. */
export function everyRoleFull(roles: readonly RoleSeats[]): boolean {
  return roles.length > 0 && roles.every((role) => role.filled >= role.capacity);
}

/** The first role whose new capacity would be below the places already taken in it, if any. */
export function firstBelowBookings<T extends RoleSeats & { nextCapacity: number }>(roles: readonly T[]): T | undefined {
  return roles.find((role) => role.nextCapacity < role.filled);
}
