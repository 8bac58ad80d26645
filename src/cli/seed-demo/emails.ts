// Demo sign-in addresses, shared by the rows, the seed's result and the CLI's closing hint.
import { DEMO_EMAIL_DOMAIN, type DemoOrganisation } from './data.js';

export function coordinatorEmail(organisation: Pick<DemoOrganisation, 'slug'>): string {
  return `coordinator@${organisation.slug}.${DEMO_EMAIL_DOMAIN}`;
}

export function volunteerEmail(index: number): string {
  return `volunteer${String(index).padStart(3, '0')}@${DEMO_EMAIL_DOMAIN}`;
}
