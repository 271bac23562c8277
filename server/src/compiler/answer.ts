// The compile check's result as the model takes it (model/compilerAnswer.ts): with it, the
// reading of the patch follows the compiler and says where the prediction differed
// (model/withCompilerAnswer.ts, checks/compiler-disagreement.ts).
import type { CompilerAnswer } from '../model/compilerAnswer';
import type { CompileCheckResult } from './compileCheck';

export function compilerAnswerOf(result: CompileCheckResult, patchText: string): CompilerAnswer {
  return {
    patchText,
    objects: result.objects.map((o) => ({ source: o.source, target: o.target, patched: o.changes?.patched ?? [], ...(o.error ? { error: o.error } : {}) })),
    ...(result.error ? { error: result.error } : {}),
  };
}
