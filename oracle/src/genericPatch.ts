// A load of the generic livepatch (templates/livepatch.c): its parameters and the SimPatch
// klp_enable_patch() will see once its init has built the arrays from them.
import type { SimObject, SimPatch, SimState } from '../../server/src/simulator/types';
import type { OracleStep } from './scenario';

export interface FuncEntry {
  object: string;
  name: string;
  sympos: number;
}

export function genericLoad(name: string, funcs: FuncEntry[], options: { replace?: boolean; states?: SimState[] } = {}): OracleStep {
  const states = options.states ?? [];
  const replace = options.replace ?? false;
  const patch: SimPatch = { name, replace, objects: groupByObject(funcs), states, livepatchModinfo: true };
  const args = [`funcs=${funcs.map((f) => `${f.object}:${f.name}:${f.sympos}`).join(',')}`];
  if (states.length > 0) args.push(`states=${states.map((s) => `${s.id}:${s.version}`).join(',')}`);
  if (replace) args.push('replace=1');
  return { action: 'load', target: name, args, patch };
}

/** Objects in first-seen order, as the module's init builds them. */
function groupByObject(funcs: FuncEntry[]): SimObject[] {
  const objects: SimObject[] = [];
  for (const f of funcs) {
    let obj = objects.find((o) => o.name === f.object);
    if (!obj) objects.push((obj = { name: f.object, funcs: [] }));
    obj.funcs.push({ name: f.name, sympos: f.sympos });
  }
  return objects;
}
