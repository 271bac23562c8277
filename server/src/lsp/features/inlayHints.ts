// The state after the series, inline:
// - after each patched function's head in a kernel source file: "lpb active · lpa shadowed";
// - after each klp_func entry's old_name line, csv row, and on each hunk's @@ line for each
//   function it patches: "▲ active over lpa", "shadowed by lpb" (the function in the tooltip);
// - after each series line: "enabled", "replaced by lpc", "refused: <the kernel's first line>".
//
// Inlay hints rather than code lenses, everywhere: the state reads best right beside the
// line it qualifies (a lens takes a line of its own above each entry, which in a series
// file or a klp_func array doubles the height of the text); hint label parts carry a
// location, so each patch in a kernel source hint opens the place that patch changes the
// function without a client-side command; and the editor keeps hints in place while the
// text is edited until the next analysis.
import * as path from 'node:path';
import type { InlayHint, InlayHintLabelPart } from 'vscode-languageserver-protocol';
import type { Location, Position, Range } from '../../common/range';
import { anchorOf, type Livepatch, type PatchedFunction } from '../../model/livepatch';
import type { AnalysisView } from '../view';
import { patchedFunctionsIn } from './kernelSource';
import { functionsIn, hunkTargets, livepatchesIn } from './livepatchTargets';
import { firstLine, patchOutcomes, type PatchOutcome } from '../../analysis/outcomes';
import { patchStacks, roleReason, roleText, stackOf, type PatchStack, type StackEntry } from '../../analysis/roles';
import { contains, lineEnd, sameFile } from './ranges';

export function inlayHints(view: AnalysisView, file: string, range: Range): InlayHint[] {
  const within = (hint: InlayHint) => contains(range, hint.position) || sameEnd(range, hint.position);
  if (view.analysis.plan.some((item) => item.location && sameFile(item.location.file, file))) return seriesHints(view, file).filter(within);
  const livepatches = livepatchesIn(view.analysis, file);
  const hints = livepatches.length > 0 ? livepatches.flatMap((lp) => entryHints(view, lp, file)) : kernelSourceHints(view, file, patchStacks(view.analysis));
  return hints.filter(within);
}

/** A hint at the very end of the requested range (the end of the document) still shows. */
function sameEnd(range: Range, p: Position): boolean {
  return range.end.line === p.line && range.end.character === p.character;
}

function hint(position: Position, label: string | InlayHintLabelPart[], tooltip?: string): InlayHint {
  return { position, label, paddingLeft: true, ...(tooltip && { tooltip }) };
}

/** The end of the line `at` starts on (the end of `at` when the text cannot be read). */
function endOfLine(view: AnalysisView, at: Location): Position {
  return lineEnd(view.readText(at.file), at.range.start.line) ?? at.range.end;
}

function seriesHints(view: AnalysisView, file: string): InlayHint[] {
  const { plan, steps, results } = view.analysis;
  // Plan entries and outcomes (or action steps) come in the same order; an unreadable
  // livepatch has a plan entry and no outcome.
  const outcomes = patchOutcomes(view.analysis);
  const actionResults = results.filter((_, i) => steps[i].action !== 'load');
  let nextOutcome = 0;
  let nextAction = 0;
  const out: InlayHint[] = [];
  for (const item of plan) {
    const next = outcomes[nextOutcome];
    const outcome = item.kind === 'patch' && next && sameFile(next.livepatch.file, item.file) ? outcomes[nextOutcome++] : undefined;
    const action = item.kind === 'action' ? actionResults[nextAction++] : undefined;
    if (!item.location || !sameFile(item.location.file, file)) continue;
    if (outcome) out.push(hint(item.location.range.end, outcomeLabel(outcome), outcome.error ?? undefined));
    if (action && !action.ok && action.error) out.push(hint(item.location.range.end, `failed: ${firstLine(action.error)}`, action.error));
  }
  return out;
}

function outcomeLabel(o: PatchOutcome): string {
  if (o.state === 'replaced') return `replaced by ${o.replacedBy}`;
  // The check's whole message is the tooltip.
  if (o.unbuilt) return `refused by the build (${o.unbuilt.code})`;
  if (o.state === 'refused' && o.error) return `refused: ${firstLine(o.error)}`;
  return o.state;
}

