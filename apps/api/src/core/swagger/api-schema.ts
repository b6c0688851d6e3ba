import { applyDecorators } from '@nestjs/common';
import { ApiBody, ApiQuery, getSchemaPath } from '@nestjs/swagger';
import type { OpenAPIObject } from '@nestjs/swagger';
import { validationMetadatasToSchemas } from 'class-validator-jsonschema';

type DtoClass = abstract new (...args: never[]) => object;

/**
 * The DTOs live in `libs/shared-dto`, which may not import `@nestjs/swagger`; their OpenAPI
 * schemas are derived from their class-validator decorators instead, so they stay one source.
 */
export function addDtoSchemas(document: OpenAPIObject): OpenAPIObject {
  // openapi3-ts and Nest describe the same JSON with slightly different TypeScript types.
  const schemas = validationMetadatasToSchemas({
    refPointerPrefix: '#/components/schemas/',
  }) as unknown as NonNullable<OpenAPIObject['components']>['schemas'];
  document.components = {
    ...document.components,
    schemas: { ...document.components?.schemas, ...schemas },
  };
  return document;
}

/** Documents a request body by its shared-dto class. */
export const ApiBodyOf = (dto: DtoClass) => ApiBody({ schema: { $ref: getSchemaPath(dto.name) } });

/** Documents query parameters by the properties of a shared-dto class. */
export function ApiQueryOf(dto: DtoClass) {
  const schema = validationMetadatasToSchemas()[dto.name];
  const required = new Set(schema?.required ?? []);
  return applyDecorators(
    ...Object.entries(schema?.properties ?? {}).map(([name, property]) =>
      ApiQuery({ name, required: required.has(name), schema: property as object }),
    ),
  );
}
