import 'reflect-metadata';
import fc from 'fast-check';
import { plainToInstance } from 'class-transformer';
import { getMetadataStorage, validate } from 'class-validator';
import * as identityDtos from '../../identity/identity.dto.js';
import * as matchingDtos from '../../matching/matching.dto.js';
import * as offersDtos from '../../offers/offers.dto.js';
import * as organisationDtos from '../../organisations/organisation.dto.js';
import * as volunteerDtos from '../../volunteers/volunteer.dto.js';
import * as wellbeingDtos from '../../wellbeing/wellbeing.dto.js';
import { flattenValidationErrors } from './validation.js';

type Dto = new () => object;

/** Every input DTO (a class with validation rules) and the properties it validates. */
const inputs: Array<{ dto: Dto; property: string }> = [
  identityDtos,
  matchingDtos,
  offersDtos,
  organisationDtos,
  volunteerDtos,
  wellbeingDtos,
]
  .flatMap((module) => Object.values(module))
  .filter((value): value is Dto => typeof value === 'function')
  .flatMap((dto) => {
    const properties = new Set(
      getMetadataStorage()
        .getTargetValidationMetadatas(dto, '', true, false)
        .map((meta) => meta.propertyName),
    );
    return [...properties].map((property) => ({ dto, property }));
  });

/** What the OpenAPI document says of a property (`nullable: true` is the only licence for null). */
const nullable = (dto: Dto, property: string): boolean =>
  Boolean(
    (Reflect.getMetadata('swagger/apiModelProperties', dto.prototype, property) as { nullable?: boolean } | undefined)
      ?.nullable,
  );

/** The validation pipe's options (libs/platform/http/validation.ts). */
async function problemsOf(dto: Dto, body: Record<string, unknown>) {
  const errors = await validate(plainToInstance(dto, body) as object, {
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: true,
    stopAtFirstError: true,
  });
  return flattenValidationErrors(errors);
}

describe('null in input DTOs', () => {
  it('finds the input DTOs (the property below must not pass vacuously)', () => {
    const names = new Set(inputs.map(({ dto }) => dto.name));
    for (const name of [
      'UpdateVolunteerDto',
      'ConsentDto',
      'CreateSeriesDto',
      'CreateShiftDto',
      'UpdateShiftDto',
      'AddressDto',
      'RegisterVolunteerDto',
      'HomeAreaDto',
    ]) {
      expect(names).toContain(name);
    }
    expect(inputs.length).toBeGreaterThan(60);
  });

  it('refuses null naming the field wherever the spec does not declare the field nullable', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...inputs),
        fc.dictionary(fc.constantFrom(...new Set(inputs.map((i) => i.property))), fc.constant(null), { maxKeys: 3 }),
        async ({ dto, property }, others) => {
          const problems = await problemsOf(dto, { ...others, [property]: null });
          const named = problems.some((problem) => problem.field === property);
          expect([dto.name, property, named]).toEqual([dto.name, property, !nullable(dto, property)]);
        },
      ),
      { numRuns: 400 },
    );
  });

  it('still lets every optional field be left out', async () => {
    for (const { dto, property } of inputs) {
      const optional =
        (
          Reflect.getMetadata('swagger/apiModelProperties', dto.prototype, property) as
            { required?: boolean } | undefined
        )?.required === false;
      if (!optional) continue;
      const problems = await problemsOf(dto, {});
      expect([dto.name, property, problems.some((problem) => problem.field === property)]).toEqual([
        dto.name,
        property,
        false,
      ]);
    }
  });

  it('the cases of the issue: paused, suggestions and addressId', async () => {
    expect(await problemsOf(volunteerDtos.UpdateVolunteerDto, { paused: null })).toEqual([
      { field: 'paused', message: expect.any(String) },
    ]);
    expect(await problemsOf(wellbeingDtos.ConsentDto, { suggestions: null })).toEqual([
      { field: 'suggestions', message: expect.any(String) },
    ]);
    expect((await problemsOf(organisationDtos.CreateSeriesDto, { addressId: null })).map((p) => p.field)).toContain(
      'addressId',
    );
  });
});
