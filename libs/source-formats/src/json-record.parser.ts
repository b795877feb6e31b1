import { fail, ok } from './parse-result';
import { LineIndex } from './line-index';
import { collectValueFlags, type ValueFlags } from './value-flags';
import {
  DEFAULT_MAX_RECORD_BYTES,
  DEFAULT_MAX_RECORD_DEPTH,
  DEFAULT_MAX_STRING_LENGTH,
} from './source-format.limits';
import { decodeText } from './text-decoder';
import type { ParseResult, ParsedRecord, SourceRecord } from './source-format.types';

/** Limits for one JSON message; each defaults to the value in source-format.limits. */
export interface JsonRecordLimits {
  /** Largest payload in bytes (default 1 MiB) → `SIZE.TOO_LARGE`. */
  maxBytes?: number;
  /** Deepest nesting of objects and arrays, the record itself being depth 1 (default 32) → `SOURCE.SCHEMA_INVALID`. */
  maxDepth?: number;
  /** Longest string value or key in UTF-16 code units (default 32 KiB) → `SOURCE.SCHEMA_INVALID`. */
  maxStringLength?: number;
}

/**
 * Parses one JSON message into a record. The payload must be a single JSON object.
 *
 * - Limits are checked before the expensive steps: size before decoding, nesting depth by a scan before
 *   `JSON.parse`, string length after it.
 * - Duplicate keys: the last one wins (`JSON.parse` behaviour). The hub accepts this because the producing
 *   systems serialise maps, which cannot hold duplicates; a hand-made payload with duplicates gets the later value.
 * - Control characters (other than tab, CR, LF) in strings are kept and reported in `fieldsWithControlCharacters`;
 *   the mapping layer decides. Integers beyond 2^53 lose digits in `JSON.parse` and are reported in
 *   `fieldsWithImpreciseNumbers`, so identifiers sent as bare numbers can be refused downstream.
 * - The charset comes from `declaredEncoding` (a content type or label) or detection (see `decodeText`); RFC 8259
 *   says JSON is UTF-8, but council integrations also send UTF-16 with a BOM.
 */
export function parseJsonRecord(
  bytes: Buffer,
  limits: JsonRecordLimits = {},
  declaredEncoding?: string,
): ParseResult<ParsedRecord> {
  const maxBytes = limits.maxBytes ?? DEFAULT_MAX_RECORD_BYTES;
  const maxDepth = limits.maxDepth ?? DEFAULT_MAX_RECORD_DEPTH;
  const maxStringLength = limits.maxStringLength ?? DEFAULT_MAX_STRING_LENGTH;

  if (bytes.length > maxBytes) {
    return fail(
      'SIZE.TOO_LARGE',
      `The JSON payload is ${bytes.length} bytes, more than the limit of ${maxBytes} bytes; send one record per message.`,
    );
  }
  if (bytes.length === 0) return fail('SOURCE.EMPTY', 'The JSON payload is empty; expected one JSON object.');

  const decoded = decodeText(bytes, declaredEncoding);
  if (!decoded.ok) return decoded;
  const { text, encoding } = decoded.value;
  if (text.trim() === '')
    return fail('SOURCE.EMPTY', 'The JSON payload holds only whitespace; expected one JSON object.');

  const tooDeep = findDepthViolation(text, maxDepth);
  if (tooDeep !== undefined) {
    return fail(
      'SOURCE.SCHEMA_INVALID',
      `The JSON nests objects/arrays deeper than the limit of ${maxDepth} levels (line ${tooDeep.line}); flatten the record.`,
      { line: tooDeep.line },
    );
  }

  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error: unknown) {
    // The engine's message quotes the input, which may be personal data: keep only the position it names.
    const position = /position (\d+)/.exec(error instanceof Error ? error.message : '')?.[1];
    if (position === undefined) {
      return fail(
        'SOURCE.PARSE_ERROR',
        'The payload is not valid JSON (unexpected token or truncated input).',
      );
    }
    const { line, column } = new LineIndex(text).positionAt(Number(position));
    return fail(
      'SOURCE.PARSE_ERROR',
      `The payload is not valid JSON: syntax error at line ${line}, column ${column}.`,
      {
        line,
      },
    );
  }

  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    return fail(
      'SOURCE.SCHEMA_INVALID',
      `The JSON payload is ${describeJsonType(parsed)}, but a message must be a single JSON object (one record per message, not a list).`,
    );
  }
  const record = parsed as SourceRecord;

  const tooLong = findOverlongString(record, maxStringLength, '');
  if (tooLong !== undefined) {
    return fail(
      'SOURCE.SCHEMA_INVALID',
      `${tooLong} is longer than the limit of ${maxStringLength} characters.`,
    );
  }

  const flags: ValueFlags = { controlCharacters: [], impreciseNumbers: [] };
  collectValueFlags(record, '', flags);
  return ok({
    record,
    encoding,
    fieldsWithControlCharacters: flags.controlCharacters,
    fieldsWithImpreciseNumbers: flags.impreciseNumbers,
  });
}

/**
 * Scans the text for the first `{`/`[` (outside strings) that opens a level deeper than allowed. Runs before
 * JSON.parse so a hostile payload of nested brackets is refused without building it.
 */
function findDepthViolation(text: string, maxDepth: number): { line: number } | undefined {
  let depth = 0;
  let line = 1;
  let inString = false;
  for (let i = 0; i < text.length; i += 1) {
    const char = text.charCodeAt(i);
    if (char === 0x0a) line += 1;
    if (inString) {
      if (char === 0x5c)
        i += 1; // backslash: skip the escaped character (an escaped quote does not end the string)
      else if (char === 0x22) inString = false;
    } else if (char === 0x22) {
      inString = true;
    } else if (char === 0x7b || char === 0x5b) {
      depth += 1;
      if (depth > maxDepth) return { line };
    } else if (char === 0x7d || char === 0x5d) {
      depth -= 1;
    }
  }
  return undefined;
}

/** Describes the first string or key over the limit by its path, e.g. "Field 'supplier.name'". */
function findOverlongString(value: unknown, max: number, path: string): string | undefined {
  if (typeof value === 'string') return value.length > max ? `Field '${path}'` : undefined;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i += 1) {
      const child: unknown = value[i];
      // Most children are short strings or other scalars, which cannot fail: their path is never built.
      if (isWithinLimit(child, max)) continue;
      const found = findOverlongString(child, max, `${path}[${i}]`);
      if (found !== undefined) return found;
    }
    return undefined;
  }
  if (value !== null && typeof value === 'object') {
    const object = value as Record<string, unknown>;
    for (const key of Object.keys(object)) {
      // Naming an overlong key would copy it into the reason, so name its parent instead.
      if (key.length > max) return path === '' ? 'A top-level field name' : `A field name under '${path}'`;
      const child = object[key];
      if (isWithinLimit(child, max)) continue;
      const found = findOverlongString(child, max, path === '' ? key : `${path}.${key}`);
      if (found !== undefined) return found;
    }
  }
  return undefined;
}

/** A scalar that cannot hold an overlong string: a string within the limit, a number, boolean or null. */
function isWithinLimit(value: unknown, max: number): boolean {
  return typeof value === 'string' ? value.length <= max : value === null || typeof value !== 'object';
}

function describeJsonType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return `an array of ${value.length} item(s)`;
  return `a ${typeof value}`;
}
