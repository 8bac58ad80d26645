/** The kinds of organisation Kindshift serves; volunteers choose causes from the same list. */
export const ORGANISATION_KINDS = ['soup_kitchen', 'animal_shelter', 'homeless_shelter', 'food_bank', 'other'] as const;
export type OrganisationKind = (typeof ORGANISATION_KINDS)[number];
