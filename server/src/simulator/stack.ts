// The func stacks of kernel/livepatch/patch.c. One klp_ops per patched function, keyed
// by the function's address; here by object, name and sympos as sysfs shows it (0 and 1
// name the same unique symbol, so they share one address and one stack).
import { functionKey } from '../model/identity';
import type { KlpObject } from './types';

export interface StackEntry {
  patch: string;
  /** A nop lets the original code run (klp_ftrace_handler()). */
  nop: boolean;
}

export class FuncStacks {
  private readonly stacks = new Map<string, StackEntry[]>();

  /** ops->func_stack of one function, newest first; empty when it is not patched. */
  stack(object: string, name: string, sympos: number): readonly StackEntry[] {
    return this.stacks.get(functionKey({ object, name, sympos })) ?? [];
  }

  /** klp_patch_object() / klp_patch_func(): each func goes on top of its stack. */
  patchObject(patch: string, obj: KlpObject): void {
    for (const func of obj.funcs) {
      const key = functionKey({ object: obj.name, name: func.name, sympos: func.sympos });
      this.stacks.set(key, [{ patch, nop: func.nop }, ...(this.stacks.get(key) ?? [])]);
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
      const rest = (this.stacks.get(key) ?? []).filter((e) => e.patch !== patch);
      if (rest.length > 0) this.stacks.set(key, rest);
      else this.stacks.delete(key);
    }
  }
}
