import { ValidationPipe, type ArgumentMetadata, type ValidationError } from '@nestjs/common';
import { ValidateIf } from 'class-validator';
import { InvalidInputError, type FieldProblem } from '../../common/index.js';

/** Flattens class-validator's nested errors into dotted field paths (`availability.0.start`). */
export function flattenValidationErrors(errors: ValidationError[], prefix = ''): FieldProblem[] {
  return errors.flatMap((error) => {
    const property = error.property === '' ? '""' : error.property;
    const field = prefix ? `${prefix}.${property}` : property;
    const own = Object.entries(error.constraints ?? {}).map(([rule, message]) => ({
      field,
      message: rule === 'whitelistValidation' ? 'is not a known field' : message.replace(/^\S+ /, ''),
    }));
    return [...own, ...flattenValidationErrors(error.children ?? [], field)];
  });
}

/** Deeper than any DTO goes; deeper input would only exhaust the stack of the recursive validators. */
const MAX_DEPTH = 32;

/**
 * Own keys that shadow what JavaScript calls to turn an object into a number or a string. JSON can
 * send `{"toString": 0}`; converting it (class-transformer's `@Type(() => Number)`, a template
 * string) throws a TypeError, which would surface as a 500.
 */
const COERCION_KEYS = ['toString', 'valueOf', 'toJSON'];

/**
 * Refuses, before any recursive library sees it: nesting deeper than MAX_DEPTH, strings that are not
 * well-formed Unicode (lone surrogates break validators), NUL characters (PostgreSQL refuses them)
 * and objects that cannot be converted to a value (COERCION_KEYS).
 * An explicit stack, so hostile nesting cannot overflow this check either.
 */
function assertSaneInput(value: unknown, rootField: string): void {
  const stack: Array<[unknown, string, number]> = [[value, '', 0]];
  while (stack.length) {
    const [node, path, depth] = stack.pop()!;
    if (depth > MAX_DEPTH) throw InvalidInputError.field(rootField, 'is nested too deeply');
    if (typeof node === 'string' && (!node.isWellFormed() || node.includes('\u0000')))
      throw InvalidInputError.field(path || rootField, 'is not valid text');
    if (node && typeof node === 'object') {
      if (COERCION_KEYS.some((key) => Object.hasOwn(node, key)))
        throw InvalidInputError.field(path || rootField, 'is not a valid value');
      for (const [key, child] of Object.entries(node)) stack.push([child, path ? `${path}.${key}` : key, depth + 1]);
    }
  }
}

/**
 * A body must be a JSON object (or a form); a bare string, number or array is refused naming `body`
 * instead of being coerced into a DTO.
 */
class ObjectBodyValidationPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    assertSaneInput(value, metadata.type === 'body' ? 'body' : (metadata.data ?? metadata.type));
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

/**
 * For optional input fields: the field may be left out, but `null` is validated like any other value
 * (and so refused, 422 naming the field). class-validator's @IsOptional() lets null through too, which
 * the OpenAPI document does not allow and the services would store or mistake for "unchanged".
 */
export function IsOmittable(): PropertyDecorator {
  return ValidateIf((_object, value) => value !== undefined);
}
