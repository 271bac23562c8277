// Line-oriented text files whose fields are separated by blanks (series, patched_funcs.csv).

/** A word of a line and its columns (0-based, end exclusive). */
export interface Token {
  text: string;
  start: number;
  end: number;
}

/** The lines of a text, without their line ending ('\n' or '\r\n'). */
export function textLines(text: string): string[] {
  return text.split('\n').map((line) => (line.endsWith('\r') ? line.slice(0, -1) : line));
}

/** The words of a line, separated by spaces and tabs (bash's default IFS within a line). */
export function tokensOf(line: string): Token[] {
  return [...line.matchAll(/[^ \t]+/g)].map((m) => ({ text: m[0], start: m.index, end: m.index + m[0].length }));
}
