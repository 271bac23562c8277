// The func stacks of kernel/livepatch/patch.c. One klp_ops per patched function, keyed
// by the function's address; here by object, name and sympos as sysfs shows it (0 and 1
// name the same unique symbol, so they share one address and one stack).
import { partitionPoint } from '../common/partitionPoint';
import { functionKey } from '../model/identity';
import type { KlpObject } from './types';

export interface StackEntry {
  patch: string;
  /** A nop lets the original code run (klp_ftrace_handler()). */
  nop: boolean;
}

/** A stack from the end of step `step` on. */
interface StackVersion {
  step: number;
  entries: readonly StackEntry[];
}

/**
 * Each stack keeps every version it had, one per step that changed it, so the state after an
 * earlier step can be read later without a copy of every stack at every step.
 */
export class FuncStacks {
  /** The step that is running: the changes it makes are its version. */
  step = 0;
  private readonly stacks = new Map<string, StackVersion[]>();

  /** ops->func_stack of one function, newest first; empty when it is not patched. */
  stack(object: string, name: string, sympos: number): readonly StackEntry[] {
    return this.stacks.get(functionKey({ object, name, sympos }))?.at(-1)?.entries ?? [];
  }

  /**
   * The stack of the function of `key` (functionKey()) after `step`, or undefined when no step up
   * to it patched the function. Each version is a new array: its identity names the version.
   */
  stackAfter(key: string, step: number): readonly StackEntry[] | undefined {
    const versions = this.stacks.get(key) ?? [];
    return versions[partitionPoint(versions.length, (i) => versions[i].step <= step) - 1]?.entries;
  }

  /** klp_patch_object() / klp_patch_func(): each func goes on top of its stack. */
  patchObject(patch: string, obj: KlpObject): void {
    for (const func of obj.funcs) {
      const key = functionKey({ object: obj.name, name: func.name, sympos: func.sympos });
      this.set(key, [{ patch, nop: func.nop }, ...(this.stacks.get(key)?.at(-1)?.entries ?? [])]);
    }
  }

  /**
   * klp_unpatch_object() / klp_unpatch_func(): the patch's funcs leave their stacks,
   * wherever they sit; with `nopsOnly`, only its nops (klp_unpatch_objects_dynamic()).
   */
  unpatchObject(patch: string, obj: KlpObject, nopsOnly = false): void {
    for (const func of obj.funcs) {
      if (nopsOnly && !func.nop) continue;
      const key = functionKey({ object: obj.name, name: func.name, sympos: func.sympos });
      const entries = this.stacks.get(key)?.at(-1)?.entries;
      if (entries?.some((e) => e.patch === patch)) this.set(key, entries.filter((e) => e.patch !== patch));
    }
  }

  private set(key: string, entries: readonly StackEntry[]): void {
    const versions = this.stacks.get(key) ?? [];
    if (versions.at(-1)?.step === this.step) versions.pop();
    versions.push({ step: this.step, entries });
    this.stacks.set(key, versions);
  }
}
