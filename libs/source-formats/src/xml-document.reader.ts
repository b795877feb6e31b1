import { XMLParser, XMLValidator, type X2jOptions } from 'fast-xml-parser';
import { LineIndex } from './line-index';
import { fail, ok } from './parse-result';
import { decodeText } from './text-decoder';
import type { ParseResult, SourceRecord, TextEncodingName } from './source-format.types';

/** How to read one XML document (a message or a file export). Internal to this library. */
export interface XmlReadOptions {
  declaredEncoding?: string;
  maxBytes: number;
  maxDepth: number;
  /** What the document is, for reasons ("XML message", "XML file"). */
  kind: string;
  /** Dotted element path (from the root) whose elements are always returned as an array, even when single. */
  arrayPath?: string;
}

/** A parsed, safe XML document: its root element and a way to turn node positions into line numbers. */
export interface XmlDocument {
  encoding: TextEncodingName;
  rootName: string;
  /** The root element's content as fast-xml-parser builds it: a string (text or empty) or an object. */
  rootValue: unknown;
  /** Line numbers of the decoded text, built on first call (a one-record message never needs them). */
  lines: () => LineIndex;
}

/** Symbol under which fast-xml-parser puts `{ startIndex }` on element objects when captureMetaData is on. */
const METADATA = XMLParser.getMetaDataSymbol() as unknown as symbol;

/** A DOCTYPE or ENTITY declaration (found also inside comments and CDATA sections, and refused all the same). */
const DTD_DECLARATION = /<!\s*(DOCTYPE|ENTITY)/i;

/**
 * A character reference other than XML's five predefined entities: a numeric one (`&#163;`), a named HTML one
 * (`&pound;`) or any other `&name;`. Only documents holding one need the HTML-aware entity decoder.
 */
const NON_XML_REFERENCE = /&(?!(?:amp|lt|gt|quot|apos);)/;

/**
 * Parsers by option set, built once and reused: an XMLParser keeps nothing from one parse() to the next
 * (each call starts a fresh internal parser, entity decoder and expansion counters), so sharing one changes no
 * result. Keyed by entity decoder, depth limit and array path; a file's record path is configuration, so the
 * map stays small, and it is emptied if it ever grows past MAX_PARSERS.
 */
const parsers = new Map<string, XMLParser>();
const MAX_PARSERS = 64;

/**
 * The parser for a document. fast-xml-parser builds its entity decoder afresh inside every parse(); with
 * `htmlEntities: true` that costs about 80 µs (it merges two named-entity tables by object spread, which V8
 * runs slowly), twice the cost of parsing a 700-byte record. Documents whose only references are XML's five
 * predefined entities (most records: `&amp;` in a supplier name, or none at all) decode identically without
 * the HTML tables (the five resolve to the same characters, with the same expansion limits), so they get a
 * parser with `htmlEntities: false`; any other reference (numeric or named HTML) gets `htmlEntities: true`.
 */
function parserFor(text: string, maxDepth: number, arrayPath: string | undefined): XMLParser {
  const htmlEntities = NON_XML_REFERENCE.test(text);
  const key = `${htmlEntities ? 'html' : 'xml'} ${maxDepth} ${arrayPath === undefined ? '-' : `=${arrayPath}`}`;
  let parser = parsers.get(key);
  if (parser === undefined) {
    if (parsers.size >= MAX_PARSERS) parsers.clear();
    parser = new XMLParser(parserOptions(maxDepth, arrayPath, htmlEntities));
    parsers.set(key, parser);
  }
  return parser;
}

function parserOptions(maxDepth: number, arrayPath: string | undefined, htmlEntities: boolean): X2jOptions {
  const options: X2jOptions = {
    ignoreAttributes: false,
    attributeNamePrefix: '@_',
    // Every value stays a string: "00123" is an identifier, not the number 123.
    parseTagValue: false,
    parseAttributeValue: false,
    trimValues: true,
    // XML's five predefined entities are always decoded; with htmlEntities also numeric character references
    // (&#163;) and named HTML entities (&pound;), so parserFor turns it off only for documents holding neither.
    // Entities from a DTD cannot occur: documents with a DOCTYPE were refused before parsing. The expansion
    // limits of `processEntities: true` apply either way.
    processEntities: true,
    htmlEntities,
    ignoreDeclaration: true,
    ignorePiTags: true,
    captureMetaData: true,
    maxNestedTags: maxDepth,
  };
  if (arrayPath !== undefined) {
    options.isArray = (_name, jPath) => typeof jPath === 'string' && jPath === arrayPath;
  }
  return options;
}

/**
 * Decodes, screens and parses XML. DOCTYPE and ENTITY declarations are refused outright: the hub has no use for
 * DTDs, and refusing them closes XXE (external entities) and billion-laughs (entity expansion) in one step.
 * Well-formedness is checked with XMLValidator first, because the parser itself is lenient and its errors carry
 * no line numbers.
 */
