// Hover on a hunk's @@ line of a patch diff: the functions the build patches for that hunk, as
// the model reads them (model/fromDiff.ts: the changed functions that have a symbol, the callers
// an inlined one reaches, the functions a struct layout change moves, or the compiler's answer
// after "Verify with the compiler"), each with why it is patched.
import type { Position } from '../../common/range';
import { functionsOf, type PatchedFunction } from '../../model/livepatch';
import { hunkHolding } from './livepatchTargets';
import { code } from './links';
import type { AnalysisView } from '../view';

/** The hover's section for the hunk whose @@ line is at `position`, if any. */
export function hunkSection(view: AnalysisView, file: string, position: Position): string | undefined {
  for (const lp of view.analysis.livepatches) {
    if (lp.file !== file || !lp.diff) continue;
    const hunk = hunkHolding(view.analysis, lp, position.line)?.hunk;
    if (!hunk || hunk.location.range.start.line !== position.line) continue;
    const first = hunk.location.range.start.line;
    const last = hunk.lines[hunk.lines.length - 1]?.patchLine ?? first;
    const funcs = functionsOf(lp).filter((f) => f.location.file === file && f.location.range.start.line >= first && f.location.range.start.line <= last);
    const source = lp.compilerVerdict ? "the compiler's answer" : "klp-lens' prediction; Verify with the Compiler to be sure";
    const lines =
      funcs.length === 0
        ? [`**The build patches no function for this hunk** (${source}): it changes no compiled code, or only new or init functions.`]
        : [`**The build patches for this hunk** (${source}):`, '', ...funcs.map((f) => `- ${code(f.name)} in ${code(f.object)}${why(f)}`)];
    return lines.join('\n');
  }
  return undefined;
}

function why(f: PatchedFunction): string {
  if (f.inlinedFrom) return `: ${code(f.inlinedFrom)} is inlined into it`;
  if (f.layoutOf) return `: it reaches a member that ${f.layoutOf}'s new layout moves`;
  if (f.sourceFunction) return `: GCC's copy of ${code(f.sourceFunction)}`;
  return '';
}
