/**
 * Finds the next position of a character at or after positions that only move forward
 * (the lines of a file, in order). Each part of the text is scanned once: a file that
 * lacks the character costs one scan, not one scan per line.
 */
export function forwardFinder(text: string, char: string): (from: number) => number {
  let found = -2; // not searched yet
  return (from) => {
    if (found === -1 || found >= from) return found;
    found = text.indexOf(char, from);
    return found;
  };
}
