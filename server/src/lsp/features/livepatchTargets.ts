// What a position in a livepatch file points at: a patched function (a klp_func entry or
// its old_name string, a csv row, a hunk's function), a symbol the livepatch's code uses,
// or a klp symbol it declares.
import * as path from 'node:path';
import type { Analysis } from '../../analysis/analyze';
import { partitionPoint } from '../../common/partitionPoint';
import type { Position, Range } from '../../common/range';
import {
  functionsOf,
  type KlpSymbolDeclaration,
  type Livepatch,
  type PatchedFunction,
  type SymbolReference,
} from '../../model/livepatch';
import type { DiffFile, DiffHunk, HunkFunction } from '../../syntax/diffTypes';
import { contains, sameFile } from './ranges';

export interface FunctionTarget {
  livepatch: Livepatch;
  func: PatchedFunction;
  /** What the position is on (the old_name string, the entry, the row, the hunk function's line), when it has a range. */
  range?: Range;
}

/** A changed function of a hunk, with the klp_func the diff becomes for it. */
export interface HunkTarget {
  file: DiffFile;
  hunk: DiffHunk;
  fn: HunkFunction;
  func: PatchedFunction;
}

/**
 * The livepatches read from `file` (one, unless a series lists the file twice), or made of it in
 * part (a part's patched_funcs.csv of SUSE's cumulative livepatch, model/suseLayout.ts).
 */
export function livepatchesIn(analysis: Analysis, file: string): Livepatch[] {
  return analysis.memo.get(livepatchesByFile, analysis).get(path.resolve(file)) ?? [];
}

/**
 * The analysis' livepatches by the files they are read from or made of, in series order: a
 * request then looks at its file's livepatches only, and an unchanged livepatch's files are
 * resolved once in a session.
 */
function livepatchesByFile(analysis: Analysis): Map<string, Livepatch[]> {
  const byFile = new Map<string, Livepatch[]>();
  for (const lp of analysis.livepatches) {
    for (const file of analysis.memo.get(filesOf, lp)) {
      const list = byFile.get(file);
      if (list) list.push(lp);
      else byFile.set(file, [lp]);
    }
  }
  return byFile;
}

/** The files (resolved) a livepatch is read from or has a function in. */
function filesOf(lp: Livepatch): Set<string> {
  const files = new Set([lp.file, ...functionsOf(lp).map((f) => f.location.file)]);
  return new Set([...files].map((f) => path.resolve(f)));
}

/** The livepatch's functions written in `file` (all of a module or csv of its own; a part's rows of a cumulative one). */
export function functionsIn(lp: Livepatch, file: string): PatchedFunction[] {
  return functionsOf(lp).filter((f) => sameFile(f.location.file, file));
}

/** Every hunk's patched functions: a function spread over several hunks appears once per hunk (computed once per livepatch). */
export function hunkTargets(analysis: Analysis, lp: Livepatch): HunkTarget[] {
  return analysis.memo.get(targetsOf, lp);
}

function targetsOf(lp: Livepatch): HunkTarget[] {
  const funcs = klpFuncsOf(lp);
  return (lp.diff?.files ?? []).flatMap((file) => file.hunks.flatMap((hunk) => targetsOfHunk(funcs, file, hunk)));
}

function targetsOfHunk(funcs: Map<string, PatchedFunction[]>, file: DiffFile, hunk: DiffHunk): HunkTarget[] {
  // model/fromDiff.ts makes a klp_func of each symbol the compiler made of a changed function (itself, its clones).
  return hunk.functions.flatMap((fn) => (funcs.get(`${fn.name}\0${file.path}`) ?? []).map((func) => ({ file, hunk, fn, func })));
}

/** A diff's klp_funcs by the source function they come from and its file. */
function klpFuncsOf(lp: Livepatch): Map<string, PatchedFunction[]> {
  const funcs = new Map<string, PatchedFunction[]>();
  for (const f of functionsOf(lp)) {
    const key = `${f.sourceFunction ?? f.name}\0${f.sourceFile}`;
    const list = funcs.get(key);
    if (!list) funcs.set(key, [f]);
    else if (!list.some((g) => g.name === f.name)) list.push(f);
  }
  return funcs;
}

/** The patched functions at `position`: one, or every patched function of a hunk when on its @@ line. */
export function functionsAt(analysis: Analysis, file: string, position: Position): FunctionTarget[] {
  return livepatchesIn(analysis, file).flatMap((livepatch) => {
    if (livepatch.diff) return hunkFunctionsAt(analysis, livepatch, position);
    for (const func of functionsIn(livepatch, file)) {
      if (func.nameLocation && contains(func.nameLocation.range, position)) return [{ livepatch, func, range: func.nameLocation.range }];
      if (contains(func.location.range, position)) return [{ livepatch, func, range: func.location.range }];
    }
    return [];
  });
}

