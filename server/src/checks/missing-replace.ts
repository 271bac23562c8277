// A livepatch that looks cumulative (or overlaps its predecessors) but does not replace them.
// Its fix makes the hand-written livepatch a replace patch. The problem's range is the
// livepatch's replaceLocation: the `.replace = false` (or `patch.replace = 0`) written, or the
// klp_patch initializer list when replace is not written at all.
import { problem, type Problem } from '../common/problem';
import type { Range } from '../common/range';
import { indentOf, tokensBetween } from '../edits/cLayout';
import { fixOf, type Fix, type TextEdit } from '../edits/fix';
import { at, point, type SourceText } from '../edits/sourceText';
import type { Livepatch } from '../model/livepatch';
import type { Check } from './check';
import { functionKey } from '../model/identity';
import { effectiveFunctions, loadPoints } from './seriesWalk';

export const check: Check = {
  id: 'missing-replace',
  severity: 'warning',
  title: 'A cumulative-looking livepatch does not set replace',
  doc:
    'A livepatch without `replace` that patches every function of a livepatch still enabled when it ' +
    'loads looks cumulative, yet it only stacks on top: the earlier patch stays enabled underneath, ' +
    'its functions come back if the new one is disabled, and its states and callbacks stay in force ' +
    '(a warning). A livepatch without `replace` that only shares some functions with enabled ' +
    'livepatches is reported as information. Setting `.replace = true` makes the livepatch core ' +
    'disable every earlier patch once the new one is in place (kernel/livepatch/transition.c ' +
    'klp_complete_transition()). kpatch-build and klp-build build replace patches by default, so for ' +
    'a patch diff this fires only when the series turns replace off.',
  run(ctx) {
    // A kernel without atomic replace (before 5.1) has no replace to set (kernel-lacks-feature.ts).
    if (!ctx.kernel.capabilities['atomic-replace'].has) return [];
    const out: Problem[] = [];
    const reported = new Set<string>();
    for (const point of loadPoints(ctx)) {
      const lp = point.livepatch;
      // A refused patch stacks on nothing.
      if (lp.replace || !point.ok || reported.has(lp.name)) continue;
      const mine = new Set(effectiveFunctions(ctx, lp).map(functionKey));
      const contained: Livepatch[] = [];
      const overlapping: Livepatch[] = [];
      for (const { livepatch: earlier } of point.installed) {
        const theirs = effectiveFunctions(ctx, earlier).map(functionKey);
        if (theirs.length > 0 && theirs.every((k) => mine.has(k))) contained.push(earlier);
        else if (theirs.some((k) => mine.has(k))) overlapping.push(earlier);
      }
      if (contained.length === 0 && overlapping.length === 0) continue;
      reported.add(lp.name);
      const names = (lps: Livepatch[]) => lps.map((e) => e.name).join(', ');
      const message =
        contained.length > 0
          ? `${lp.name} patches every function of ${names(contained)} (still enabled when it loads) but does not set replace: ` +
            `it stacks on top instead of taking over, and ${names(contained)} stays enabled underneath`
          : `${lp.name} patches functions that ${names(overlapping)} (still enabled when it loads) also patches, without replace: ` +
            `it stacks on top and the earlier versions stay installed underneath`;
      const fix = lp.kind === 'module' ? 'set `.replace = true`' : 'drop the option that turns replace off';
      const related = [...contained, ...overlapping].map((e) => ({
        location: e.location,
        message: `${e.name}, enabled when ${lp.name} loads`,
      }));
      out.push(
        problem(check.id, contained.length > 0 ? check.severity : 'information', lp.replaceLocation ?? lp.location, `${message}; ${fix}`, {
          related,
        }),
      );
    }
    return out;
  },
  fix: addReplace,
};

const MEMBER = '.replace = true';
/** `.replace = false`, `.replace = 0`, `patch.replace = false`, `lp->replace = 0`: the value to turn into true. */
const FALSE_VALUE = /^(?:\.|[A-Za-z_][\w.>-]*?[.>])\s*replace\s*=\s*(false|0)$/;

function addReplace(problem: Problem, source: SourceText): Fix[] {
  const written = source.slice(problem.range);
  if (written === undefined) return [];
  const value = FALSE_VALUE.exec(written)?.[1];
  const edits = value ? [setTrue(problem.range, value)] : addMember(source, problem.range, written);
  return edits ? [fixOf(problem, 'Set .replace = true', edits, true)] : [];
}

/** The value ends the range. */
function setTrue({ end }: Range, value: string): TextEdit {
  return { range: { start: at(end.line, end.character - value.length), end }, newText: 'true' };
}

/** `.replace = true,` as the last member of the klp_patch initializer `list`. */
function addMember(source: SourceText, list: Range, written: string): TextEdit[] | undefined {
  // The initializer list itself, without a replace member (else the range is stale).
  if (!/^\{[\s\S]*\}$/.test(written) || /\.\s*replace\b/.test(written)) return undefined;
  const close = at(list.end.line, list.end.character - 1);
  const tokens = tokensBetween(source, list.start, close);
  const last = tokens.at(-1);
  const edits: TextEdit[] = [];
  if (last && last.text !== ',') edits.push({ range: point(at(last.line, last.end)), newText: ',' });
  const closeLine = source.line(close.line);
  if (close.line > list.start.line && closeLine.slice(0, close.character).trim() === '') {
    // One member per line: a new line after the last one, indented like the others.
    let after = close.line - 1;
    while (after > list.start.line && source.line(after).trim() === '') after--;
    const member = tokens.find((t) => t.line > list.start.line);
    const indent = member ? indentOf(source.line(member.line)) : `${indentOf(closeLine)}\t`;
    edits.push({ range: point(source.lineEnd(after)), newText: `${source.eol}${indent}${MEMBER},` });
  } else {
    const space = /\s$/.test(closeLine.slice(0, close.character)) ? '' : ' ';
    edits.push({ range: point(close), newText: `${space}${MEMBER}${last?.text === ',' ? ',' : ''} ` });
  }
  return edits;
}
