import { Injectable } from '@nestjs/common';

/**
 * Extension points for the pages of areas still being built (offers and bookings, wellbeing).
 * An area's own pages module imports WebCoreModule, injects PageExtensions and plugs its sources
 * and links in from `onModuleInit`; nothing in libs/web has to change. Until then the sections
 * render as friendly empty states.
 */

/** A link or a one-button form shown with an item. `method: 'post'` renders a form with the CSRF token. */
export interface PageAction {
  label: string;
  href: string;
  method?: 'get' | 'post';
  /** Extra hidden fields for a POST action. */
  fields?: Record<string, string>;
}

/** One offer, booking or past shift on a volunteer's home page, already in the volunteer's zone. */
export interface ActivityItem {
  title: string;
  organisationName?: string;
  /** Formatted in the viewer's time zone, naming the zone: "Tue 1 Dec 2026, 17:00–20:00 (Europe/London)". */
  localTime: string;
  detail?: string;
  status?: string;
  actions?: PageAction[];
}

export interface VolunteerActivity {
  pendingOffers: ActivityItem[];
  upcomingBookings: ActivityItem[];
  history: ActivityItem[];
  /** Full shifts the volunteer waits for, with their place in line. */
  waitlists?: ActivityItem[];
}

/** Implemented by the offers area: what a volunteer's home page lists besides "shifts that fit me". */
export interface VolunteerActivitySource {
  forVolunteer(volunteerId: string, timeZone: string): Promise<VolunteerActivity>;
}

/** Offer and booking counts for the fill state of a shift ("3 offered · 2 of 4 booked"). */
export interface ShiftFill {
  offered: number;
  booked: number;
}

/** One person on a shift's roster, with the coordinator's actions (e.g. mark attended). */
export interface RosterEntry {
  name: string;
  kind: 'offer' | 'booking' | 'waitlist';
  status: string;
  /** Why the volunteer cancelled, in their words, when they gave a reason. */
  reason?: string;
  actions?: PageAction[];
  /** Set on bookings, so other areas (arrivals) can add to the entry. */
  bookingId?: string;
}

/** Where a shift's offers stand, in numbers and words (see libs/offers/core/shift-progress.ts). */
export interface ShiftProgressView {
  state: string;
  headline: string;
  detail: string | null;
  openPlaces: number;
  refreshSeconds: number | null;
  offers: {
    queued: number;
    sent: number;
    waiting: number;
    accepted: number;
    declined: number;
    expired: number;
    withdrawn: number;
  };
}

/** Implemented by the offers area: fill states on the shift list, the roster and the offers' progress of a shift. */
export interface ShiftActivitySource {
  fillFor(organisationId: string, shiftIds: string[]): Promise<Map<string, ShiftFill>>;
  roster(organisationId: string, shiftId: string): Promise<RosterEntry[]>;
  progress(organisationId: string, shiftId: string): Promise<ShiftProgressView | null>;
}

/** Arrival at the door on a shift's page: its QR code, poster and kiosk, and each booking's door record. */
export interface ShiftArrivalsView {
  /** Inline SVG of the QR code that leads to the shift's arrival page. */
  qrSvg: string;
  arriveUrl: string;
  posterHref: string;
  kioskHref: string;
  /** "Open from 08:00 until 14:00 (Europe/London)". */
  window: string;
  windowOpen: boolean;
  /** By booking id: "arrived 09:02 by QR code · left …" and the coordinator's arrival actions. */
  bookings: Record<string, { line: string | null; actions: PageAction[] }>;
}

/** Implemented by the arrivals area. */
export interface ShiftArrivalsSource {
  forShift(organisationId: string, shiftId: string): Promise<ShiftArrivalsView | null>;
}

export interface NavLink {
  href: string;
  label: string;
}

const NO_VOLUNTEER_ACTIVITY: VolunteerActivitySource = {
  forVolunteer: async () => ({ pendingOffers: [], upcomingBookings: [], history: [] }),
};

const NO_SHIFT_ARRIVALS: ShiftArrivalsSource = { forShift: async () => null };

const NO_SHIFT_ACTIVITY: ShiftActivitySource = {
  fillFor: async () => new Map(),
  roster: async () => [],
  progress: async () => null,
};

@Injectable()
export class PageExtensions {
  private volunteerSource: VolunteerActivitySource = NO_VOLUNTEER_ACTIVITY;
  private shiftSource: ShiftActivitySource = NO_SHIFT_ACTIVITY;
  private arrivalsSource: ShiftArrivalsSource = NO_SHIFT_ARRIVALS;
  private readonly links: Record<'volunteer' | 'coordinator', NavLink[]> = { volunteer: [], coordinator: [] };

  /** True once an area has plugged in the offer pipeline (the pages then stop saying "coming soon"). */
  get hasOfferPipeline(): boolean {
    return this.volunteerSource !== NO_VOLUNTEER_ACTIVITY || this.shiftSource !== NO_SHIFT_ACTIVITY;
  }

  useVolunteerActivity(source: VolunteerActivitySource): void {
    this.volunteerSource = source;
  }

  useShiftActivity(source: ShiftActivitySource): void {
    this.shiftSource = source;
  }

  useShiftArrivals(source: ShiftArrivalsSource): void {
    this.arrivalsSource = source;
  }

  get shiftArrivals(): ShiftArrivalsSource {
    return this.arrivalsSource;
  }

  /** Adds a link to the main navigation of volunteers or coordinators (e.g. "Check-ins"). */
  addNavLink(audience: 'volunteer' | 'coordinator', link: NavLink): void {
    if (!this.links[audience].some((l) => l.href === link.href)) this.links[audience].push(link);
  }

  get volunteerActivity(): VolunteerActivitySource {
    return this.volunteerSource;
  }

  get shiftActivity(): ShiftActivitySource {
    return this.shiftSource;
  }

  navLinks(audience: 'volunteer' | 'coordinator'): NavLink[] {
    return this.links[audience];
  }
}
