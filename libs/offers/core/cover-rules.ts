/** Pure rules of "find someone to cover me". */

/** Until when a cover request may be opened, and when an open one is released: hours before the start. */
export function coverDeadline(startsAt: Date, hoursBefore: number): Date {
  return new Date(startsAt.getTime() - hoursBefore * 3600_000);
}

/** A cover offer never outlives its request: its usual expiry, capped at the request's deadline. */
export function coverOfferExpiry(usual: Date, deadline: Date): Date {
  return usual.getTime() < deadline.getTime() ? usual : deadline;
}

/** "Ada" from "Ada Lovelace": how emails name the other volunteer. */
export function firstName(name: string): string {
  return name.trim().split(/\s+/)[0] || name.trim();
}

/** "Ada L." from "Ada Lovelace" ("Ada" alone stays "Ada"): how the roster history names volunteers. */
export function shortName(name: string): string {
  const parts = name.trim().split(/\s+/).filter(Boolean);
  if (parts.length < 2) return parts[0] ?? '';
  return `${parts[0]} ${[...parts[parts.length - 1]][0].toUpperCase()}.`;
}
