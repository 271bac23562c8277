// The difference of two compilations of one object, as the build tools see it: the changed,
// new and removed functions (kpatch-build create-diff-object.c kpatch_compare_correlated_elements
// and kpatch_include_changed_functions; klp-build objtool klp-diff), and changed or new data,
// which klp-build refuses ("changed data") and kpatch-build refuses or needs shadow variables for.
import { patchedFunctionOf, unnumbered } from '../kernel/symbolClones';
import type { CompiledObject } from './compiledObject';

export interface ObjectChanges {
  /**
   * The functions a livepatch of the change patches: the changed ones, a split-off part
   * (`.cold`, `.part.N`) counted as its parent; not init or exit code, which has run or is
   * never patched (the build tools refuse a change to it).
   */
  patched: string[];
  changed: string[];
  added: string[];
  removed: string[];
  changedData: string[];
  addedData: string[];
}

/** Names as the patched object has them (the original's for removed symbols), sorted. */
/** include/linux/init.h: __init and __exit code (`.init.text`, `.exit.text`). */
const INIT_OR_EXIT = /^\.(init|exit)\.text/;

export function objectChanges(before: CompiledObject, after: CompiledObject): ObjectChanges {
  const changes: ObjectChanges = { patched: [], changed: [], added: [], removed: [], changedData: [], addedData: [] };
  for (const [key, sym] of after) {
    const old = before.get(key);
    const isFunction = sym.kind === 'function';
    if (!old || old.kind !== sym.kind) (isFunction ? changes.added : changes.addedData).push(sym.name);
    else if (old.signature !== sym.signature) (isFunction ? changes.changed : changes.changedData).push(sym.name);
  }
  for (const [key, sym] of before) if (sym.kind === 'function' && after.get(key)?.kind !== 'function') changes.removed.push(sym.name);
  const functions = new Map([...after.values()].filter((s) => s.kind === 'function').map((s) => [s.name, s]));
  const patchable = changes.changed.filter((f) => !INIT_OR_EXIT.test(functions.get(f)?.section ?? ''));
  changes.patched = [...new Set(patchable.map((f) => patchedFunctionOf(f, (n) => functions.has(n) || after.has(unnumbered(n)))))];
  for (const list of Object.values(changes)) list.sort();
  return changes;
}

