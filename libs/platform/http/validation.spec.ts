import 'reflect-metadata';
import { CheckInAnswerDto } from '../../wellbeing/wellbeing.dto.js';
import { InvalidInputError } from '../../common/domain-errors.js';
import { createValidationPipe } from './validation.js';

describe('the validation pipe', () => {
  const pipe = createValidationPipe();
  const body = (value: unknown) => pipe.transform(value, { type: 'body', metatype: CheckInAnswerDto });
  const fieldsOf = async (value: unknown) => {
    const error = await body(value).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(InvalidInputError);
    return (error as InvalidInputError).errors.map((p) => p.field);
  };

  it('refuses an object that shadows toString or valueOf where a number goes, naming the field (not a TypeError)', async () => {
    expect(await fieldsOf({ token: 'x'.repeat(30), who5_1: { toString: 0 } })).toEqual(['who5_1']);
    expect(await fieldsOf({ token: 'x'.repeat(30), mood: { valueOf: 'x' } })).toEqual(['mood']);
    expect(await fieldsOf({ token: 'x'.repeat(30), note: { nested: { toJSON: 1 } } })).toEqual(['note.nested']);
  });

  it('still converts and accepts ordinary values', async () => {
    const dto = (await body({
      token: 'x'.repeat(30),
      who5_1: '3',
      who5_2: 0,
      who5_3: 1,
      who5_4: 2,
      who5_5: 5,
    })) as CheckInAnswerDto;
    expect(dto.who5_1).toBe(3);
  });
});
