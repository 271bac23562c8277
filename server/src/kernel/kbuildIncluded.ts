// A .c file that no kbuild list names may be `#include`d by another .c file: the preprocessor
// reads it in place, so it is compiled into the includer's object (sound/core/control.c
// includes control_compat.c; net/mctp/route.c includes test/route-test.c). A local header is
// compiled into the objects of the .c files that include it the same way (model/fromDiff.ts).
import { readdirSync } from 'node:fs';
import * as path from 'node:path';
import { insideTree } from '../common/insideTree';

/** The file names in a directory of the source tree ('sound/core'); undefined when it cannot be read. */
export type DirLister = (relativeDir: string) => string[] | undefined;

export function diskLister(sourceDir: string): DirLister {
  return (relativeDir) => {
    try {
      const dir = insideTree(sourceDir, relativeDir);
      return dir === undefined ? undefined : readdirSync(dir);
    } catch {
      return undefined;
    }
  };
}

// How many directories above the file are searched for an includer (net/mctp/route.c includes
// test/route-test.c; drivers/gpu/drm/i915 includes selftests/*.c from three levels down).
const LEVELS_UP = 3;
const INCLUDE_QUOTED = /^[ \t]*#[ \t]*include[ \t]*"([^"\n]+)"/gm;

/**
 * The .c files of `rel`'s directory and of the `levelsUp` directories above it that
 * `#include "..."` it by a path relative to themselves (the C preprocessor looks for a quoted
 * name in the includer's directory first), in directory order. `rel` is a .c file or a header.
 */
export function includersOf(rel: string, read: (file: string) => string | undefined, list: DirLister, levelsUp = LEVELS_UP): string[] {
  const out: string[] = [];
  let dir = path.posix.dirname(rel);
  for (let level = 0; level <= levelsUp; level++) {
    const here = dir === '.' ? '' : dir;
    for (const name of (list(here) ?? []).filter((n) => n.endsWith('.c')).sort()) {
      const candidate = here === '' ? name : `${here}/${name}`;
      if (candidate === rel) continue;
      const text = read(candidate) ?? '';
      for (const m of text.matchAll(INCLUDE_QUOTED)) {
        if (path.posix.normalize(path.posix.join(here, m[1])) === rel) {
          out.push(candidate);
          break;
        }
      }
    }
    if (here === '') break;
    dir = path.posix.dirname(dir);
  }
  return out;
}
