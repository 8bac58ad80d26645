import { InvalidInputError } from './domain-errors.js';

/** The skills catalogue. Seeded into the `skills` table by a migration; slugs are the stable identifiers. */
export const SKILLS_CATALOGUE = [
  { slug: 'cooking', label: 'Cooking', category: 'kitchen' },
  { slug: 'food-safety-certificate', label: 'Food safety certificate', category: 'kitchen' },
  { slug: 'serving', label: 'Serving food', category: 'kitchen' },
  { slug: 'dishwashing', label: 'Dishwashing', category: 'kitchen' },
  { slug: 'driving-licence', label: 'Driving licence', category: 'logistics' },
  { slug: 'van-driving', label: 'Van driving', category: 'logistics' },
  { slug: 'heavy-lifting', label: 'Heavy lifting', category: 'logistics' },
  { slug: 'warehouse', label: 'Warehouse and stock', category: 'logistics' },
  { slug: 'animal-handling', label: 'Animal handling', category: 'animals' },
  { slug: 'dog-walking', label: 'Dog walking', category: 'animals' },
  { slug: 'cat-care', label: 'Cat care', category: 'animals' },
  { slug: 'first-aid', label: 'First aid', category: 'care' },
  { slug: 'mental-health-first-aid', label: 'Mental health first aid', category: 'care' },
  { slug: 'befriending', label: 'Befriending and listening', category: 'care' },
  { slug: 'childcare', label: 'Childcare', category: 'care' },
  { slug: 'cleaning', label: 'Cleaning', category: 'facilities' },
  { slug: 'laundry', label: 'Laundry', category: 'facilities' },
  { slug: 'diy-repairs', label: 'DIY and repairs', category: 'facilities' },
  { slug: 'languages', label: 'Speaks other languages', category: 'people' },
  { slug: 'admin', label: 'Admin and reception', category: 'office' },
  { slug: 'it-support', label: 'IT support', category: 'office' },
  { slug: 'fundraising', label: 'Fundraising', category: 'office' },
] as const;

export type SkillSlug = (typeof SKILLS_CATALOGUE)[number]['slug'];
export const SKILL_SLUGS: readonly string[] = SKILLS_CATALOGUE.map((skill) => skill.slug);

/** Rejects slugs that are not in the catalogue, listing the valid ones so the caller can fix it. */
export function assertKnownSkills(field: string, skills: readonly string[]): void {
  const unknown = skills.filter((skill) => !SKILL_SLUGS.includes(skill));
  if (unknown.length) {
    throw InvalidInputError.field(
      field,
      `unknown skill ${unknown.map((s) => `"${s}"`).join(', ')}; valid skills are: ${SKILL_SLUGS.join(', ')}`,
    );
  }
}
