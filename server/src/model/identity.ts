// The identity of a patched function, in one place for the model, the simulator, the checks
// and the shells. sysfs names a patched function `<object>/<name>,<sympos>` with sympos 0
// shown as 1 (kernel/livepatch/core.c klp_init_func_early(): "%s,%lu"); kernel/livepatch/core.c
// klp_find_func() matches sympos 0 and 1 (6.1), and both resolve to the same address for a
// unique symbol, so they share one ftrace handler and one func stack.

/** What names a function: its object ('vmlinux' or a module), its name and its sympos as written. */
export interface FunctionIdentity {
  object: string;
  name: string;
  sympos: number;
}

/** The kernel's effective sympos as sysfs shows it: 0 is shown as 1. */
export function shownSympos(sympos: number): number {
  return sympos === 0 ? 1 : sympos;
}

/** One key per function the kernel tells apart: `object:name,sympos` with the shown sympos. */
export function functionKey(f: FunctionIdentity): string {
  return `${f.object}:${f.name},${shownSympos(f.sympos)}`;
}
