// Positions in the core are 0-based lines and UTF-16 columns, as LSP counts them.
// The CLI turns them into 1-based numbers at its edge.

export interface Position {
  line: number;
  character: number;
}

export interface Range {
  start: Position;
  end: Position;
}

export interface Location {
  /** The file as the caller named it (a path given on the command line, or a document's path). */
  file: string;
  range: Range;
}

export function makeRange(startLine: number, startChar: number, endLine: number, endChar: number): Range {
  return { start: { line: startLine, character: startChar }, end: { line: endLine, character: endChar } };
}

/** The whole of one line (from column 0 to `length`). */
export function lineRange(line: number, length: number): Range {
  return makeRange(line, 0, line, length);
}

export const FILE_START: Range = makeRange(0, 0, 0, 0);

export function location(file: string, range: Range): Location {
  return { file, range };
}

/** A range as a client sends it back, checked before use: undefined unless both ends are non-negative whole numbers. */
export function asRange(value: unknown): Range | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const { start, end } = value as Record<string, unknown>;
  const s = asPosition(start);
  const e = asPosition(end);
  return s && e ? { start: s, end: e } : undefined;
}

function asPosition(value: unknown): Position | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const { line, character } = value as Record<string, unknown>;
  return isCount(line) && isCount(character) ? { line, character } : undefined;
}

function isCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}
