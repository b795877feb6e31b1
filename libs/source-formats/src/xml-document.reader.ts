import { SaxesParser } from 'saxes';
import { LineIndex, countLineBreaks } from './line-index';
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

/** A parsed, safe XML document: its root element and the line of each element at `arrayPath`. */
export interface XmlDocument {
  encoding: TextEncodingName;
  rootName: string;
  /** The root element's content: a string (text or empty) or an {@link XmlElement}. */
  rootValue: unknown;
  /** Line of the start tag of each element object at `arrayPath` (file exports); empty otherwise. */
  lineOf: WeakMap<object, number>;
}

/**
 * An element with child elements or attributes: children by name (repeated ones as arrays, in document order),
 * then `#text` when it also holds text, then attributes as `@_name`. Every leaf is a string.
 */
export type XmlElement = { [name: string]: string | XmlElement | Array<string | XmlElement> };

/** A DOCTYPE or ENTITY declaration (found also inside comments and CDATA sections, and refused all the same). */
const DTD_DECLARATION = /<!\s*(DOCTYPE|ENTITY)/i;

/** Names that would reach an object's prototype if they became keys; refused wherever they appear. */
const PROTOTYPE_NAMES: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * Names of Object.prototype's methods: as keys they would shadow them on the record, so they are kept with a
 * `__` prefix (`toString` → `__toString`), as fast-xml-parser did before this reader.
 */
const SHADOWING_NAMES: ReadonlySet<string> = new Set([
  'hasOwnProperty',
  'toString',
  'valueOf',
  '__defineGetter__',
  '__defineSetter__',
  '__lookupGetter__',
  '__lookupSetter__',
]);

/**
 * Named HTML entities accepted beside XML's five predefined ones, which XML itself would refuse without a DTD.
 * Council exports built from web forms carry them (`&pound;`, `&nbsp;`), so the hub has always accepted this
 * set: the common-HTML and currency names fast-xml-parser decoded with `htmlEntities` on (@nodable/entities
 * 3.1.0, COMMON_HTML and CURRENCY). Any other undeclared name is refused as not well-formed.
 */
const HTML_ENTITIES: Readonly<Record<string, string>> = {
  nbsp: '\u00a0',
  copy: '\u00a9',
  reg: '\u00ae',
  trade: '\u2122',
  mdash: '\u2014',
  ndash: '\u2013',
  hellip: '\u2026',
  laquo: '\u00ab',
  raquo: '\u00bb',
  lsquo: '\u2018',
  rsquo: '\u2019',
  ldquo: '\u201c',
  rdquo: '\u201d',
  bull: '\u2022',
  para: '\u00b6',
  sect: '\u00a7',
  deg: '\u00b0',
  frac12: '\u00bd',
  frac14: '\u00bc',
  frac34: '\u00be',
  cent: '\u00a2',
  pound: '\u00a3',
  curren: '\u00a4',
  yen: '\u00a5',
  euro: '\u20ac',
  dollar: '$',
  fnof: '\u0192',
  inr: '\u20b9',
  af: '\u060b',
  birr: '\u1265\u122d',
  peso: '\u20b1',
  rub: '\u20bd',
  won: '\u20a9',
  yuan: '\u00a5',
  cedil: '\u00b8',
};

/** Why a document was refused while it was being read; turned into a {@link fail} by readXmlDocument. */
class XmlRefusal extends Error {
  constructor(
    readonly code: 'SOURCE.PARSE_ERROR' | 'SOURCE.SCHEMA_INVALID',
    readonly reason: string,
    readonly line?: number,
  ) {
    super(reason);
  }
}

/** One open element while the document is read: its children and attributes so far, and its text. */
interface OpenElement {
  name: string;
  /** Child elements so far, by name. */
  fields: XmlElement | undefined;
  attributes: Array<[string, string]> | undefined;
  text: string;
  /** Line of its start tag, kept only for elements at `arrayPath`. */
  line: number | undefined;
  /** Dotted path from the root, kept only while it is a prefix of `arrayPath`. */
  path: string | undefined;
}

