// A series line that names what is not there: `disable`/`unload` of no livepatch of the series,
// `load-module`/`unload-module` of no module of the kernel. The step fails; a typo is fixed to
// the closest name.
import { closestName } from '../common/closestName';
import { problem, type Problem } from '../common/problem';
import type { Location } from '../common/range';
import { fixOf, type Fix } from '../edits/fix';
import type { SourceText } from '../edits/sourceText';
import type { Check, CheckContext } from './check';
import { closestModule } from './unknown-object';

export interface UnknownStepTargetData {
  target: string;
  suggestion?: string;
}

export const check: Check<UnknownStepTargetData> = {
  id: 'unknown-step-target',
  severity: 'error',
  title: 'A series step names no livepatch or module',
  doc:
    '`disable NAME` writes /sys/kernel/livepatch/NAME/enabled and `unload NAME` runs `rmmod NAME`: a NAME that ' +
    'no livepatch of the series has fails ("No such file or directory", "is not currently loaded"). ' +
    '`load-module NAME` inserts the kernel\'s module NAME and `unload-module NAME` removes it: a name that ' +
    'no module of the kernel has (or one built into vmlinux) fails too. Livepatch names are read as the ' +
    'kernel shows them (the file name with `-` as `_`, or the series\' name=); module names need the ' +
    'kernel\'s module list (modules.order, the .ko files), without which only livepatch names are ' +
    'checked. The fix changes a typo to the closest name.',
  run: (ctx) => ctx.plan.flatMap((item) => (item.kind === 'action' && item.location ? unknown(ctx, item.action, item.target, item.location) : [])),
  fix: renameTarget,
  fixes: 'series',
};

function unknown(ctx: CheckContext, action: string, target: string, location: Location): Problem<UnknownStepTargetData>[] {
  if (action === 'disable' || action === 'unload') {
    const names = ctx.livepatches.map((lp) => lp.name);
    if (names.includes(target)) return [];
    const suggestion = closestName(target, names);
    const fails = action === 'disable' ? `echo 0 > /sys/kernel/livepatch/${target}/enabled: No such file or directory` : `rmmod: ERROR: Module ${target} is not currently loaded`;
    return [report(location, target, `\`${target}\` is no livepatch of the series (${names.join(', ') || 'none'}): the step fails (${fails})`, suggestion)];
  }
  const { kernel } = ctx;
  const info = kernel.modules.get(target);
  if (target !== 'vmlinux' && (!kernel.has.moduleList || (info && !info.builtin))) return [];
  const why = target === 'vmlinux' ? 'vmlinux is the kernel image, no module' : info?.builtin ? `${target} is built into vmlinux on this kernel (modules.builtin)` : `no module of this kernel is named ${target}`;
  return [report(location, target, `${why}: \`${action} ${target}\` fails`, target === 'vmlinux' ? undefined : closestModule(target, kernel))];
}

function report(location: Location, target: string, message: string, suggestion: string | undefined): Problem<UnknownStepTargetData> {
  return problem(check.id, check.severity, location, suggestion ? `${message}. Did you mean \`${suggestion}\`?` : message, { data: { target, ...(suggestion ? { suggestion } : {}) } });
}

/** The target word of the line replaced by the suggestion. */
function renameTarget(p: Problem<UnknownStepTargetData>, source: SourceText): Fix[] {
  const { target, suggestion } = p.data ?? {};
  if (!target || !suggestion) return [];
  const line = source.slice({ start: { line: p.range.start.line, character: 0 }, end: { line: p.range.start.line + 1, character: 0 } }) ?? '';
  const at = /^\s*\S+\s+/.exec(line)?.[0].length;
  if (at === undefined || !line.startsWith(target, at)) return [];
  const range = { start: { line: p.range.start.line, character: at }, end: { line: p.range.start.line, character: at + target.length } };
  return [fixOf(p, `Change to \`${suggestion}\``, [{ range, newText: suggestion }], false)];
}
