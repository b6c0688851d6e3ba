import Ajv, { type ValidateFunction } from 'ajv';
import { TransformationType } from 'class-transformer';
import { defaultMetadataStorage } from 'class-transformer/cjs/storage';
import { getMetadataStorage, isUUID, ValidationTypes } from 'class-validator';
import type { ValidationMetadata } from 'class-validator/types/metadata/ValidationMetadata';

type DtoClass = abstract new (...args: never[]) => object;
type PropertySchema = Record<string, unknown>;

/**
 * A compiled (ajv) check for the socket events of flat DTOs, built from the same class-validator
 * decorators, that accepts nothing class-validator would refuse: for each constraint it knows,
 * its schema is the same test or a stricter one. A payload it passes needs no further work; one
 * it refuses goes through class-validator, which gives the verdict and the error message. So
 * the rules stay one source (the DTO) and a refusal reads exactly as before; only the common
 * valid case is cheaper (class-validator and class-transformer were ~5 % of the API's CPU per
 * `message:send` in the throughput bench).
 *
 * An optional property whose decorators it does not translate (nested objects, arrays, `each`,
 * groups, custom constraints) or whose value class-transformer would change (`@Type`,
 * `@Transform`) is left out: a payload that carries it takes the full path. A DTO with such a
 * property that is required, or with `@Expose`/`@Exclude`, gets no compiled check.
 */
export class CompiledValidators {
  private readonly ajv = new Ajv({
    allErrors: false,
    // The same RegExp semantics as class-validator's `matches` (no `u` flag).
    unicodeRegExp: false,
    // ajv's strict mode refuses unknown formats; ours are registered as they are met.
    strict: true,
  });
  private readonly compiled = new WeakMap<DtoClass, ValidateFunction | null>();
  private readonly uuidFormats = new Set<string>();

  /** The compiled check of `dto`, or null when it has none (see above). */
  for(dto: DtoClass): ValidateFunction | null {
    let check = this.compiled.get(dto);
    if (check === undefined) {
      const schema = this.schemaOf(dto);
      check = schema ? this.ajv.compile(schema) : null;
      this.compiled.set(dto, check);
    }
    return check;
  }

  private schemaOf(dto: DtoClass): object | null {
    const metadatas = getMetadataStorage().getTargetValidationMetadatas(
      dto as unknown as new () => object,
      '',
      true,
      false,
    );
    if (metadatas.length === 0 || exposesOrExcludes(dto)) return null;
    const byProperty = new Map<string, ValidationMetadata[]>();
    for (const meta of metadatas) {
      byProperty.set(meta.propertyName, [...(byProperty.get(meta.propertyName) ?? []), meta]);
    }
    const properties: Record<string, PropertySchema> = {};
    const required: string[] = [];
    for (const [property, metas] of byProperty) {
      const optional = metas.some((m) => m.type === ValidationTypes.CONDITIONAL_VALIDATION);
      const schema = transformsValue(dto, property) ? null : this.propertySchema(metas);
      if (schema) properties[property] = schema;
      else if (!optional) return null;
      if (schema && !optional) required.push(property);
    }
    return { type: 'object', properties, required, additionalProperties: false };
  }

  /** All of one property's constraints as one schema; null if any is not translated. */
  private propertySchema(metas: ValidationMetadata[]): PropertySchema | null {
    const all: PropertySchema[] = [];
    for (const meta of metas) {
      if (meta.each || meta.groups?.length || meta.always) return null;
      if (meta.type === ValidationTypes.CONDITIONAL_VALIDATION) {
        // `@IsOptional` skips the rest for null or undefined; undefined is an absent property
        // here, and null fails the type below, so class-validator decides it.
        if (meta.name !== 'isOptional') return null;
        continue;
      }
      if (meta.type !== ValidationTypes.CUSTOM_VALIDATION) return null;
      const schema = this.constraintSchema(meta.name ?? '', meta.constraints ?? []);
      if (!schema) return null;
      all.push(schema);
    }
    return all.length === 0 ? null : { allOf: all };
  }

  private constraintSchema(name: string, args: unknown[]): PropertySchema | null {
    const [first, second] = args;
    switch (name) {
      case 'isString':
        return { type: 'string' };
      case 'isBoolean':
        return { type: 'boolean' };
      case 'isInt':
        return { type: 'integer' };
      case 'min':
        return typeof first === 'number' ? { type: 'number', minimum: first } : null;
      case 'max':
        return typeof first === 'number' ? { type: 'number', maximum: first } : null;
      case 'isIn':
        return Array.isArray(first) && first.every(isPrimitive) ? { enum: first } : null;
      // ajv counts code points; class-validator counts one less for each variation selector,
      // so a maximum in code points is as strict or stricter.
      case 'maxLength':
        return typeof first === 'number' ? { type: 'string', maxLength: first } : null;
      case 'minLength':
        return typeof first === 'number' ? minimumLength(first) : null;
      case 'isLength': {
        if (typeof first !== 'number' || (second !== undefined && typeof second !== 'number'))
          return null;
        return {
          allOf: [
            minimumLength(first),
            ...(second === undefined ? [] : [{ type: 'string', maxLength: second }]),
          ],
        };
      }
      case 'matches':
        return first instanceof RegExp && first.flags === '' && second === undefined
          ? { type: 'string', pattern: first.source }
          : null;
      case 'isUuid':
        return { type: 'string', format: this.uuidFormat(first) };
      default:
        return null;
    }
  }

  /** class-validator's own `isUUID` as an ajv format, per version asked for. */
  private uuidFormat(version: unknown): string {
    const name = `class-validator-uuid-${String(version ?? 'all')}`;
    if (!this.uuidFormats.has(name)) {
      this.ajv.addFormat(name, {
        type: 'string',
        validate: (value: string) => isUUID(value, version as Parameters<typeof isUUID>[1]),
      });
      this.uuidFormats.add(name);
    }
    return name;
  }
}

/**
 * A minimum counted in code points could pass a string class-validator finds shorter (it counts
 * a letter and its variation selector as one): only ASCII strings, where both agree, pass here.
 */
const minimumLength = (min: number): PropertySchema =>
  min > 0 ? { type: 'string', minLength: min, pattern: '^[\\x00-\\x7F]*$' } : { type: 'string' };

const isPrimitive = (value: unknown) =>
  value === null || ['string', 'number', 'boolean'].includes(typeof value);

function exposesOrExcludes(dto: DtoClass): boolean {
  const storage = defaultMetadataStorage;
  return (
    storage.getStrategy(dto) !== 'none' ||
    storage.getExposedMetadatas(dto).length > 0 ||
    storage.getExcludedMetadatas(dto).length > 0
  );
}

/** Whether class-transformer's `plainToInstance` would change this property's value. */
function transformsValue(dto: DtoClass, property: string): boolean {
  const storage = defaultMetadataStorage;
  return (
    storage.findTypeMetadata(dto, property) !== undefined ||
    storage.findTransformMetadatas(dto, property, TransformationType.PLAIN_TO_CLASS).length > 0
  );
}
