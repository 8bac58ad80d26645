import { applyDecorators, type Type } from '@nestjs/common';
import { ApiExtraModels, ApiOkResponse, DECORATORS, getSchemaPath } from '@nestjs/swagger';

/**
 * Adds OpenAPI details (format, integer) to a property whose @ApiProperty sits on a line shared with
 * validators; put it on its own line above that one (decorators run bottom-up, so it runs after).
 */
export function ApiPropertyExtra(extra: {
  format?: 'uuid' | 'email' | 'date-time' | 'date' | 'uri';
  type?: 'integer';
}): PropertyDecorator {
  return (target, key) => {
    const existing = Reflect.getMetadata(DECORATORS.API_MODEL_PROPERTIES, target, key);
    if (!existing)
      throw new Error(`@ApiPropertyExtra on ${target.constructor.name}.${String(key)} must sit above its @ApiProperty`);
    Reflect.defineMetadata(DECORATORS.API_MODEL_PROPERTIES, { ...existing, ...extra }, target, key);
  };
}

/** 200 for a link's button: JSON clients (Accept: application/json) get `type`, browsers a page. */
export function ApiJsonOrPageResponse(type: Type<unknown>, description: string) {
  return applyDecorators(
    ApiExtraModels(type),
    ApiOkResponse({
      description,
      content: {
        'application/json': { schema: { $ref: getSchemaPath(type) } },
        'text/html': { schema: { type: 'string' } },
      },
    }),
  );
}
