// Where klp-lens' static prediction of a patch diff (model/fromDiff.ts: the functions of
// each object the livepatch would patch) and the compiler's answer disagree. The compiler
// wins: a function it changed that the prediction lacks was missed, one the prediction has
// that it did not change is extra.
import type { KernelContext } from '../kernel/types';
import type { Livepatch } from '../model/livepatch';
import { unnumbered } from './compiledObject';
import type { CompileCheckResult } from './compileCheck';

export interface PredictionAgreement {
  /** `object:function` the compiler changed and the prediction lacks. */
  missed: string[];
  /** `object:function` the prediction patches and the compiler did not change. */
  extra: string[];
  /** Both agree on these. */
  agreed: string[];
}

/** The functions the build would patch, by the object each compared object is linked into. */
export function compiledFunctions(result: CompileCheckResult): Set<string> {
  return new Set(result.objects.flatMap((o) => (o.changes?.patched ?? []).map((f) => `${o.target}:${unnumbered(f)}`)));
}

/**
 * The functions the model says the livepatch patches: each object's functions, but for those
 * its object's known symbol table lacks (the model itself says they cannot be patched).
 */
export function predictedFunctions(livepatch: Livepatch, kernel: KernelContext): Set<string> {
  return new Set(
    livepatch.objects.flatMap((o) => {
      const table = kernel.objects.get(o.object);
      return o.funcs.filter((f) => !table || table.byName.has(f.name)).map((f) => `${o.object}:${unnumbered(f.name)}`);
    }),
  );
}

/** An `unknown` object (nothing told where the file is built) claims no object: it matches the compiler's on the name. */
export function predictionAgreement(predicted: ReadonlySet<string>, compiled: ReadonlySet<string>): PredictionAgreement {
  const nameOf = (f: string) => f.slice(f.indexOf(':') + 1);
  const unknown = new Set([...predicted].filter((f) => f.startsWith('unknown:')).map(nameOf));
  const isPredicted = (f: string) => predicted.has(f) || unknown.has(nameOf(f));
  const compiledNames = new Set([...compiled].map(nameOf));
  const isCompiled = (f: string) => compiled.has(f) || (f.startsWith('unknown:') && compiledNames.has(nameOf(f)));
  return {
    missed: [...compiled].filter((f) => !isPredicted(f)).sort(),
    extra: [...predicted].filter((f) => !isCompiled(f)).sort(),
    agreed: [...compiled].filter(isPredicted).sort(),
  };
}
