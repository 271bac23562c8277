// A path a workspace file names (a patch's file header `b/../../../tmp/x.c`), resolved inside
// the tree it belongs to, or nothing: klp-lens never reads outside the kernel source tree
// because a patch says so.
import * as path from 'node:path';

/** Whether a relative path stays inside the folder it is relative to: not absolute, its `..` never climbing out. */
export function staysInside(relative: string): boolean {
  if (path.isAbsolute(relative)) return false;
  let depth = 0;
  for (const part of relative.split(/[\\/]+/)) {
    if (part === '..') depth--;
    else if (part !== '.' && part !== '') depth++;
    if (depth < 0) return false;
  }
  return true;
}

/** `relative` under `root`, when it stays inside it. */
export function insideTree(root: string, relative: string): string | undefined {
  return staysInside(relative) ? path.join(root, relative) : undefined;
}