export function readXmlDocument(bytes: Buffer, options: XmlReadOptions): ParseResult<XmlDocument> {
  const { kind } = options;
  if (bytes.length > options.maxBytes) {
    return fail(
      'SIZE.TOO_LARGE',
      `The ${kind} is ${bytes.length} bytes, more than the limit of ${options.maxBytes} bytes.`,
    );
  }
  if (bytes.length === 0) return fail('SOURCE.EMPTY', `The ${kind} is empty.`);

  const decoded = decodeText(bytes, options.declaredEncoding ?? xmlDeclarationEncoding(bytes));
  if (!decoded.ok) return decoded;
  const { text, encoding } = decoded.value;
  if (text.trim() === '') return fail('SOURCE.EMPTY', `The ${kind} holds only whitespace.`);

  let lineIndex: LineIndex | undefined;
  const lines = () => (lineIndex ??= new LineIndex(text));
  const dtd = DTD_DECLARATION.exec(text);
  if (dtd !== null) {
    const line = lines().lineAt(dtd.index);
    return fail(
      'SOURCE.PARSE_ERROR',
      `The ${kind} contains a ${dtd[1]?.toUpperCase()} declaration (line ${line}); DTDs and entity declarations are refused because they enable XXE and entity-expansion attacks. Export the XML without a DOCTYPE.`,
      { line },
    );
  }

  const validation = XMLValidator.validate(text);
  if (validation !== true) {
    const { code, line, col } = validation.err;
    return fail(
      'SOURCE.PARSE_ERROR',
      `The ${kind} is not well-formed XML: ${describeXmlError(code)} at line ${line}, column ${col ?? 1}.`,
      {
        line,
      },
    );
  }

  let parsed: unknown;
  try {
    parsed = parserFor(text, options.maxDepth, options.arrayPath).parse(text);
  } catch (error: unknown) {
    // The parser's messages can quote names from the document; map them to fixed sentences.
    const message = error instanceof Error ? error.message : '';
    if (message.includes('Maximum nested tags')) {
      return fail(
        'SOURCE.SCHEMA_INVALID',
        `The ${kind} nests elements deeper than the limit of ${options.maxDepth} levels.`,
      );
    }
    if (message.includes('[SECURITY]')) {
      return fail(
        'SOURCE.PARSE_ERROR',
        `The ${kind} uses an element or attribute named like a JavaScript object property (__proto__, constructor, prototype); such names are refused.`,
      );
    }
    return fail('SOURCE.PARSE_ERROR', `The ${kind} could not be parsed as XML.`);
  }

  const top = isObject(parsed) ? parsed : {};
  const elements = Object.keys(top).filter((name) => !name.startsWith('?') && !name.startsWith('#'));
  const rootName = elements[0];
  if (rootName === undefined) return fail('SOURCE.PARSE_ERROR', `The ${kind} has no root element.`);
  // XMLValidator misses a second root when it is self-closing (<R>…</R><R/>); the parser then returns an array.
  if (elements.length > 1 || Array.isArray(top[rootName])) {
    return fail('SOURCE.PARSE_ERROR', `The ${kind} has more than one root element; XML allows exactly one.`);
  }
  return ok({ encoding, rootName, rootValue: top[rootName], lines });
}

/**
 * Converts the content of an element into a record: child elements become fields (nested elements nested
 * objects, repeated elements arrays), attributes `@_name` fields, mixed text `#text`. Every leaf is a string.
 * Text-only or empty elements are not records: the caller decides what that means.
 */
export function elementToRecord(value: unknown): ElementContent {
  if (!isObject(value)) return { kind: 'text', text: typeof value === 'string' ? value : '' };
  return { kind: 'record', record: toPlainObject(value) };
}

/** An element's content: a record when it has child elements or attributes, else its (possibly empty) text. */
export type ElementContent = { kind: 'record'; record: SourceRecord } | { kind: 'text'; text: string };

/** 0-based character offset where an element object starts in the decoded text, when fast-xml-parser recorded it. */
export function elementStartIndex(value: unknown): number | undefined {
  if (!isObject(value)) return undefined;
  const metadata = (value as Record<symbol, unknown>)[METADATA];
  if (isObject(metadata) && typeof metadata['startIndex'] === 'number') return metadata['startIndex'];
  return undefined;
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function toPlainObject(value: Record<string, unknown>): SourceRecord {
  const out: SourceRecord = {};
  for (const key of Object.keys(value)) out[key] = toPlainValue(value[key]);
  return out;
}

function toPlainValue(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(toPlainValue);
  if (isObject(value)) return toPlainObject(value);
  if (typeof value === 'string') return value;
  // With tag and attribute value parsing off the parser yields only strings; stringify anything else defensively.
  return value === undefined || value === null ? '' : String(value);
}

/**
 * The `encoding="..."` of an XML declaration at the very start of the bytes. It is read as ASCII, which is
 * right for every encoding that can declare itself this way; UTF-16 documents are recognised by their BOM.
 */
function xmlDeclarationEncoding(bytes: Buffer): string | undefined {
  const head = bytes.subarray(0, 256).toString('latin1');
  return /^\s*<\?xml\s[^>]*?encoding\s*=\s*["']([A-Za-z0-9._:-]+)["']/.exec(head)?.[1];
}

function describeXmlError(code: string): string {
  switch (code) {
    case 'InvalidTag':
      return 'a tag is malformed, unclosed or closed in the wrong order';
    case 'InvalidAttr':
      return 'an attribute is malformed (unquoted, repeated or without a value)';
    case 'InvalidChar':
      return 'an unexpected character (an unescaped & or <, or text outside the root element)';
    case 'InvalidXml':
      return 'the document structure is wrong (no root element, several root elements, or text after the root)';
    default:
      return 'a syntax error';
  }
}
