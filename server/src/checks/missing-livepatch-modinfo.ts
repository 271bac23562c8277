// A hand-written livepatch module without MODULE_INFO(livepatch, "Y"). The problem spans the
// klp_patch declaration (what the loader refuses); its fix adds the line where the check says
// (after the module's last MODULE_* line, or at the end of the file).
import { problem, type Problem } from '../common/problem';
import { isBlankCode } from '../edits/cLayout';
import { fixOf, type Fix, type TextEdit } from '../edits/fix';
import { point, type SourceText } from '../edits/sourceText';
import type { Position } from '../common/range';
import type { Check } from './check';

const MODINFO_LINE = 'MODULE_INFO(livepatch, "Y");';

export interface MissingLivepatchModinfoData {
  /** Where the line goes: after the module's last MODULE_* line, or the end of the file. */
  insertAt: Position;
  /** The text to insert there: a line break and the MODULE_INFO line. */
  insertText: string;
}

export const check: Check<MissingLivepatchModinfoData> = {
  id: 'missing-livepatch-modinfo',
  severity: 'error',
  title: 'Livepatch module without MODULE_INFO(livepatch, "Y")',
  doc:
    'The module loader marks a module as a livepatch only when its .modinfo has a `livepatch` entry ' +
    '(kernel/module/main.c check_modinfo_livepatch(), which also taints the kernel with TAINT_LIVEPATCH). ' +
    'klp_enable_patch() (kernel/livepatch/core.c) checks that mark with is_livepatch_module() and refuses ' +
    'an unmarked module with "module <name> is not marked as a livepatch module" and -EINVAL, so the ' +
    'module\'s init fails and nothing is patched. kpatch-build and klp-build add the entry themselves; a ' +
    'hand-written module must write `MODULE_INFO(livepatch, "Y");` (any value is accepted, "Y" is the convention).',
  run(ctx) {
    // Only a module that defines a livepatch: the same reader also sees the target modules of a test.
    return ctx.livepatches
      .filter((lp) => lp.kind === 'module' && lp.livepatchModinfo === false && (lp.objects.length > 0 || lp.states.length > 0))
      .map((lp) =>
        problem(
          check.id,
          check.severity,
          lp.location,
          `${lp.name} has no MODULE_INFO(livepatch, "Y"): the module loader does not mark it as a livepatch module, ` +
            `so klp_enable_patch() refuses it ("module ${lp.name} is not marked as a livepatch module", -EINVAL) and loading it fails; ` +
            `add \`${MODINFO_LINE}\``,
          {
            related: [{ location: lp.location, message: `the klp_patch that klp_enable_patch() would refuse` }],
            data: { insertAt: (lp.modinfoLocation ?? lp.location).range.start, insertText: `\n${MODINFO_LINE}` },
          },
        ),
      );
  },
  fix: addLivepatchModinfo,
};

function addLivepatchModinfo(problem: Problem<MissingLivepatchModinfoData>, source: SourceText): Fix[] {
  const where = problem.data?.insertAt;
  const offset = where && source.offsetAt(where);
  if (!problem.data || !where || offset === undefined) return [];
  const { text, eol } = source;
  // Stale when the mark is there already, or the place no longer follows a macro's `)` / `;`.
  if (/^[ \t]*MODULE_INFO\s*\(\s*livepatch\b/m.test(text) || (offset < text.length && !/[);]$/.test(text.slice(0, offset)))) return [];
  const lines = problem.data.insertText.replace(/\n/g, eol);
  let edit: TextEdit;
  if (offset === text.length && text.endsWith('\n')) {
    // At the end of a file that ends with a line break: a line of its own, ending with one too.
    edit = { range: point(where), newText: `${lines.replace(/^\r?\n/, '')}${eol}` };
  } else {
    // A comment after the macro stays on its line.
    const afterLine = isBlankCode(source.line(where.line).slice(where.character));
    edit = { range: point(afterLine ? source.lineEnd(where.line) : where), newText: lines };
  }
  return [fixOf(problem, 'Add MODULE_INFO(livepatch, "Y")', [edit], true)];
}
