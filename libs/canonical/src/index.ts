/**
 * @hub/canonical: the canonical record envelope, shared value decorators, PII marking, JSON Schema
 * generation from the class-validator models, and the v1 compatibility check of published schemas.
 */
export { CANONICAL_OPERATIONS } from './canonical-record.model';
export type {
  CanonicalOperation,
  CanonicalRecord,
  CouncilRef,
  MappingRef,
  SourceFileRef,
  SourceLineage,
} from './canonical-record.model';
export { HUB_ID_NAMESPACE, canonicalRecordId, canonicalRevisionId, uuidV5 } from './canonical-id.factory';
export {
  ISO_DATE_PATTERN,
  ISO_DATETIME_PATTERN,
  MAX_ABS_PENCE,
  NINO_PATTERN,
  UK_POSTCODE_PATTERN,
  UPRN_PATTERN,
  USRN_PATTERN,
} from './value-patterns.constants';
export { Pii, getPiiPaths, ownPiiFields } from './pii.decorator';
export { Nested, nestedFieldsOf } from './nested.decorator';
export type { NestedField } from './nested.decorator';
export {
  Describe,
  IsIsoDate,
  IsIsoDateTime,
  IsNino,
  IsPence,
  IsUkPostcode,
  IsUprn,
  IsUsrn,
} from './canonical-field.decorators';
export { PropertyRef } from './property-ref.model';
export type { ClassType } from './class-type';
export { defineEntity } from './entity-definition.model';
export type { EntityClass, EntityDefinition } from './entity-definition.model';
export type { JsonSchema, JsonSchemaType } from './json-schema.types';
export { entityFields, generateEntitySchema, generateSchemas, typesOf } from './schema.generator';
export type { EntityField } from './schema.generator';
export { checkCompatibility } from './schema-compat.checker';
export type { CompatibilityReport, SchemaBreak, SchemaBreakKind } from './schema-compat.checker';
export {
  checkPublishedSchemas,
  publishedSchemasDir,
  readPublishedSchema,
  schemaFileText,
  writeSchemas,
} from './write-schemas';
export type { SchemaSnapshotStatus } from './write-schemas';
