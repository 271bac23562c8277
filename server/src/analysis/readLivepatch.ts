// Turns one planned series entry into the livepatch model, whatever its kind.
import * as path from 'node:path';
import type { FileSource } from '../common/fileSource';
import type { Memo } from '../common/memo';
import { insideTree, staysInside } from '../common/insideTree';
import { problem, type Problem } from '../common/problem';
import { FILE_START } from '../common/range';
import { includersOf as kbuildIncludersOf } from '../kernel/kbuildIncluded';
import type { KernelContext } from '../kernel/types';
import { livepatchFromCsv } from '../model/fromCsv';
import { livepatchFromDiff, newFromDiffCache, type FromDiffCache } from '../model/fromDiff';
import type { CompilerAnswer } from '../model/compilerAnswer';
import type { Livepatch } from '../model/livepatch';
import { withCompilerAnswer } from '../model/withCompilerAnswer';
import type { PlanItem } from '../model/plan';
import { livepatchFromModule } from '../model/fromModule';
import { livepatchFromSuse } from '../model/suseLayout';
import { predefinedOf } from '../model/targetMacros';
import { newPatchParseCache, parsePatch, type PatchParseCache } from '../syntax/diff';
import type { ParsedFile } from '../syntax/diffTypes';
import { findHunkFunctions, newHunkFunctionCache, type HunkFunctionCache } from '../syntax/hunkFunctions';
import { parsePatchedFuncsCsv } from '../syntax/patchedFuncsCsv';
import type { CParser } from '../syntax/treeSitter';
import { CallGraphs } from './callGraphs';

export type PlannedPatch = Extract<PlanItem, { kind: 'patch' }>;

export interface ReadContext {
  kernel: KernelContext;
  fs: FileSource;
  parser: CParser;
  /** The session's memo (what a reading derives from the hunks it shares with the last one); without it, the reading's own. */
  memo?: Memo;
  /** What the last reading of a diff made of its files (see LivepatchCache). */
  diffCaches?: DiffCaches;
  /** The session's call graphs of the source tree's files; without it, each reading parses its own. */
  callGraphs?: CallGraphs;
  /** The compiler's answers the author asked for, by patch file (each holds while its patch text does). */
  compilerAnswers?: ReadonlyMap<string, CompilerAnswer>;
}

/** What a diff's reading keeps of each of its files for the next (each file reused while it does not change). */
export interface DiffCaches {
  parse: PatchParseCache;
  hunkFunctions: HunkFunctionCache;
  fromDiff: FromDiffCache;
}

export function newDiffCaches(): DiffCaches {
  return { parse: newPatchParseCache(), hunkFunctions: newHunkFunctionCache(), fromDiff: newFromDiffCache() };
}

export type LivepatchRead = Livepatch | { error: ReturnType<typeof problem> };

/** A file header whose path climbs out of the tree (`b/../../x.c`): its original source is not read. */
function leavingTheTree(files: readonly ParsedFile[]): Problem[] {
  return files
    .filter((f) => !staysInside(f.path))
    .map((f) => problem('outside-workspace', 'warning', f.location, `${f.path} leads outside the kernel source tree: its original source is not read`));
}

const ifDefined = <T, U>(value: T | undefined, then: (value: T) => U | undefined): U | undefined => (value === undefined ? undefined : then(value));

export function readLivepatch(item: PlannedPatch, ctx: ReadContext): LivepatchRead {
  // A directory: its parts and template are what it reads. Like a module, it is what its `.replace` says.
  if (item.suse) return livepatchFromSuse(item.suse, ctx.fs, ctx.parser, { name: item.name, predefined: predefinedOf(ctx.kernel) });
  const text = ctx.fs.readText(item.file);
  if (text === undefined) {
    return { error: problem('unreadable-input', 'error', { file: item.file, range: FILE_START }, `cannot read ${item.file}: ${ctx.fs.whyUnreadable(item.file)}`) };
  }
  const replace = !item.noReplace;
  switch (item.livepatchKind) {
    case 'diff': {
      const caches = ctx.diffCaches;
      const sourceDir = ctx.kernel.sourceDir;
      const readSource = sourceDir ? (p: string) => ifDefined(insideTree(sourceDir, p), (file) => ctx.fs.readText(file)) : undefined;
      const parsed = parsePatch(text, item.file, caches?.parse);
      const diff = findHunkFunctions(parsed, { parser: ctx.parser, readSource, cache: caches?.hunkFunctions });
      const graphs = ctx.callGraphs ?? new CallGraphs();
      const callGraphOf = (p: string) => {
        const source = readSource?.(p);
        return source === undefined ? undefined : graphs.of(ctx.parser, p, source);
      };
      // The .c files of a header's own directory that include it (kernel/kbuildIncluded.ts).
      const includersOf = sourceDir && readSource ? (header: string) => kbuildIncludersOf(header, readSource, (d) => ctx.fs.listDir(path.join(sourceDir, d)), 0) : undefined;
      const predicted = livepatchFromDiff(diff, { name: item.name, replace, kernel: ctx.kernel, cache: caches?.fromDiff, memo: ctx.memo, callGraphOf, includersOf });
      const answer = ctx.compilerAnswers?.get(item.file);
      const read = answer?.patchText === text ? withCompilerAnswer(predicted, answer, ctx.kernel) : predicted;
      return { ...read, problems: [...leavingTheTree(parsed.files), ...read.problems] };
    }
    case 'module':
      return livepatchFromModule(ctx.parser, text, item.file, { name: item.name, predefined: predefinedOf(ctx.kernel) });
    case 'csv':
      return livepatchFromCsv(parsePatchedFuncsCsv(text, item.file), { name: item.name, replace, predefined: predefinedOf(ctx.kernel) });
  }
}