function hunkFunctionsAt(analysis: Analysis, livepatch: Livepatch, position: Position): FunctionTarget[] {
  const { line } = position;
  // Only the hunk that holds the line: a large patch has hundreds.
  const targets = hunkAt(analysis, livepatch, line);
  const onHeader = targets.filter((t) => t.hunk.location.range.start.line === line);
  if (onHeader.length > 0) return onHeader.map((t) => ({ livepatch, func: t.func, range: t.hunk.location.range }));
  // A hunk line lies in one function at most (syntax/hunkFunctions.ts).
  const inside = targets.find((t) => t.fn.lines?.includes(line));
  if (!inside) return [];
  const onItsLine = inside.fn.location.range.start.line === line;
  return [{ livepatch, func: inside.func, ...(onItsLine && { range: inside.fn.location.range }) }];
}

/** The targets of the hunk that holds a patch line. */
function hunkAt(analysis: Analysis, lp: Livepatch, line: number): HunkTarget[] {
  const found = hunkHolding(analysis, lp, line);
  return found ? targetsOfHunk(analysis.memo.get(klpFuncsOf, lp), found.file, found.hunk) : [];
}

/**
 * The hunk of a diff that holds a patch line: its @@ line or one of its lines. The file that
 * holds it first (a diff's files follow each other), then its hunks, indexed per file: an
 * unchanged file is the same object from one analysis to the next, so an edit indexes the
 * files it changed only.
 */
export function hunkHolding(analysis: Analysis, lp: Livepatch, line: number): { file: DiffFile; hunk: DiffHunk } | undefined {
  const files = analysis.memo.get(filesWithHunks, lp);
  const file = files[partitionPoint(files.length, (i) => files[i].location.range.start.line <= line) - 1];
  if (!file) return undefined;
  const hunks = analysis.memo.get(hunkSpans, file);
  // The last hunk starting at or before the line: the hunks of a file follow each other.
  const found = hunks[partitionPoint(hunks.length, (i) => hunks[i].start <= line) - 1];
  return found && line <= found.end ? { file, hunk: found.hunk } : undefined;
}

/** A diff's files that have hunks, in patch order. */
function filesWithHunks(lp: Livepatch): readonly DiffFile[] {
  return (lp.diff?.files ?? []).filter((f) => f.hunks.length > 0);
}

/** A file's hunks, each with its @@ line and last line. */
function hunkSpans(file: DiffFile): Array<{ hunk: DiffHunk; start: number; end: number }> {
  return file.hunks.map((hunk) => {
    const start = hunk.location.range.start.line;
    return { hunk, start, end: hunk.lines.at(-1)?.patchLine ?? start };
  });
}

export type SymbolTarget =
  | { kind: 'reference'; livepatch: Livepatch; reference: SymbolReference }
  | { kind: 'klp-symbol'; livepatch: Livepatch; symbol: KlpSymbolDeclaration };

/** The symbol use or klp symbol declaration at `position`. */
export function symbolAt(analysis: Analysis, file: string, position: Position): SymbolTarget | undefined {
  for (const livepatch of livepatchesIn(analysis, file)) {
    const symbol = livepatch.klpSymbols.find((k) => contains(k.location.range, position));
    if (symbol) return { kind: 'klp-symbol', livepatch, symbol };
    const reference = referencesOnLine(analysis, livepatch, position.line)?.find((r) => contains(r.location.range, position));
    if (reference) return { kind: 'reference', livepatch, reference };
  }
  return undefined;
}

/**
 * A livepatch's references on a line. A diff's come file by file (Livepatch.referenceParts, in
 * patch order, each in line order): the file's that holds the line, indexed once per list, so
 * that an edit makes the index of the files it changed only.
 */
function referencesOnLine(analysis: Analysis, lp: Livepatch, line: number): SymbolReference[] | undefined {
  if (!lp.referenceParts) return analysis.memo.get(referencesByLine, lp.references).get(line);
  const starts = analysis.memo.get(partStarts, lp);
  const at = partitionPoint(starts.length, (i) => starts[i].line <= line) - 1;
  return at < 0 ? undefined : analysis.memo.get(referencesByLine, starts[at].refs).get(line);
}

/** The non-empty reference lists of a diff with the line each starts on. */
function partStarts(lp: Livepatch): Array<{ line: number; refs: readonly SymbolReference[] }> {
  return (lp.referenceParts ?? []).flatMap((refs) => (refs.length > 0 ? [{ line: refs[0].location.range.start.line, refs }] : []));
}

/** Symbol references on each line their ranges cover, in their order (a large patch has thousands). */
function referencesByLine(refs: readonly SymbolReference[]): Map<number, SymbolReference[]> {
  const byLine = new Map<number, SymbolReference[]>();
  for (const ref of refs) {
    for (let line = ref.location.range.start.line; line <= ref.location.range.end.line; line++) {
      const list = byLine.get(line);
      if (list) list.push(ref);
      else byLine.set(line, [ref]);
    }
  }
  return byLine;
}