/**
 * One hint per klp_func entry or csv row; for a diff, one per function each hunk patches, on the
 * @@ line (named when the hunk patches several). VS Code cuts a hint at 43 characters by
 * default: the label is the state alone, the function's identity goes to the tooltip.
 */
function entryHints(view: AnalysisView, lp: Livepatch, file: string): InlayHint[] {
  const targets = lp.diff ? hunkTargets(view.analysis, lp) : [];
  const places: Array<{ func: PatchedFunction; position: Position; named: boolean }> = lp.diff
    ? targets.map((t) => ({ func: t.func, position: t.hunk.location.range.end, named: targets.filter((u) => u.hunk === t.hunk).length > 1 }))
    : functionsIn(lp, file).map((func) => ({ func, position: endOfLine(view, anchorOf(func)), named: false }));
  return places.flatMap(({ func, position, named }) => {
    const s = stackOf(view.analysis, func);
    const entry = s?.entries.find((e) => e.outcome.livepatch === lp);
    if (!s || !entry) return [];
    const state = entryState(entry, s);
    return [hint(position, named ? `${s.name}: ${state}` : state, entryTooltip(entry, s))];
  });
}

/** What became of the patch's version of the function, seen from the patch; "▲" marks the version that runs. */
function entryState(entry: StackEntry, s: PatchStack): string {
  const lp = entry.outcome.livepatch;
  if (entry.role === 'active') {
    const below = s.stack.filter((name) => name !== lp.name);
    if (below.length === 0) return '▲ active';
    return `▲ active over ${below.length === 1 ? below[0] : `${below.length} patches`}`;
  }
  if (entry.role === 'replaced' && s.droppedBy?.livepatch.name === entry.outcome.replacedBy) return `original runs after ${entry.outcome.replacedBy}`;
  return roleText(entry, s);
}

function stackTooltip(s: PatchStack): string {
  return s.stack.length > 0 ? `stack after the series: ${s.stack.join(' > ')}` : 'stack empty after the series: the original code runs';
}

/** The function (`object:name,sympos`), why the entry never runs when something says so, then the stack. */
function entryTooltip(entry: StackEntry, s: PatchStack): string {
  const reason = roleReason(entry);
  return [`${s.object}:${s.name},${s.sympos}`, ...(reason ? [`${roleText(entry, s)}: ${reason}`] : []), stackTooltip(s)].join('\n');
}

/** "lpb active · lpa shadowed" after the head of each patched definition; each patch links to its entry. */
function kernelSourceHints(view: AnalysisView, file: string, stacks: PatchStack[]): InlayHint[] {
  return patchedFunctionsIn(view, file, stacks).flatMap((k) =>
    k.stacks.map((s) => {
      const items: InlayHintLabelPart[] = s.entries.map((entry) => {
        const state = entry.role === 'active' || entry.role === 'shadowed' ? entry.role : roleText(entry, s);
        const at = anchorOf(entry.func);
        const reason = roleReason(entry);
        const place = `${path.basename(at.file)}:${at.range.start.line + 1}`;
        return { value: `${entry.outcome.livepatch.name} ${state}`, location: lspLocation(view, at), tooltip: reason ? `${place}: ${reason}` : place };
      });
      if (s.droppedBy) items.unshift({ value: `original runs after ${s.droppedBy.livepatch.name}`, location: lspLocation(view, s.droppedBy.livepatch.location) });
      const parts = items.flatMap((part, i) => (i === 0 ? [part] : [{ value: ' · ' }, part]));
      // Several functions of this name in the object (static ones in different files): which is which is not known here.
      if (k.stacks.length > 1) parts.unshift({ value: `sympos ${s.sympos}: ` });
      return hint(k.head.end, parts, stackTooltip(s));
    }),
  );
}

function lspLocation(view: AnalysisView, at: Location): { uri: string; range: Range } {
  return { uri: view.toUri(at.file), range: at.range };
}
