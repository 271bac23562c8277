// Where klp-lens' static prediction of a patch diff (model/fromDiff.ts: the functions of
// each object the livepatch would patch) and the compiler's answer disagree. The compiler
// wins: a function it changed that the prediction lacks was missed, one the prediction has
// that it did not change is extra.
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

export function predictedFunctions(livepatch: Livepatch): Set<string> {
  return new Set(livepatch.objects.flatMap((o) => o.funcs.map((f) => `${o.object}:${unnumbered(f.name)}`)));
}

export function predictionAgreement(predicted: ReadonlySet<string>, compiled: ReadonlySet<string>): PredictionAgreement {
  return {
    missed: [...compiled].filter((f) => !predicted.has(f)).sort(),
    extra: [...predicted].filter((f) => !compiled.has(f)).sort(),
    agreed: [...compiled].filter((f) => predicted.has(f)).sort(),
  };
}
