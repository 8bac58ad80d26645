import { readFileSync } from 'node:fs';
import { z } from 'zod';

/**
 * Where to find help, per country. Shipped entries were checked on the date they carry; operators
 * replace or extend them with a JSON file of the same shape (HELP_RESOURCES_FILE), which is
 * validated at start-up. `fallback` is shown for every other country.
 */
const resourceSchema = z.object({
  name: z.string().min(1),
  contact: z.string().min(1),
  description: z.string().min(1),
  url: z.url().optional(),
});
export const helpResourcesSchema = z.object({
  checked: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  countries: z.record(z.string().regex(/^[A-Z]{2}$/), z.array(resourceSchema).min(1)),
  fallback: z.array(resourceSchema).min(1),
});
export type HelpResources = z.infer<typeof helpResourcesSchema>;
export type HelpResource = z.infer<typeof resourceSchema>;

const samaritans = {
  name: 'Samaritans',
  contact: 'Call 116 123 (free, any time)',
  description: 'Someone to talk to, day or night, whatever you are going through.',
  url: 'https://www.samaritans.org',
};

export const SHIPPED_HELP_RESOURCES: HelpResources = {
  checked: '2026-11-26',
  countries: {
    US: [
      {
        name: '988 Suicide & Crisis Lifeline',
        contact: 'Call or text 988',
        description: 'Free, confidential support, 24/7, for anyone in emotional distress.',
        url: 'https://988lifeline.org',
      },
    ],
    CA: [
      {
        name: '9-8-8 Suicide Crisis Helpline',
        contact: 'Call or text 988',
        description: 'Free support, 24/7, in English and French.',
        url: 'https://988.ca',
      },
    ],
    GB: [
      samaritans,
      {
        name: 'NHS 111',
        contact: 'Call 111',
        description: 'Urgent help for your mental health, any time.',
        url: 'https://111.nhs.uk',
      },
    ],
    IE: [samaritans],
    AU: [
      {
        name: 'Lifeline',
        contact: 'Call 13 11 14',
        description: 'Crisis support, 24/7.',
        url: 'https://www.lifeline.org.au',
      },
    ],
    NZ: [
      {
        name: 'Need to talk?',
        contact: 'Call or text 1737',
        description: 'Free, 24/7, a trained counsellor.',
        url: 'https://1737.org.nz',
      },
    ],
    DE: [
      {
        name: 'TelefonSeelsorge',
        contact: 'Call 0800 111 0 111 or 0800 111 0 222',
        description: 'Free, anonymous, day and night.',
        url: 'https://www.telefonseelsorge.de',
      },
    ],
  },
  fallback: [
    {
      name: 'Find A Helpline',
      contact: 'findahelpline.com',
      description: 'Free, confidential helplines in your country.',
      url: 'https://findahelpline.com',
    },
    {
      name: 'Emergency services',
      contact: 'Your local emergency number',
      description: 'If you might act on thoughts of harming yourself, or are in danger now.',
    },
  ],
};

/** Loads the operator's file if configured (failing fast on a bad one), else the shipped entries. */
export function loadHelpResources(path?: string): HelpResources {
  if (!path) return SHIPPED_HELP_RESOURCES;
  const parsed = helpResourcesSchema.safeParse(JSON.parse(readFileSync(path, 'utf8')));
  if (!parsed.success)
    throw new Error(
      `HELP_RESOURCES_FILE ${path} is not valid: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
    );
  return parsed.data;
}

export function resourcesFor(resources: HelpResources, country: string | null | undefined): HelpResource[] {
  return (country && resources.countries[country.toUpperCase()]) || resources.fallback;
}
