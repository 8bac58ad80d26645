import { ValidationPipe, type ArgumentMetadata, type ValidationError } from '@nestjs/common';
import { InvalidInputError, type FieldProblem } from './domain-errors.js';

/** Flattens class-validator's nested errors into dotted field paths (`availability.0.start`). */
export function flattenValidationErrors(errors: ValidationError[], prefix = ''): FieldProblem[] {
  return errors.flatMap((error) => {
    const field = prefix ? `${prefix}.${error.property}` : error.property;
    const own = Object.entries(error.constraints ?? {}).map(([rule, message]) => ({
      field,
      message: rule === 'whitelistValidation' ? 'is not a known field' : message.replace(/^\S+ /, ''),
    }));
    return [...own, ...flattenValidationErrors(error.children ?? [], field)];
  });
}

/**
 * A body must be a JSON object (or a form); a bare string, number or array is refused naming `body`
 * instead of being coerced into a DTO.
 */
class ObjectBodyValidationPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    const isDtoBody = metadata.type === 'body' && metadata.metatype && metadata.metatype !== Object;
    if (isDtoBody && value !== undefined && (value === null || typeof value !== 'object' || Array.isArray(value))) {
      throw new InvalidInputError([{ field: 'body', message: 'must be a JSON object' }], 'body: must be a JSON object');
    }
    // No body at all validates like an empty object, so missing required fields are named.
    return super.transform(isDtoBody && value === undefined ? {} : value, metadata);
  }
}

/** Whitelists DTO fields, rejects unknown ones, converts types, answers 422 naming each field. */
export function createValidationPipe(): ValidationPipe {
  return new ObjectBodyValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    forbidUnknownValues: true,
    stopAtFirstError: true,
    exceptionFactory: (errors) => new InvalidInputError(flattenValidationErrors(errors)),
  });
}