/**
 * Decodes, screens and parses XML. DOCTYPE and ENTITY declarations are refused outright: the hub has no use for
 * DTDs, and refusing them closes XXE (external entities) and billion-laughs (entity expansion) in one step.
 *
 * The document is read in one pass by saxes, a conforming XML 1.0/1.1 parser: anything not well-formed
 * (unclosed or crossed tags, a bare `&`, an undefined entity, a character XML forbids, a second root) is refused
 * with its line and column, and the record is built as it goes. fast-xml-parser, used before, needed a
 * separate validation pass and cost five times as much per record (bench/README.md, session 6).
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

  const dtd = DTD_DECLARATION.exec(text);
  if (dtd !== null) {
    const line = new LineIndex(text).lineAt(dtd.index);
    return fail(
      'SOURCE.PARSE_ERROR',
      `The ${kind} contains a ${dtd[1]?.toUpperCase()} declaration (line ${line}); DTDs and entity declarations are refused because they enable XXE and entity-expansion attacks. Export the XML without a DOCTYPE.`,
      { line },
    );
  }

  // XML allows nothing before its declaration, but exports written by templates often start with a line
  // break; it is skipped (and counted, so lines still match the file) rather than refused.
  const leading = LEADING_WHITESPACE_BEFORE_DECLARATION.exec(text)?.[1] ?? '';
  const skippedLines = leading === '' ? 0 : countLineBreaks(leading);
  try {
    return ok({
      encoding,
      ...buildTree(leading === '' ? text : text.slice(leading.length), options, skippedLines),
    });
  } catch (error: unknown) {
    if (error instanceof XmlRefusal) {
      return fail(error.code, error.reason, error.line === undefined ? undefined : { line: error.line });
    }
    // The commonest fault, a bare & ("Smith & Sons"), makes saxes read on to the next ';' and report
    // something else further on; it is looked for first so the reason and line point at it.
    const ampersand = bareAmpersand(text);
    if (ampersand !== undefined) {
      return fail(
        'SOURCE.PARSE_ERROR',
        `The ${kind} is not well-formed XML: an unescaped & (write it as &amp;) at line ${ampersand.line}, column ${ampersand.column}.`,
        { line: ampersand.line },
      );
    }
    // saxes reports "<line>:<column>: <what>". Its wording can quote names from the document, so only the
    // position is passed on, with a fixed sentence for the kind of fault.
    const message = error instanceof Error ? error.message : '';
    const at = /^(\d+):(\d+): (.*)$/s.exec(message);
    const line = at ? Number(at[1]) + skippedLines : undefined;
    const where = at ? ` at line ${line}, column ${at[2]}` : '';
    return fail(
      'SOURCE.PARSE_ERROR',
      `The ${kind} is not well-formed XML: ${describeXmlError(at?.[3] ?? message)}${where}.`,
      line === undefined ? undefined : { line },
    );
  }
}

/** Whitespace before an XML declaration at the start of the text. */
const LEADING_WHITESPACE_BEFORE_DECLARATION = /^(\s+)<\?xml[\s?]/;

