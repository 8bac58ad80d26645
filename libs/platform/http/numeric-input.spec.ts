import 'reflect-metadata';
import { readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { getMetadataStorage } from 'class-validator';
import type { ValidationMetadata } from 'class-validator/types/metadata/ValidationMetadata.js';
import fc from 'fast-check';
import { validateAs } from '../../web/forms.js';

const LIBS = fileURLToPath(new URL('../..', import.meta.url));
const NUMERIC_CHECKS = new Set(['isInt', 'isNumber', 'isLatitude', 'isLongitude']);

function dtoFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return dtoFiles(path);
    return entry.name.endsWith('.dto.ts') ? [path] : [];
  });
}

interface NumericField {
  name: string;
  target: new () => object;
  property: string;
  each: boolean;
}

/** Every property of every loaded class that class-validator checks as a number. */
function numericFields(): NumericField[] {
  const byTarget = (
    getMetadataStorage() as unknown as { validationMetadatas: Map<abstract new () => object, ValidationMetadata[]> }
  ).validationMetadatas;
  const fields = new Map<string, NumericField>();
  for (const [target, metadatas] of byTarget) {
    for (const m of metadatas) {
      if (!m.name || !NUMERIC_CHECKS.has(m.name)) continue;
      const name = `${target.name}.${m.propertyName}`;
      fields.set(name, { name, target: target as new () => object, property: m.propertyName, each: m.each ?? false });
    }
  }
  return [...fields.values()].sort((a, b) => a.name.localeCompare(b.name));
}

describe('numeric fields of every DTO', () => {
  let fields: NumericField[] = [];
  beforeAll(async () => {
    // Every DTO module of the code base, found on disk, so a new one is covered without editing this test.
    for (const file of dtoFiles(LIBS)) await import(`../../${relative(LIBS, file).replace(/\.ts$/, '.js')}`);
    fields = numericFields();
  });

  it('finds the numeric fields (the enumeration itself works)', () => {
    expect(fields.map((f) => f.name)).toEqual(
      expect.arrayContaining([
        'HomeAreaDto.lat',
        'HomeAreaDto.lon',
        'RegisterVolunteerDto.travelKm',
        'PartialOmitRegisterVolunteerDtoEmail.travelKm',
        'RegisterVolunteerDto.weeklyShiftCap',
        'AvailabilityWindowDto.weekday',
        'AddressDto.lat',
        'CreateShiftDto.capacity',
        'PartialPickCreateShiftDtoTitleDescriptionStartsAtEndsAtAddressIdCapacityRolesRequiredSkillsNiceSkills.capacity',
        'CreateSeriesDto.weekday',
        'PageQueryDto.limit',
        'ListShiftsQueryDto.offset',
        'CheckInAnswerDto.mood',
        'CheckInAnswerDto.who5',
        'CheckInAnswerDto.who5_1',
      ]),
    );
  });

  // null, "" and any whitespace: what JSON null, an empty form field or a blank query parameter sends.
  const blank = fc.oneof(fc.constant(null), fc.stringMatching(/^[ \t\r\n\u00a0]{0,4}$/));

  it('treat null, "" and whitespace as absent or refused (null is refused naming the field): never 0', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...fields), blank, async (field, value) => {
        const sent = field.each ? [value, value, value, value, value] : value;
        const { dto, problems } = await validateAs(field.target, { [field.property]: sent });
        const got = (dto as Record<string, unknown>)[field.property];
        const gotValues = Array.isArray(got) ? got : [got];
        expect(gotValues).not.toContain(0);
        const named = problems.some((p) => p.field === field.property || p.field.startsWith(`${field.property}.`));
        expect(named || got === undefined).toBe(true);
      }),
      { numRuns: 400 },
    );
  });

  it('still take real numbers, and numbers typed as text where text is how they arrive (query, form)', async () => {
    const { HomeAreaDto } = await import('../../volunteers/volunteer.dto.js');
    const { PageQueryDto } = await import('../../matching/matching.dto.js');
    expect((await validateAs(HomeAreaDto, { lat: 0, lon: 0 })).dto).toMatchObject({ lat: 0, lon: 0 });
    expect((await validateAs(HomeAreaDto, { lat: ' 53.5 ', lon: '-2.2' })).dto).toMatchObject({ lat: 53.5, lon: -2.2 });
    expect((await validateAs(PageQueryDto, { limit: '10', offset: '0' })).dto).toMatchObject({ limit: 10, offset: 0 });
    expect((await validateAs(PageQueryDto, { limit: 'ten' })).problems.map((p) => p.field)).toEqual(['limit']);
  });
});
