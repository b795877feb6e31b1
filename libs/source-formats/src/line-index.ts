/**
 * Maps character offsets in decoded text to 1-based line numbers. A line ends at CRLF, LF or a lone CR, the
 * same breaks the CSV reader accepts, so line numbers agree with what an editor shows.
 */
export class LineIndex {
  private readonly starts: number[] = [0];

  constructor(text: string) {
    for (let i = 0; i < text.length; i += 1) {
      const char = text.charCodeAt(i);
      if (char === 0x0d) {
        if (text.charCodeAt(i + 1) === 0x0a) i += 1;
        this.starts.push(i + 1);
      } else if (char === 0x0a) {
        this.starts.push(i + 1);
      }
    }
  }

  /** The 1-based line and column of the character at `offset`. */
  positionAt(offset: number): { line: number; column: number } {
    const line = this.lineAt(offset);
    return { line, column: offset - (this.starts[line - 1] ?? 0) + 1 };
  }

  /** The 1-based line holding the character at `offset`. */
  lineAt(offset: number): number {
    let low = 0;
    let high = this.starts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if ((this.starts[mid] ?? 0) <= offset) low = mid;
      else high = mid - 1;
    }
    return low + 1;
  }
}

// Global, so match() returns every break; match() starts from 0 and resets lastIndex, so sharing it is safe.
const LINE_BREAK = /\r\n|\r|\n/g;

/** Number of line breaks (CRLF, LF or lone CR) in a string. */
export function countLineBreaks(value: string): number {
  // Called for every CSV field; nearly all hold no line break, so skip the regex and its match array for them.
  if (value.indexOf('\n') === -1 && value.indexOf('\r') === -1) return 0;
  return value.match(LINE_BREAK)?.length ?? 0;
}
