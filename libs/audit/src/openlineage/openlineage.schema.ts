/**
 * A JSON Schema of the RunEvent requirements of the OpenLineage 2-0-2 specification (required fields,
 * eventType values, runId as a UUID, producer and schemaURL as URIs, datasets with namespace and name,
 * facets with _producer and _schemaURL). Written from the specification's text, not copied from its
 * repository; the test validates every event the hub emits against it.
 */
export const OPENLINEAGE_RUN_EVENT_SCHEMA = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  definitions: {
    facet: {
      type: 'object',
      required: ['_producer', '_schemaURL'],
      properties: {
        _producer: { type: 'string', format: 'uri' },
        _schemaURL: { type: 'string', format: 'uri' },
      },
    },
    facets: { type: 'object', additionalProperties: { $ref: '#/definitions/facet' } },
    dataset: {
      type: 'object',
      required: ['namespace', 'name'],
      properties: {
        namespace: { type: 'string', minLength: 1 },
        name: { type: 'string', minLength: 1 },
        facets: { $ref: '#/definitions/facets' },
        inputFacets: { $ref: '#/definitions/facets' },
        outputFacets: { $ref: '#/definitions/facets' },
      },
    },
  },
  type: 'object',
  required: ['eventTime', 'producer', 'schemaURL', 'run', 'job'],
  properties: {
    eventType: { enum: ['START', 'RUNNING', 'COMPLETE', 'ABORT', 'FAIL', 'OTHER'] },
    eventTime: { type: 'string', format: 'date-time' },
    producer: { type: 'string', format: 'uri' },
    schemaURL: { type: 'string', format: 'uri' },
    run: {
      type: 'object',
      required: ['runId'],
      properties: {
        runId: { type: 'string', format: 'uuid' },
        facets: { $ref: '#/definitions/facets' },
      },
    },
    job: {
      type: 'object',
      required: ['namespace', 'name'],
      properties: {
        namespace: { type: 'string', minLength: 1 },
        name: { type: 'string', minLength: 1 },
        facets: { $ref: '#/definitions/facets' },
      },
    },
    inputs: { type: 'array', items: { $ref: '#/definitions/dataset' } },
    outputs: { type: 'array', items: { $ref: '#/definitions/dataset' } },
  },
} as const;
