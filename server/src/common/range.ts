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
