// Scoring `klp-lens object` against the truth of a real build: which source file went into which
// object (scripts/object-truth.mjs reads it from the DWARF of Debian's linux-image-*-dbg).
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import type { ObjectResolution } from '../../../server/src/kernel/types';

/** Each source file and the objects it was compiled into (a file may be built into several). */
export type Truth = Map<string, Set<string>>;

/** `file<TAB>object` lines (`#` starts a comment line); `keep` says which files count (e.g. those present in the source tree). */
export function parseTruth(text: string, keep: (file: string) => boolean = () => true): Truth {
  const truth: Truth = new Map();
  for (const line of text.split('\n')) {
    const [file, object] = line.split('\t');
    if (!object || line.startsWith('#') || !/\.(c|S)$/.test(file) || !keep(file)) continue;
    truth.set(file, (truth.get(file) ?? new Set()).add(object));
  }
  return truth;
}

const INCLUDE_C = /^[ \t]*#[ \t]*include[ \t]*"([^"\n]+\.c)"/gm;

/**
 * The .c files a built .c file `#include`s (by a quoted path relative to it), and the ones those
 * include in turn, that are not compile units of their own: they are built into their includers'
 * objects (an include inside an #if the build does not take counts too: the preprocessor's answer
 * is not in the DWARF).
 */
export function includedTruth(truth: Truth, read: (file: string) => string | undefined): Truth {
  const included: Truth = new Map();
  let pending = [...truth].filter(([file]) => file.endsWith('.c'));
  while (pending.length > 0) {
    const next: Truth = new Map();
    for (const [file, objects] of pending) {
      for (const m of (read(file) ?? '').matchAll(INCLUDE_C)) {
        const target = path.posix.normalize(path.posix.join(path.posix.dirname(file), m[1]));
        const known = included.get(target) ?? new Set<string>();
        if (truth.has(target) || read(target) === undefined || [...objects].every((o) => known.has(o))) continue;
        objects.forEach((o) => known.add(o));
        included.set(target, known);
        next.set(target, known);
      }
    }
    pending = [...next];
  }
  return included;
}

/** The .c files of `dir` (a source tree) under `top` directories, as paths in the tree. */
export function treeSources(dir: string, tops: readonly string[]): string[] {
  return tops.flatMap((top) =>
    readdirSync(path.join(dir, top), { recursive: true, encoding: 'utf8' })
      .filter((f) => f.endsWith('.c'))
      .map((f) => path.posix.join(top, f.split(path.sep).join('/'))),
  );
}

export interface Score {
  files: number;
  right: number;
  wrong: number;
  unknown: number;
  /** The wrong answers, and a sample of the unknown ones, with their reasons. */
  misses: string[];
}

type Verdict = 'right' | 'wrong' | 'unknown';

/**
 * Right: the object is one the file was built into (for a file built into nothing: "not built").
 * Wrong: another object, or "not built" for a built file. Unknown otherwise.
 */
function judge(r: ObjectResolution, expected: Set<string> | undefined): Verdict {
  if (r.object !== 'unknown') return expected?.has(r.object) ? 'right' : 'wrong';
  if (!r.notBuilt) return 'unknown';
  return expected ? 'wrong' : 'right';
}

/** Each file judged; `expected` undefined for a file the build compiled into nothing. */
export function score(cases: Iterable<[string, Set<string> | undefined]>, resolve: (file: string) => ObjectResolution, sample = 20): Score {
  const s: Score = { files: 0, right: 0, wrong: 0, unknown: 0, misses: [] };
  for (const [file, expected] of cases) {
    const r = resolve(file);
    const verdict = judge(r, expected);
    s.files++;
    s[verdict]++;
    if (verdict === 'wrong' || (verdict === 'unknown' && s.unknown <= sample)) {
      s.misses.push(`${verdict.toUpperCase()} ${file}: ${r.object} (${r.reason}); built into ${expected ? [...expected].join(', ') : 'nothing'}`);
    }
  }
  return s;
}

export function percent(s: Score): string {
  const p = (n: number) => ((100 * n) / Math.max(1, s.files)).toFixed(2);
  return `${s.files} files: ${s.right} right (${p(s.right)}%), ${s.wrong} wrong, ${s.unknown} unknown (${p(s.unknown)}%)`;
}

export function readTree(dir: string): (file: string) => string | undefined {
  return (file) => {
    try {
      return readFileSync(path.join(dir, file), 'utf8');
    } catch {
      return undefined;
    }
  };
}
