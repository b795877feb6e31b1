/** Default limits. Callers pass their own per feed; these keep a single bad message from exhausting memory. */

const KIB = 1024;
const MIB = 1024 * KIB;

/** Largest JSON or XML message (one record) accepted, in bytes. */
export const DEFAULT_MAX_RECORD_BYTES = MIB;
/** Deepest nesting of objects/arrays (JSON) or elements (XML, counted from the root) in one record message. */
export const DEFAULT_MAX_RECORD_DEPTH = 32;
/** Longest JSON string (value or key), in UTF-16 code units. */
export const DEFAULT_MAX_STRING_LENGTH = 32 * KIB;
/** Largest CSV or XML file export accepted, in bytes; parsing is synchronous and holds the whole file in memory. */
export const DEFAULT_MAX_FILE_BYTES = 50 * MIB;
/** Deepest element nesting in an XML file export. */
export const DEFAULT_MAX_FILE_XML_DEPTH = 64;
/** How many rows at the top of a CSV file may precede the header. */
export const DEFAULT_MAX_PREAMBLE_ROWS = 20;
