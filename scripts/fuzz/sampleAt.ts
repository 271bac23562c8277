// The input at one index of a seeded campaign: fast-check draws it from its own seed (the
// campaign's, mixed with the index), so that any one input is made again without the others:
// `--first INDEX --runs 1` replays it.
import fc from 'fast-check';

/** The 32-bit seed of input `index` of the campaign seeded `seed`. */
export function seedAt(seed: number, index: number): number {
  return (Math.imul(seed ^ 0x5bd1e995, 0x9e3779b1) + Math.imul(index + 1, 0x85ebca6b)) | 0;
}

export function sampleAt<T>(arbitrary: fc.Arbitrary<T>, seed: number, index: number): T {
  return fc.sample(arbitrary, { seed: seedAt(seed, index), numRuns: 1 })[0]!;
}
