// The outline of a livepatch: for a patch diff, its files > hunks > functions; for a module
// or a patched_funcs.csv, the klp_patch > its objects > their klp_funcs. A diff the analysis
// did not read (not in the series) is parsed on its own, its hunks read without the source.
import { SymbolKind, type DocumentSymbol } from 'vscode-languageserver-protocol';
import { lineRange, type Range } from '../../common/range';
import type { Livepatch, LivepatchDiffFile } from '../../model/livepatch';
import { livepatchKindOf } from '../../model/plan';
import { parsePatch } from '../../syntax/diff';
import type { DiffHunk, DiffLine, HunkFunction } from '../../syntax/diffTypes';
import { findHunkFunctions } from '../../syntax/hunkFunctions';
import type { AnalysisView } from '../view';
import { livepatchesIn } from './livepatchTargets';
import { sameFile, union } from './ranges';

export function documentSymbols(view: AnalysisView, file: string): DocumentSymbol[] {
  const [lp] = livepatchesIn(view.analysis, file);
  if (lp) return lp.diff ? lp.diff.files.map(fileSymbol) : sameFile(lp.file, file) ? [patchSymbol(lp)] : objectSymbols(lp, file);
  if (livepatchKindOf(file) !== 'diff') return [];
  const text = view.readText(file);
  if (text === undefined) return [];
  return findHunkFunctions(parsePatch(text, file), { parser: view.parser }).files.map(fileSymbol);
}

function symbol(name: string, kind: SymbolKind, range: Range, selectionRange: Range, children: DocumentSymbol[], detail?: string): DocumentSymbol {
  // A parent's range holds its children's, as clients expect.
  const whole = children.reduce((r, c) => union(r, c.range), union(range, selectionRange));
  return { name, kind, range: whole, selectionRange, children, ...(detail && { detail }) };
}

/** A file with its object as detail (a diff the analysis did not read has none). */
function fileSymbol(file: LivepatchDiffFile): DocumentSymbol {
  return symbol(file.path, SymbolKind.File, file.location.range, file.location.range, file.hunks.map(hunkSymbol), file.object);
}

function hunkSymbol(hunk: DiffHunk): DocumentSymbol {
  const last = hunk.lines.at(-1);
  const range = last ? union(hunk.location.range, lineRange(last.patchLine, last.text.length + 1)) : hunk.location.range;
  const byPatchLine = new Map(hunk.lines.map((l) => [l.patchLine, l]));
  return symbol(hunk.header, SymbolKind.Namespace, range, hunk.location.range, hunk.functions.map((fn) => functionSymbol(byPatchLine, fn)));
}

/** `fn` from its lines, looked up in the hunk's lines by patch line (a search per line is quadratic in a large hunk). */
function functionSymbol(byPatchLine: ReadonlyMap<number, DiffLine>, fn: HunkFunction): DocumentSymbol {
  const lines = (fn.lines ?? []).flatMap((n) => byPatchLine.get(n) ?? []);
  const range = lines.reduce((r, l) => union(r, lineRange(l.patchLine, l.text.length + 1)), fn.location.range);
  const detail = fn.isNew ? 'new' : fn.changed ? 'patched' : 'context';
  return symbol(fn.name, SymbolKind.Function, range, fn.location.range, [], detail);
}

function patchSymbol(lp: Livepatch): DocumentSymbol {
  return symbol(lp.name, SymbolKind.Module, lp.location.range, lp.location.range, objectSymbols(lp), lp.replace ? 'replace' : undefined);
}

/** Each object with its functions; with `file`, only the functions written there (a part of a cumulative livepatch), by their own places. */
function objectSymbols(lp: Livepatch, file?: string): DocumentSymbol[] {
  return lp.objects.flatMap((o) => {
    const written = file === undefined ? o.funcs : o.funcs.filter((f) => sameFile(f.location.file, file));
    const funcs = written.map((f) => {
      const detail = [f.sympos ? `sympos ${f.sympos}` : '', f.newFunc ? `→ ${f.newFunc}` : ''].filter(Boolean).join(' ');
      return symbol(f.name, SymbolKind.Function, f.location.range, (f.nameLocation ?? f.location).range, [], detail);
    });
    if (file !== undefined && funcs.length === 0) return [];
    const at = file === undefined ? o : written[0];
    return [symbol(o.object, SymbolKind.Object, at.location.range, ((file === undefined ? o.nameLocation : undefined) ?? at.location).range, funcs)];
  });
}
