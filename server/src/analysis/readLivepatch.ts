// Turns one planned series entry into the livepatch model, whatever its kind.
import * as path from 'node:path';
import type { FileSource } from '../common/fileSource';
import { problem } from '../common/problem';
import { FILE_START } from '../common/range';
import type { KernelContext } from '../kernel/types';
import { livepatchFromCsv } from '../model/fromCsv';
import { livepatchFromDiff } from '../model/fromDiff';
import type { Livepatch } from '../model/livepatch';
import type { PlanItem } from '../model/plan';
import { livepatchFromModule } from '../syntax/cModule';
import { parsePatch } from '../syntax/diff';
import { findHunkFunctions, type HunkFunctionCache } from '../syntax/hunkFunctions';
import { parsePatchedFuncsCsv } from '../syntax/patchedFuncsCsv';
import type { CParser } from '../syntax/treeSitter';

export type PlannedPatch = Extract<PlanItem, { kind: 'patch' }>;

export interface ReadContext {
  kernel: KernelContext;
  fs: FileSource;
  parser: CParser;
  /** A diff's hunk functions from its last reading (see LivepatchCache). */
  hunkFunctions?: HunkFunctionCache;
}

export type LivepatchRead = Livepatch | { error: ReturnType<typeof problem> };

export function readLivepatch(item: PlannedPatch, ctx: ReadContext): LivepatchRead {
  const text = ctx.fs.readText(item.file);
  if (text === undefined) {
    return { error: problem('unreadable-input', 'error', { file: item.file, range: FILE_START }, `cannot read ${item.file}`) };
  }
  const replace = !item.noReplace;
  switch (item.livepatchKind) {
    case 'diff': {
      const diff = parsePatch(text, item.file);
      const sourceDir = ctx.kernel.sourceDir;
      findHunkFunctions(diff, {
        parser: ctx.parser,
        readSource: sourceDir ? (p) => ctx.fs.readText(path.join(sourceDir, p)) : undefined,
        cache: ctx.hunkFunctions,
      });
      return livepatchFromDiff(diff, { name: item.name, replace, kernel: ctx.kernel });
    }
    case 'module': {
      const lp = livepatchFromModule(ctx.parser, text, item.file, { name: item.name });
      return lp;
    }
    case 'csv':
      return livepatchFromCsv(parsePatchedFuncsCsv(text, item.file), { name: item.name, replace });
  }
}
