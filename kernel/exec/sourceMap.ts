// Maps positions in a cell's generated JavaScript back to the TypeScript the user typed.
// TypeScript already writes a source map for every cell; decoding its "mappings" string (base64
// VLQ, https://sourcemaps.info/spec.html) is all we need, so no source-map dependency.

/** One mapping segment: generated column → original 0-based line and column. */
interface Segment {
  genCol: number;
  srcLine: number;
  srcCol: number;
}

const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const BASE64_VALUE = new Map([...BASE64].map((ch, i) => [ch, i]));

function decodeVlqSegment(text: string): number[] {
  const values: number[] = [];
  let value = 0;
  let shift = 0;
  for (const ch of text) {
    const digit = BASE64_VALUE.get(ch);
    if (digit === undefined) throw new Error(`source map: invalid base64 character '${ch}' in segment '${text}'`);
    value += (digit & 31) << shift;
    if (digit & 32) {
      shift += 5;
    } else {
      values.push(value & 1 ? -(value >>> 1) : value >>> 1);
      value = 0;
      shift = 0;
    }
  }
  return values;
}

export class LineMap {
  private readonly lines: Segment[][];

  /** `mappings` is the field of the same name of a version 3 source map with a single source. */
  constructor(mappings: string) {
    this.lines = [];
    let srcLine = 0;
    let srcCol = 0;
    for (const lineText of mappings.split(';')) {
      const segments: Segment[] = [];
      let genCol = 0;
      for (const segText of lineText.split(',')) {
        if (!segText) continue;
        const v = decodeVlqSegment(segText);
        genCol += v[0];
        if (v.length >= 4) {
          srcLine += v[2];
          srcCol += v[3];
          segments.push({ genCol, srcLine, srcCol });
        }
      }
      this.lines.push(segments);
    }
  }

  static fromSourceMapText(sourceMapText: string): LineMap {
    const parsed = JSON.parse(sourceMapText) as { mappings?: unknown };
    if (typeof parsed.mappings !== 'string') throw new Error('source map: expected a string "mappings" field');
    return new LineMap(parsed.mappings);
  }

  /**
   * Original position of a generated one (both 1-based, as in stack traces). Uses the last segment at
   * or before the column, else the nearest mapped line above, so every position maps somewhere.
   */
  original(line: number, column: number): { line: number; column: number } | undefined {
    for (let l = Math.min(line - 1, this.lines.length - 1); l >= 0; l--) {
      const segments = this.lines[l];
      if (segments.length === 0) continue;
      let best = segments[0];
      if (l === line - 1) {
        for (const s of segments) if (s.genCol <= column - 1) best = s;
      } else {
        best = segments[segments.length - 1];
      }
      // Within the segment, the offset from its start carries over when it is on the same line.
      const delta = l === line - 1 ? Math.max(0, column - 1 - best.genCol) : 0;
      return { line: best.srcLine + 1, column: best.srcCol + delta + 1 };
    }
    return undefined;
  }
}
