// SUSE's cumulative livepatch (model/suseLayout.ts): each part's csv rows and the new functions
// (klpp_*) its .c files define, linked both ways.
// - On a row: the hover shows the function's stack after the series and its new function;
//   go to definition on the new_func column opens its definition in the part's .c, anywhere
//   else on the row the patched function in the kernel source.
// - On a new function's name in the part's .c or .h files: the hover shows the row that
//   patches with it and that function's stack; go to definition opens the row.
// The general hover and definition (hover.ts, definition.ts) look for a livepatch's functions in
// the livepatch's own file, and this livepatch's rows are in its parts' files: server.ts asks
// these first and falls back to them.
import * as path from 'node:path';
import type { Hover, LocationLink } from 'vscode-languageserver-protocol';
import type { Analysis } from '../../analysis/analyze';
import { patchStackOf } from '../../analysis/roles';
import type { Location, Position, Range } from '../../common/range';
import { shownSympos } from '../../model/identity';
import { functionsOf, type PatchedFunction } from '../../model/livepatch';
import type { AnalysisView } from '../view';
import { stackMarkdown } from './hover';
import { code, lineLink } from './links';
import { contains, sameFile } from './ranges';
import { findDefinition } from './sourceDefinition';

interface PartTarget {
  func: PatchedFunction & { part: string };
  /** The row's new_func column, elsewhere on the row, or the new function's name in the part's code. */
  on: 'new-func' | 'row' | 'code';
  range: Range;
}

export function partHover(view: AnalysisView, file: string, position: Position): Hover | null {
  const target = partTargetAt(view, file, position);
  if (!target) return null;
  const { func } = target;
  const stack = patchStackOf(view.analysis, func);
  const sections = target.on === 'code' ? [codeHead(view, func)] : [];
  if (stack) sections.push(stackMarkdown(view, stack));
  if (target.on !== 'code') sections.push(rowFoot(view, func));
  return { contents: { kind: 'markdown', value: sections.join('\n\n---\n\n') }, range: target.range };
}

/** The links of a part's target; undefined when the position is on none (the general definition answers then). */
export function partDefinition(view: AnalysisView, file: string, position: Position): LocationLink[] | undefined {
  const target = partTargetAt(view, file, position);
  if (!target) return undefined;
  const { func } = target;
  const link = (at: Location, selection: Range = at.range): LocationLink[] => [
    { originSelectionRange: target.range, targetUri: view.toUri(at.file), targetRange: at.range, targetSelectionRange: selection },
  ];
  if (target.on === 'code') return link(func.location, func.newFuncLocation?.range);
  if (target.on === 'new-func') return func.newFuncDefinition ? link(func.newFuncDefinition) : [];
  const source = findDefinition(view, patchStackOf(view.analysis, func) ?? func);
  return source ? link({ file: source.file, range: source.range }, source.nameRange) : [];
}

/** Every function of a part, in series order (computed once per analysis). */
function partFunctions(analysis: Analysis): Array<PatchedFunction & { part: string }> {
  return analysis.livepatches.flatMap((lp) => functionsOf(lp).filter((f): f is PatchedFunction & { part: string } => f.part !== undefined));
}

function partTargetAt(view: AnalysisView, file: string, position: Position): PartTarget | undefined {
  const funcs = view.analysis.memo.get(partFunctions, view.analysis);
  for (const func of funcs) {
    if (!sameFile(func.location.file, file) || !contains(func.location.range, position)) continue;
    const onNewFunc = func.newFuncLocation && contains(func.newFuncLocation.range, position);
    return onNewFunc ? { func, on: 'new-func', range: func.newFuncLocation!.range } : { func, on: 'row', range: func.location.range };
  }
  if (!/\.[ch]$/.test(file) || !funcs.some((f) => sameFile(f.part, path.dirname(file)))) return undefined;
  const word = identifierAt(view.readText(file), position);
  const func = word && funcs.find((f) => f.newFunc === word.text && sameFile(f.part, path.dirname(file)));
  return func ? { func, on: 'code', range: word.range } : undefined;
}

/** The C identifier the position is on or just after. */
function identifierAt(text: string | undefined, position: Position): { text: string; range: Range } | undefined {
  const line = text?.split(/\r?\n/)[position.line];
  if (line === undefined) return undefined;
  for (const m of line.matchAll(/[A-Za-z_]\w*/g)) {
    const start = m.index;
    const end = start + m[0].length;
    if (start <= position.character && position.character <= end) {
      return { text: m[0], range: { start: { line: position.line, character: start }, end: { line: position.line, character: end } } };
    }
    if (start > position.character) break;
  }
  return undefined;
}

/** `**klpp_unix_gc**` replaces `vmlinux:unix_gc,1` (part `bsc1223683`, [patched_funcs.csv:1](…)) */
function codeHead(view: AnalysisView, f: PatchedFunction & { part: string }): string {
  const row = lineLink(view, f.location, `${path.basename(f.part)}/${path.basename(f.location.file)}:${f.location.range.start.line + 1}`);
  return `**${code(f.newFunc ?? '')}** replaces ${code(`${f.object}:${f.name},${shownSympos(f.sympos)}`)} in SUSE's cumulative livepatch: row ${row}`;
}

/** Part `bsc1223683` · new function [klpp_unix_gc](…), or that none of the part's .c files defines it. */
function rowFoot(view: AnalysisView, f: PatchedFunction & { part: string }): string {
  const part = `Part ${code(path.basename(f.part))} of SUSE's cumulative livepatch`;
  const newFunc = f.newFunc ?? '';
  if (!f.newFuncDefinition) return `${part} · new function ${code(newFunc)}: no .c file of the part defines it`;
  const at = f.newFuncDefinition;
  return `${part} · new function ${lineLink(view, at, `${newFunc} (${path.basename(at.file)}:${at.range.start.line + 1})`)}`;
}
