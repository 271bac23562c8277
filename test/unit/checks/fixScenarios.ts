// The module under test for each fix, the check that finds its problem, and the series and
// kernel it is checked in: shared by the fix specifications and the property tests.
import { check as ambiguousSymbol } from '../../../server/src/checks/ambiguous-symbol';
import { check as exportedSymbolDependency } from '../../../server/src/checks/exported-symbol-dependency';
import { check as inconsistentSympos } from '../../../server/src/checks/inconsistent-sympos';
import { check as missingLivepatchModinfo } from '../../../server/src/checks/missing-livepatch-modinfo';
import { check as missingReplace } from '../../../server/src/checks/missing-replace';
import { check as missingTerminator } from '../../../server/src/checks/missing-terminator';
import { check as objectNamedVmlinux } from '../../../server/src/checks/object-named-vmlinux';
import { check as symposNotFound } from '../../../server/src/checks/sympos-not-found';
import { check as unknownObject } from '../../../server/src/checks/unknown-object';
import { emptyKernelContext } from '../../../server/src/kernel/types';
import { kernel, series } from '../../helpers/builders';
import { fixture, readModule, type Scenario } from './fixing';

/** vmlinux with three type_show (and one cmdline_proc_show), at these addresses. */
export const SYMBOLS = kernel({
  symbols: {
    vmlinux: [
      ['type_show', 'ffffffff81039ea0'],
      ['cmdline_proc_show', 'ffffffff81100000'],
      ['type_show', 'ffffffff8150b2c0'],
      ['type_show', 'ffffffff81a07d10'],
    ],
  },
});

/** Module.symvers: cdrom's exports, and one of vmlinux. */
export const EXPORTS = kernel({
  exports: { cdrom_check_events: 'cdrom', cdrom_open: 'cdrom', register_cdrom: 'cdrom', unregister_cdrom: 'cdrom', _printk: 'vmlinux' },
});

/** The module list: cdrom, sr_mod and nf_tables are modules; ext4 is built in. */
export const MODULES = emptyKernelContext();
for (const name of ['cdrom', 'sr_mod', 'nf_tables']) MODULES.modules.set(name, { name, builtin: false });
MODULES.modules.set('ext4', { name: 'ext4', builtin: true });
MODULES.has.moduleList = true;

const alone = <D>(check: Scenario<D>['check'], file: string, k = emptyKernelContext()): Scenario<D> => ({ check, file, context: (lp) => series([lp], k) });
/** `file` loaded after the module in `before` (test/fixtures/fixes/<dir>/<before>). */
const after = <D>(check: Scenario<D>['check'], file: string, dir: string, before: string): Scenario<D> => {
  const earlier = readModule(fixture(dir, before), before);
  return { check, file, context: async (lp) => series([await earlier, lp], SYMBOLS) };
};

export const SCENARIOS = {
  /** lpa loaded, then lpb, which patches everything lpa patches without replace. */
  missingReplace: after(missingReplace, 'lpb.c', 'add-replace', 'lpa.c'),
  ambiguousSymbol: alone(ambiguousSymbol, 'lp.c', SYMBOLS),
  symposNotFound: alone(symposNotFound, 'lp.c', SYMBOLS),
  /** cmdline-a.c loaded, then cmdline-b.c (old_sympos 1, replace). */
  inconsistentSymposInB: after(inconsistentSympos, 'cmdline-b.c', 'set-sympos', 'cmdline-a.c'),
  /** cmdline-b.c loaded, then cmdline-a.c (old_sympos not written). */
  inconsistentSymposInA: after(inconsistentSympos, 'cmdline-a.c', 'set-sympos', 'cmdline-b.c'),
  missingLivepatchModinfo: alone(missingLivepatchModinfo, 'lp.c'),
  missingTerminator: alone(missingTerminator, 'lp.c'),
  objectNamedVmlinux: alone(objectNamedVmlinux, 'vmlinux.c'),
  unknownObject: alone(unknownObject, 'unknown.c', MODULES),
  exportedSymbolDependency: alone(exportedSymbolDependency, 'lp_cdrom.c', EXPORTS),
  exportedSymbolDependencyTwo: alone(exportedSymbolDependency, 'lp_two.c', EXPORTS),
} satisfies Record<string, Scenario>;

/** Each scenario with the fixture its problems come from. */
export const SCENARIO_TEXTS: Array<[Scenario, string]> = [
  [SCENARIOS.missingReplace, fixture('add-replace', 'lpb.c')],
  [SCENARIOS.ambiguousSymbol, fixture('set-sympos', 'lp.c')],
  [SCENARIOS.inconsistentSymposInB, fixture('set-sympos', 'cmdline-b.c')],
  [SCENARIOS.inconsistentSymposInA, fixture('set-sympos', 'cmdline-a.c')],
  [SCENARIOS.missingLivepatchModinfo, fixture('add-livepatch-modinfo', 'lp.c')],
  [SCENARIOS.missingTerminator, fixture('add-terminator', 'lp.c')],
  [SCENARIOS.objectNamedVmlinux, fixture('object-name', 'vmlinux.c')],
  [SCENARIOS.unknownObject, fixture('object-name', 'unknown.c')],
  [SCENARIOS.exportedSymbolDependency, fixture('klp-symbol', 'lp_cdrom.c')],
  [SCENARIOS.exportedSymbolDependencyTwo, fixture('klp-symbol', 'lp_two.c')],
];
