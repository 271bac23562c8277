// Builders for simulator tests: patches, steps and the expected state, so that each
// test reads as the rule it checks.
import type { FunctionStatus, PatchStatus, SimObject, SimPatch, SimState, SimStep } from '../../../server/src/simulator/types';

/** "name", "name,3" (sympos 3) or "module:name[,sympos]"; vmlinux when no module is given. */
export type FuncSpec = string;

function parseFunc(spec: FuncSpec): { object: string; name: string; sympos: number } {
  const [objectPart, rest] = spec.includes(':') ? spec.split(':') : ['vmlinux', spec];
  const [name, sympos] = rest.split(',');
  return { object: objectPart, name, sympos: sympos === undefined ? 0 : Number(sympos) };
}

export interface PatchSpec {
  replace?: boolean;
  funcs?: FuncSpec[];
  states?: SimState[];
  livepatchModinfo?: boolean;
  /** Extra objects written as-is (e.g. one with missingFuncs, or an empty callbacks-only one). */
  objects?: SimObject[];
}

/** A livepatch whose objects are grouped from `funcs` in order of first mention. */
export function patch(name: string, spec: PatchSpec = {}): SimPatch {
  const objects: SimObject[] = [];
  for (const f of (spec.funcs ?? []).map(parseFunc)) {
    let obj = objects.find((o) => o.name === f.object);
    if (!obj) {
      obj = { name: f.object, funcs: [] };
      objects.push(obj);
    }
    obj.funcs.push({ name: f.name, sympos: f.sympos });
  }
  return {
    name,
    replace: spec.replace ?? false,
    objects: [...objects, ...(spec.objects ?? [])],
    states: spec.states ?? [],
    livepatchModinfo: spec.livepatchModinfo ?? true,
  };
}

export const load = (p: SimPatch): SimStep => ({ action: 'load', patch: p });
export const disable = (target: string): SimStep => ({ action: 'disable', target });
export const unload = (target: string): SimStep => ({ action: 'unload', target });
export const loadModule = (target: string): SimStep => ({ action: 'load-module', target });
export const unloadModule = (target: string): SimStep => ({ action: 'unload-module', target });

/** Patch statuses: "lpa" (enabled), "-lpa" (disabled), "lpa>lpc" (replaced by lpc); "R:" prefix for replace. */
export function patches(...specs: string[]): PatchStatus[] {
  return specs.map((s) => {
    const replace = s.startsWith('R:');
    const body = replace ? s.slice(2) : s;
    const [left, replacedBy] = body.split('>');
    const enabled = !left.startsWith('-') && replacedBy === undefined;
    return { name: left.replace(/^-/, ''), replace, enabled, replacedBy: replacedBy ?? null };
  });
}

/** A function status: `fn('cmdline_proc_show', ['lpb', 'lpa'])`, active = top of the stack. */
export function fn(spec: FuncSpec, stack: string[]): FunctionStatus {
  const f = parseFunc(spec);
  return { object: f.object, name: f.name, sympos: f.sympos === 0 ? 1 : f.sympos, stack, active: stack[0] ?? null };
}
