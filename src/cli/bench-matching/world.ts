/**
 * The shape of the benchmark's world: real city centres with their time zones and a rough share
 * of volunteers, skill popularity (skewed: a few common, a long rare tail) and common weekly
 * availability patterns. Numbers are plausible, not measured.
 */

export interface City {
  name: string;
  lat: number;
  lon: number;
  zone: string;
  /** Relative share of volunteers. */
  weight: number;
  /** Spread of the metropolitan area (standard deviation, km). */
  sigmaKm: number;
}

export const CITIES: readonly City[] = [
  { name: 'London', lat: 51.507, lon: -0.128, zone: 'Europe/London', weight: 9, sigmaKm: 14 },
  { name: 'Manchester', lat: 53.48, lon: -2.242, zone: 'Europe/London', weight: 3, sigmaKm: 9 },
  { name: 'Paris', lat: 48.857, lon: 2.352, zone: 'Europe/Paris', weight: 8, sigmaKm: 12 },
  { name: 'Berlin', lat: 52.52, lon: 13.405, zone: 'Europe/Berlin', weight: 5, sigmaKm: 11 },
  { name: 'Madrid', lat: 40.417, lon: -3.704, zone: 'Europe/Madrid', weight: 5, sigmaKm: 10 },
  { name: 'Rome', lat: 41.903, lon: 12.496, zone: 'Europe/Rome', weight: 4, sigmaKm: 10 },
  { name: 'Amsterdam', lat: 52.368, lon: 4.904, zone: 'Europe/Amsterdam', weight: 3, sigmaKm: 8 },
  { name: 'Warsaw', lat: 52.23, lon: 21.012, zone: 'Europe/Warsaw', weight: 3, sigmaKm: 9 },
  { name: 'Dublin', lat: 53.35, lon: -6.26, zone: 'Europe/Dublin', weight: 2, sigmaKm: 7 },
  { name: 'New York', lat: 40.713, lon: -74.006, zone: 'America/New_York', weight: 10, sigmaKm: 16 },
  { name: 'Chicago', lat: 41.878, lon: -87.63, zone: 'America/Chicago', weight: 5, sigmaKm: 14 },
  { name: 'Los Angeles', lat: 34.052, lon: -118.244, zone: 'America/Los_Angeles', weight: 7, sigmaKm: 20 },
  { name: 'Toronto', lat: 43.653, lon: -79.383, zone: 'America/Toronto', weight: 4, sigmaKm: 12 },
  { name: 'Mexico City', lat: 19.433, lon: -99.133, zone: 'America/Mexico_City', weight: 5, sigmaKm: 14 },
  { name: 'São Paulo', lat: -23.55, lon: -46.633, zone: 'America/Sao_Paulo', weight: 6, sigmaKm: 15 },
  { name: 'Sydney', lat: -33.869, lon: 151.209, zone: 'Australia/Sydney', weight: 4, sigmaKm: 15 },
  { name: 'Auckland', lat: -36.848, lon: 174.763, zone: 'Pacific/Auckland', weight: 2, sigmaKm: 9 },
  { name: 'Tokyo', lat: 35.676, lon: 139.65, zone: 'Asia/Tokyo', weight: 8, sigmaKm: 18 },
  { name: 'Mumbai', lat: 19.076, lon: 72.878, zone: 'Asia/Kolkata', weight: 6, sigmaKm: 12 },
  { name: 'Johannesburg', lat: -26.204, lon: 28.047, zone: 'Africa/Johannesburg', weight: 2, sigmaKm: 11 },
];

/** Share of volunteers who hold each skill (independent draws). */
export const SKILL_POPULARITY: Readonly<Record<string, number>> = {
  cooking: 0.45,
  cleaning: 0.45,
  'driving-licence': 0.4,
  serving: 0.35,
  'heavy-lifting': 0.3,
  dishwashing: 0.3,
  'first-aid': 0.2,
  languages: 0.2,
  admin: 0.15,
  'dog-walking': 0.15,
  befriending: 0.1,
  laundry: 0.1,
  warehouse: 0.1,
  'food-safety-certificate': 0.08,
  'animal-handling': 0.08,
  'diy-repairs': 0.07,
  childcare: 0.06,
  'van-driving': 0.05,
  'cat-care': 0.05,
  'it-support': 0.05,
  fundraising: 0.05,
  'mental-health-first-aid': 0.03,
};

/** Weekly availability patterns (ISO weekday, local start, local end) and how common each is. */
export const AVAILABILITY_PATTERNS: readonly { weight: number; windows: [number, string, string][] }[] = [
  { weight: 25, windows: [1, 2, 3, 4, 5].map((d) => [d, '18:00', '21:30']) },
  {
    weight: 10,
    windows: [
      [2, '17:00', '21:00'],
      [4, '17:00', '21:00'],
    ],
  },
  {
    weight: 20,
    windows: [
      [6, '09:00', '17:00'],
      [7, '09:00', '17:00'],
    ],
  },
  { weight: 10, windows: [[6, '08:00', '13:00']] },
  { weight: 12, windows: [1, 2, 3, 4, 5].map((d) => [d, '09:00', '15:00']) },
  {
    weight: 5,
    windows: [
      [5, '20:00', '02:00'],
      [6, '20:00', '02:00'],
    ],
  },
  {
    weight: 8,
    windows: [
      [1, '07:00', '10:00'],
      [3, '07:00', '10:00'],
      [5, '07:00', '10:00'],
    ],
  },
  { weight: 5, windows: [1, 2, 3, 4, 5, 6, 7].map((d) => [d, '10:00', '20:00']) },
  { weight: 5, windows: [[7, '12:00', '18:00']] },
];

/** Shift times organisations post, in their local time, and how common each is. */
export const SHIFT_SLOTS: readonly { weight: number; start: string; hours: number; weekdays: number[] }[] = [
  { weight: 40, start: '18:00', hours: 3, weekdays: [1, 2, 3, 4, 5] },
  { weight: 20, start: '09:00', hours: 3, weekdays: [1, 2, 3, 4, 5] },
  { weight: 25, start: '10:00', hours: 4, weekdays: [6, 7] },
  { weight: 10, start: '07:30', hours: 2, weekdays: [1, 3, 5] },
  { weight: 5, start: '21:00', hours: 4, weekdays: [5, 6] },
];
