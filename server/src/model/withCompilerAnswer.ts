// A patch diff's livepatch as the compiler says it is: the compiler wins. Each function the
// compile check says the build patches (model/compilerAnswer.ts) is a klp_func, in the object
// the compiled file is linked into; a predicted function of a compiled file that the compiler
// did not change is dropped; functions of files the compiler could not judge stay predicted.
// Where the two differ is kept as the livepatch's compilerVerdict.
import { unnumbered } from '../kernel/symbolClones';
import type { KernelContext } from '../kernel/types';
import type { CompilerAnswer, CompilerVerdict } from './compilerAnswer';
import type { Livepatch, PatchedFunction, PatchObject } from './livepatch';

export function withCompilerAnswer(lp: Livepatch, answer: CompilerAnswer, kernel: KernelContext): Livepatch {
  const headerOf = (source: string) => lp.diff?.files.find((f) => f.path === source)?.location ?? lp.location;
  const verdict: CompilerVerdict = { missed: [], extra: [], errors: [] };
  if (answer.error) verdict.errors.push({ message: answer.error, location: lp.location });
  const judged = new Set<string>();
  for (const o of answer.objects) {
    if (o.error) verdict.errors.push({ message: `${o.source}: ${o.error}`, location: headerOf(o.source) });
    else judged.add(o.source);
  }
  const predicted = lp.objects.flatMap((o) => o.funcs);
  const keyOf = (object: string, name: string) => `${object}:${unnumbered(name)}`;
  const byKey = new Map(predicted.map((f) => [keyOf(f.object, f.name), f]));
  // A file whose object is `unknown` claims none: its functions match the compiler's on the name.
  const byName = new Map(predicted.filter((f) => f.object === 'unknown').map((f) => [unnumbered(f.name), f]));
  const used = new Set<PatchedFunction>();
  const funcs: PatchedFunction[] = [];
  for (const o of answer.objects) {
    if (o.error) continue;
    for (const name of o.patched) {
      const found = byKey.get(keyOf(o.target, name)) ?? byName.get(unnumbered(name));
      if (found) used.add(found);
      else verdict.missed.push({ object: o.target, name, location: headerOf(o.source) });
      funcs.push(found ? { ...found, object: o.target, name, newFunc: name } : { object: o.target, name, sympos: 0, newFunc: name, location: headerOf(o.source), sourceFile: o.source });
    }
  }
  for (const f of predicted) {
    if (used.has(f)) continue;
    if (f.sourceFile === undefined || !judged.has(f.sourceFile)) funcs.push(f);
    else if (claimed(f, kernel)) verdict.extra.push({ object: f.object, name: f.name, location: f.location });
  }
  return { ...lp, objects: regrouped(lp.objects, funcs), functionParts: undefined, compilerVerdict: verdict };
}

/**
 * The prediction claimed to patch the function: not one of an `unknown` object (patched
 * nowhere), nor one its object's symbol table lacks (inline-function says it cannot be patched).
 */
function claimed(f: PatchedFunction, kernel: KernelContext): boolean {
  return f.object !== 'unknown' && (kernel.objects.get(f.object)?.byName.has(f.name) ?? true);
}

/** The functions by object, in the order objects first appear; an object keeps its callbacks. */
function regrouped(before: readonly PatchObject[], funcs: readonly PatchedFunction[]): PatchObject[] {
  const objects = new Map<string, PatchObject>();
  for (const f of funcs) {
    let obj = objects.get(f.object);
    if (!obj) {
      const old = before.find((o) => o.object === f.object);
      obj = { declaredName: f.object === 'vmlinux' ? null : f.object, object: f.object, location: old?.location ?? f.location, funcs: [], hasFuncs: true, callbacks: old?.callbacks ?? [] };
      objects.set(f.object, obj);
    }
    obj.funcs.push(f);
  }
  for (const o of before) if (!objects.has(o.object) && o.callbacks.length > 0) objects.set(o.object, { ...o, funcs: [] });
  return [...objects.values()];
}
