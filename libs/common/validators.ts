import { registerDecorator, type ValidationArguments } from 'class-validator';
import { IANAZone } from 'luxon';

/** A wall-clock time of day, 00:00–23:59. */
export const TIME_OF_DAY = /^([01]\d|2[0-3]):[0-5]\d$/;

/** An IANA time zone name such as Europe/London (never a fixed offset). */
export function IsTimeZone() {
  return (object: object, propertyName: string) =>
    registerDecorator({
      name: 'isTimeZone',
      target: object.constructor,
      propertyName,
      validator: {
        validate: (value: unknown) =>
          typeof value === 'string' && value.length <= 64 && value.includes('/') && IANAZone.isValidZone(value),
        defaultMessage: (args: ValidationArguments) =>
          `${args.property} must be an IANA time zone such as Europe/London`,
      },
    });
}