/** A `&` that starts no entity or character reference. */
const BARE_AMPERSAND = /&(?!(?:[A-Za-z_:][\w.:-]*|#[0-9]+|#x[0-9A-Fa-f]+);)/;

/** Where the first bare `&` outside CDATA sections and comments is, if there is one. */
function bareAmpersand(text: string): { line: number; column: number } | undefined {
  // Blanked out, not removed, so offsets stay those of the text.
  const masked = text.replace(/<!\[CDATA\[[\s\S]*?\]\]>|<!--[\s\S]*?-->/g, (section) =>
    ' '.repeat(section.length),
  );
  const found = BARE_AMPERSAND.exec(masked);
  return found === null ? undefined : new LineIndex(text).positionAt(found.index);
}

/** Reads the document into its root element's content, throwing saxes' errors and {@link XmlRefusal}s. */
function buildTree(
  text: string,
  options: XmlReadOptions,
  skippedLines: number,
): { rootName: string; rootValue: unknown; lineOf: WeakMap<object, number> } {
  const { kind, maxDepth, arrayPath } = options;
  const parser = new SaxesParser({ position: true });
  Object.assign(parser.ENTITIES, HTML_ENTITIES);
  const lineOf = new WeakMap<object, number>();
  const stack: OpenElement[] = [];
  let rootName: string | undefined;
  let rootValue: unknown;

  const refuseName = (name: string): void => {
    if (PROTOTYPE_NAMES.has(name)) {
      throw new XmlRefusal(
        'SOURCE.PARSE_ERROR',
        `The ${kind} uses an element or attribute named like a JavaScript object property (__proto__, constructor, prototype); such names are refused.`,
        parser.line + skippedLines,
      );
    }
  };

  parser.on('opentagstart', (tag) => {
    refuseName(tag.name);
    // The root is at depth 0: an element with maxDepth open ancestors is one level too deep.
    if (stack.length > maxDepth) {
      throw new XmlRefusal(
        'SOURCE.SCHEMA_INVALID',
        `The ${kind} nests elements deeper than the limit of ${maxDepth} levels.`,
      );
    }
    const parent = stack[stack.length - 1];
    let path: string | undefined;
    if (arrayPath !== undefined && (parent === undefined || parent.path !== undefined)) {
      const candidate = parent === undefined ? tag.name : `${parent.path}.${tag.name}`;
      if (arrayPath === candidate || arrayPath.startsWith(`${candidate}.`)) path = candidate;
    }
    stack.push({
      name: tag.name,
      fields: undefined,
      attributes: undefined,
      text: '',
      line: path !== undefined && path === arrayPath ? parser.line + skippedLines : undefined,
      path,
    });
  });

  parser.on('opentag', (tag) => {
    const element = stack[stack.length - 1]!;
    for (const name of Object.keys(tag.attributes)) {
      refuseName(name);
      (element.attributes ??= []).push([`@_${name}`, (tag.attributes[name] as string).trim()]);
    }
  });

  // Text is trimmed piece by piece, as fast-xml-parser did: `x <B/> y` gives "xy"; CDATA is kept as written.
  parser.on('text', (value) => {
    const element = stack[stack.length - 1];
    if (element !== undefined) element.text += value.trim();
  });
  parser.on('cdata', (value) => {
    const element = stack[stack.length - 1];
    if (element !== undefined) element.text += value;
  });

  parser.on('closetag', () => {
    const element = stack.pop()!;
    let value: string | XmlElement;
    if (element.fields === undefined && element.attributes === undefined) {
      value = element.text;
    } else {
      // Children first, then the element's own text, then its attributes (fast-xml-parser's key order).
      value = element.fields ?? {};
      if (element.text !== '') value['#text'] = element.text;
      if (element.attributes !== undefined)
        for (const [key, attribute] of element.attributes) value[key] = attribute;
    }
    if (element.line !== undefined && typeof value === 'object') lineOf.set(value, element.line);
    const parent = stack[stack.length - 1];
    if (parent === undefined) {
      rootName = element.name;
      rootValue = value;
      return;
    }
    const name = SHADOWING_NAMES.has(element.name) ? `__${element.name}` : element.name;
    parent.fields ??= {};
    const previous = parent.fields[name];
    if (element.path !== undefined && element.path === arrayPath) {
      if (previous === undefined) parent.fields[name] = [value];
      else (previous as Array<string | XmlElement>).push(value);
    } else if (previous === undefined) {
      parent.fields[name] = value;
    } else if (Array.isArray(previous)) {
      previous.push(value);
    } else {
      parent.fields[name] = [previous, value];
    }
  });

  parser.write(text).close();
  if (rootName === undefined) {
    throw new XmlRefusal('SOURCE.PARSE_ERROR', `The ${kind} has no root element.`);
  }
  return { rootName, rootValue, lineOf };
}

/**
 * The content of an element as a record: child elements become fields (nested elements nested objects,
 * repeated elements arrays), attributes `@_name` fields, mixed text `#text`. Every leaf is a string.
 * Text-only or empty elements are not records: the caller decides what that means.
 */
export function elementToRecord(value: unknown): ElementContent {
  if (!isObject(value)) return { kind: 'text', text: typeof value === 'string' ? value : '' };
  return { kind: 'record', record: value as SourceRecord };
}

/** An element's content: a record when it has child elements or attributes, else its (possibly empty) text. */
export type ElementContent = { kind: 'record'; record: SourceRecord } | { kind: 'text'; text: string };

export function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/**
 * The `encoding="..."` of an XML declaration at the very start of the bytes. It is read as ASCII, which is
 * right for every encoding that can declare itself this way; UTF-16 documents are recognised by their BOM.
 */
function xmlDeclarationEncoding(bytes: Buffer): string | undefined {
  const head = bytes.subarray(0, 256).toString('latin1');
  return /^\s*<\?xml\s[^>]*?encoding\s*=\s*["']([A-Za-z0-9._:-]+)["']/.exec(head)?.[1];
}

/** A fixed sentence for one of saxes' error messages (which may quote names from the document). */
function describeXmlError(message: string): string {
  if (
    /^(unclosed tag|unexpected close tag|unmatched closing tag|weird empty close tag|disallowed character in (tag name|closing tag)|forward-slash|malformed name|unexpected end)/.test(
      message,
    )
  ) {
    return 'a tag is malformed, unclosed or closed in the wrong order';
  }
  if (
    /attribute|value must be quoted|value required|no whitespace between attributes|name\/value pairs/.test(
      message,
    )
  ) {
    return 'an attribute is malformed (unquoted, repeated or without a value)';
  }
  if (/malformed character entity/.test(message)) {
    return 'a character reference that is malformed or names a character XML does not allow (such as a control character)';
  }
  if (/entity/.test(message)) {
    return 'an entity reference XML does not define (only &amp; &lt; &gt; &quot; &apos;, numeric references and common HTML names such as &pound; are accepted), or an unescaped &';
  }
  if (/^disallowed character\.|\]\]>/.test(message)) {
    return 'a character XML does not allow (a control character, written or as a reference, or "]]>" in text)';
  }
  if (/only one root/.test(message)) return 'there is more than one root element (XML allows exactly one)';
  if (/root/.test(message)) {
    return 'the document structure is wrong (no root element, several root elements, or text after the root)';
  }
  if (/XML declaration|version|standalone|processing instruction/.test(message)) {
    return 'the XML declaration or a processing instruction is malformed';
  }
  return 'a syntax error';
}
