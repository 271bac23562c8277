// Compiler clones in a symbol table: GCC emits a function it specialised or split under
// its name plus a suffix (`foo.isra.0`, `foo.constprop.0`, `foo.part.0`, `foo.cold`).
// Indexed once per table and session (`memo`): a check asks for every function of the
// series at every edit, and vmlinux has some 90,000 names.
import type { Memo } from '../common/memo';
import { SortedMap } from './sortedLines';
import type { ObjectSymbols } from './types';

const NO_CLONES: readonly string[] = Object.freeze([]);

function clonesByName(table: ObjectSymbols): Map<string, string[]> {
  const index = new Map<string, string[]>();
  for (const name of table.byName.keys()) {
    const dot = name.indexOf('.');
    if (dot <= 0) continue;
    const base = name.slice(0, dot);
    const list = index.get(base);
    if (list) list.push(name);
    else index.set(base, [name]);
  }
  for (const list of index.values()) list.sort();
  return index;
}

/** The names of `table` that are `name` plus a compiler suffix, sorted. */
export function clonesOf(memo: Memo, table: ObjectSymbols, name: string): readonly string[] {
  // A table searched in place (vmlinux's from the cache, artifactIndex.ts): its names are sorted already.
  if (table.byName instanceof SortedMap) return name === '' ? NO_CLONES : table.byName.keysWithPrefix(`${name}.`);
  // A name with a dot of its own (rare: `foo.bar`) is looked for by its whole prefix.
  if (name.includes('.')) return [...table.byName.keys()].filter((n) => n.startsWith(`${name}.`)).sort();
  return memo.get(clonesByName, table).get(name) ?? NO_CLONES;
}

/**
 * The function the build tools patch for a changed symbol of an object that has the symbols
 * `has` says: a subfunction GCC split off (`foo.cold`, `foo.part.0`) has no patchable entry of
 * its own, or is reached only through its parent, so its parent is patched when the object has
 * it (kpatch-build create-diff-object.c: kpatch_detect_child_functions, and no klp_func for a
 * symbol with a parent in kpatch_create_patches_sections); any other symbol is patched itself.
 */
export function patchedFunctionOf(name: string, has: (name: string) => boolean): string {
  const child = /^(.+?)(\.cold(\.\d+)?|\.part\.\d+)$/.exec(name);
  if (!child || !has(child[1])) return name;
  return patchedFunctionOf(child[1], has);
}

/**
 * The numbers of one compilation dropped: GCC's `foo.isra.0` → `foo.isra`, `__key.123` →
 * `__key`, and __COUNTER__'s in __UNIQUE_ID() (include/linux/compiler-gcc.h):
 * `__UNIQUE_ID_ddebug517` → `__UNIQUE_ID_ddebug`.
 */
export function unnumbered(name: string): string {
  return name.replace(/\.\d+(?=\.|$)/g, '').replace(/^(__UNIQUE_ID_\w*?)\d+$/, '$1');
}
