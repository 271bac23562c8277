// Which C files of a kernel tree compile a given header or `#include`d .c file: the reverse
// of the `#include` graph, read from the tree's sources (no build has made dependency files
// yet). `<x/y.h>` is looked up as kbuild's -I options give it (the arch's and the generic
// include/ and include/uapi/ directories, LINUXINCLUDE in the top Makefile); `"y.h"` next to
// the including file first.
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';

const INCLUDE = /^[ \t]*#[ \t]*include[ \t]*([<"])([^>"\n]+)[>"]/gm;
const SKIPPED_DIRS = new Set(['.git', 'Documentation', 'tools', 'scripts', 'samples', 'debian', 'usr']);

export interface IncludeGraph {
  /** File (relative to the tree) → the files that include it. */
  readonly includedBy: ReadonlyMap<string, readonly string[]>;
}

export function readIncludeGraph(tree: string, arch = 'x86'): IncludeGraph {
  const files: string[] = [];
  walk(tree, '', files);
  const known = new Set(files);
  const roots = [`arch/${arch}/include`, `arch/${arch}/include/generated`, 'include', `arch/${arch}/include/uapi`, `arch/${arch}/include/generated/uapi`, 'include/uapi', 'include/generated/uapi'];
  const includedBy = new Map<string, string[]>();
  for (const file of files) {
    let text: string;
    try {
      text = readFileSync(path.join(tree, file), 'latin1');
    } catch {
      continue;
    }
    for (const m of text.matchAll(INCLUDE)) {
      const local = m[1] === '"' ? [path.posix.normalize(path.posix.join(path.posix.dirname(file), m[2]))] : [];
      const target = [...local, ...roots.map((r) => `${r}/${m[2]}`)].find((c) => known.has(c));
      if (!target) continue;
      const list = includedBy.get(target) ?? [];
      list.push(file);
      includedBy.set(target, list);
    }
  }
  return { includedBy };
}

/** The .c files that include `file` directly or through other headers, nearest first. */
export function compilingFiles(graph: IncludeGraph, file: string): string[] {
  const seen = new Set([file]);
  const queue = [file];
  const found: string[] = [];
  while (queue.length > 0) {
    const next = queue.shift()!;
    for (const includer of graph.includedBy.get(next) ?? []) {
      if (seen.has(includer)) continue;
      seen.add(includer);
      queue.push(includer);
      if (includer.endsWith('.c')) found.push(includer);
    }
  }
  return found;
}

function walk(root: string, dir: string, out: string[]): void {
  let entries;
  try {
    entries = readdirSync(path.join(root, dir), { withFileTypes: true });
  } catch {
    return;
  }
  for (const e of entries) {
    const rel = dir === '' ? e.name : `${dir}/${e.name}`;
    if (e.isDirectory()) {
      if (!SKIPPED_DIRS.has(rel) && !e.name.startsWith('.')) walk(root, rel, out);
    } else if (e.isFile() && /\.[ch]$/.test(e.name)) out.push(rel);
  }
}
