// A klp_func / klp_object / klp_state array without the empty element that ends it. Its fix
// adds that element: the check gives the place just after the last element (`insertAt`) and
// the text (`, { }`, or `{ }` in an empty list). The problem spans the whole initializer list,
// whose end lacks the element (in kernel style the list's last lines are a lone `}` and `};`,
// too narrow a squiggle to see).
// A single struct given where an array belongs gets no data, hence no fix: it must become an array.
import { problem, type Problem } from '../common/problem';
import type { Position, Range } from '../common/range';
import { indentOf, isBlankCode } from '../edits/cLayout';
import { fixOf, type Fix, type TextEdit } from '../edits/fix';
import { point, type SourceText } from '../edits/sourceText';
import type { KlpArrayDeclaration } from '../model/livepatch';
import type { Check } from './check';

/** Where the terminator goes and its text; both absent for a single struct. */
export interface MissingTerminatorData {
  insertAt?: Position;
  insertText?: string;
}

/** How the kernel walks each array, and the fields that must all be zero to stop it. */
const WALKS: Record<KlpArrayDeclaration['struct'], { iterator: string; stops: string }> = {
  // include/linux/livepatch.h klp_for_each_func_static()
  klp_func: { iterator: 'klp_for_each_func_static() (include/linux/livepatch.h)', stops: 'old_name, new_func and old_sympos are all zero' },
  // include/linux/livepatch.h klp_for_each_object_static()
  klp_object: { iterator: 'klp_for_each_object_static() (include/linux/livepatch.h)', stops: 'funcs and name are both NULL' },
  // kernel/livepatch/state.c klp_for_each_state()
  klp_state: { iterator: 'klp_for_each_state() (kernel/livepatch/state.c)', stops: 'id is 0' },
};

export const check: Check<MissingTerminatorData> = {
  id: 'missing-terminator',
  severity: 'error',
  title: 'klp array without its empty terminator `{ }`',
  doc:
    'The livepatch core finds the end of the klp_func, klp_object and klp_state arrays of a patch by ' +
    'an empty element, not by a length: klp_for_each_func_static() stops at the first func whose ' +
    'old_name, new_func and old_sympos are all zero, klp_for_each_object_static() at the first object ' +
    'whose funcs and name are NULL (include/linux/livepatch.h), klp_for_each_state() at the first state ' +
    'whose id is 0 (kernel/livepatch/state.c). Without that `{ }` the walk runs past the end of the ' +
    'array into whatever the compiler placed next, reading it as more funcs, objects or states: ' +
    'klp_enable_patch() then fails on garbage (-EINVAL), tries to patch functions that were never meant, ' +
    'or oopses. The same holds for a single struct given where an array is expected (`.objs = &obj`).',
  run(ctx) {
    const out: Problem<MissingTerminatorData>[] = [];
    for (const lp of ctx.livepatches) {
      for (const array of lp.arrays ?? []) {
        if (array.terminated !== false) continue;
        const walk = WALKS[array.struct];
        const what = array.name ? `\`${array.name}\`` : `this struct ${array.struct} array`;
        const message = array.single
          ? `${what} is a single struct ${array.struct} where the kernel walks an array: ${walk.iterator} reads on past it until ` +
            `an element whose ${walk.stops}, into unrelated memory; make it an array ending with \`{ }\``
          : `${what} has no empty element \`{ }\` at its end: ${walk.iterator} stops only at an element whose ${walk.stops}, ` +
            `so it reads past the array into unrelated memory as more ${array.struct} entries; add \`{ }\` as the last element`;
        out.push(
          problem(check.id, check.severity, array.location, message, {
            related: [{ location: array.location, message: `the ${array.struct} ${array.single ? 'struct' : 'array'}` }],
            data: array.single ? {} : { insertAt: array.terminatorLocation.range.start, insertText: array.terminatorText },
          }),
        );
      }
    }
    return out;
  },
  fix: addTerminator,
};

/** The `}` closing the list, at the end of the problem's range. */
const closingBrace = (range: Range): Position => ({ line: range.end.line, character: Math.max(0, range.end.character - 1) });

const TITLE = 'Add the empty terminator { }';

function addTerminator(problem: Problem<MissingTerminatorData>, source: SourceText): Fix[] {
  const { insertAt, insertText } = problem.data ?? {};
  const offset = insertAt && source.offsetAt(insertAt);
  if (!insertAt || offset === undefined || insertText === undefined) return [];
  // Stale unless the list still closes at the range's end and the place still follows an element's `}` (or the list's `{`).
  if (!source.slice(problem.range)?.endsWith('}') || !/[{}]$/.test(source.text.slice(0, offset))) return [];
  const edits = (insertText === ', { }' && ownLine(source, insertAt, closingBrace(problem.range))) || [{ range: point(insertAt), newText: insertText }];
  return [fixOf(problem, TITLE, edits, true)];
}

/**
 * Kernel style, when the list ends with `}` on a line of its own: the terminator on a new
 * line after the last element, indented like it, `,` added after the element when missing.
 */
function ownLine(source: SourceText, lastEnd: Position, close: Position): TextEdit[] | undefined {
  const rest = source.line(lastEnd.line).slice(lastEnd.character);
  const comma = /^\s*,/.exec(rest);
  const closeOwnLine = close.line > lastEnd.line && source.line(close.line).slice(0, close.character).trim() === '';
  if (!closeOwnLine || !isBlankCode(comma ? rest.slice(comma[0].length) : rest)) return undefined;
  const indent = indentOf(source.line(lastEnd.line));
  return [
    ...(comma ? [] : [{ range: point(lastEnd), newText: ',' }]),
    { range: point(source.lineEnd(lastEnd.line)), newText: `${source.eol}${indent}{ }` },
  ];
}
