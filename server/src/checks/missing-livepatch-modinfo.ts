// A hand-written livepatch module without MODULE_INFO(livepatch, "Y").
import { problem, type Problem } from '../common/problem';
import type { Check } from './check';

const MODINFO_LINE = 'MODULE_INFO(livepatch, "Y");';

export const check: Check = {
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
    const out: Problem[] = [];
    for (const lp of ctx.livepatches) {
      // Only a module that defines a livepatch: the same reader also sees the target modules of a test.
      if (lp.kind !== 'module' || lp.livepatchModinfo !== false || (lp.objects.length === 0 && lp.states.length === 0)) continue;
      out.push(
        problem(
          check.id,
          check.severity,
          lp.modinfoLocation ?? lp.location,
          `${lp.name} has no MODULE_INFO(livepatch, "Y"): the module loader does not mark it as a livepatch module, ` +
            `so klp_enable_patch() refuses it ("module ${lp.name} is not marked as a livepatch module", -EINVAL) and loading it fails; ` +
            `add \`${MODINFO_LINE}\``,
          {
            related: [{ location: lp.location, message: `the klp_patch that klp_enable_patch() would refuse` }],
            data: { insertText: `\n${MODINFO_LINE}` },
          },
        ),
      );
    }
    return out;
  },
};
