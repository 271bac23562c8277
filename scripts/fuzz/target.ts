// A fuzz target run through processes: how its input is drawn, run within its bounds, and
// saved for a replay.
import type fc from 'fast-check';
import type { Bounds } from './bounded';
import type { Corpus } from './corpus';
import type { Outcome } from './outcome';

export interface Target<C> {
  bounds: Bounds;
  arbitrary(corpus: Corpus): fc.Arbitrary<C>;
  run(c: C): Promise<Outcome>;
  /** Writes the input into `dir`; the commands that replay it from there (beside the campaign's own). */
  save(c: C, dir: string): string[];
}

/** A word of a shell command line, quoted when it needs to be. */
export function shellWord(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}
