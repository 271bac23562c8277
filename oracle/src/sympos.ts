// Symbol positions: static functions defined more than once, patched with sympos 0 (refused:
// ambiguous), at each valid position, and one past the end (refused), in vmlinux and, late or
// not, in a target module (kernel/livepatch/core.c klp_find_object_symbol()).
import { LIVEPATCH_NAMES, targetName } from './modules';
import { genericLoad } from './genericPatch';
import { observationOf } from './pool';
import type { Observation, OracleStep, Scenario } from './scenario';

const TA = targetName('ta');
const [lp0, lp1, lp2, lp3, lp4] = LIVEPATCH_NAMES;

/**
 * vmlinux names defined more than once whose every definition is a seq_file show function
 * (so that the generic livepatch's replacement fits each): seq_show (fs/proc/fd.c,
 * net/netfilter/nf_log.c) and s_show (mce severities, kallsyms, trace, vmallocinfo).
 */
const VMLINUX_DUPLICATES = [
  { name: 'seq_show', count: 2 },
  { name: 's_show', count: 4 },
];

/** s_show's readable files (/proc/kallsyms is kernel/kallsyms.c's, the second definition). */
const S_SHOW_FILES: Observation[] = [
  { object: 'vmlinux', name: 's_show', sympos: 2, path: '/proc/kallsyms' },
  { object: 'vmlinux', name: 's_show', sympos: 4, path: '/proc/vmallocinfo' },
];

const load = (name: string, object: string, fn: string, sympos: number) => genericLoad(name, [{ object, name: fn, sympos }]);
const step = (action: OracleStep['action'], target: string): OracleStep => ({ action, target, args: [] });

/** Disable the patches newest first, then unload them. */
const teardown = (names: string[]): OracleStep[] => [
  ...[...names].reverse().map((n) => step('disable', n)),
  ...names.map((n) => step('unload', n)),
];

function scenario(name: string, steps: OracleStep[], observe: Observation[]): Scenario {
  return {
    name,
    kind: 'sympos',
    reproduce: `npm run oracle -- --only ${name}`,
    items: steps.map((s) => ({ step: s })),
    targets: [TA],
    observe,
  };
}

function vmlinuxScenario(fn: string, count: number): Scenario {
  const names = LIVEPATCH_NAMES.slice(0, count);
  const steps = [
    load(lp0, 'vmlinux', fn, 0),
    ...names.map((n, i) => load(n, 'vmlinux', fn, i + 1)),
    load(LIVEPATCH_NAMES[count], 'vmlinux', fn, count + 1),
    ...teardown(names),
  ];
  const observe =
    fn === 's_show'
      ? S_SHOW_FILES
      : Array.from({ length: count }, (_, i) => observationOf('vmlinux', fn, i + 1)).filter((o): o is Observation => !!o);
  return scenario(`sympos-vmlinux-${fn}`, steps, observe);
}

const dupObservations = [1, 2].map((i) => observationOf(TA, 'dup_show', i)).filter((o): o is Observation => !!o);

/** The target is loaded first: each load resolves at once. */
const moduleLoaded = scenario(
  'sympos-module-loaded',
  [
    step('load-module', TA),
    load(lp0, TA, 'dup_show', 0),
    load(lp0, TA, 'dup_show', 1),
    load(lp1, TA, 'dup_show', 2),
    load(lp2, TA, 'dup_show', 3),
    ...teardown([lp0, lp1]),
    step('unload-module', TA),
  ],
  dupObservations,
);

/** Late module patching: the positions resolve when the target loads (klp_module_coming()). */
const moduleLate = scenario(
  'sympos-module-late',
  [
    load(lp0, TA, 'dup_show', 1),
    load(lp1, TA, 'dup_show', 2),
    load(lp2, TA, 'dup_show', 3),
    step('load-module', TA),
    step('disable', lp2),
    step('unload', lp2),
    step('load-module', TA),
    load(lp2, TA, 'dup_show', 0),
    step('unload-module', TA),
    load(lp3, TA, 'dup_show', 0),
    step('load-module', TA),
    ...teardown([lp0, lp1, lp3]),
    load(lp4, TA, 'dup_show', 2),
    step('load-module', TA),
    ...teardown([lp4]),
    step('unload-module', TA),
  ],
  dupObservations,
);

export function symposScenarios(): Scenario[] {
  return [...VMLINUX_DUPLICATES.map((d) => vmlinuxScenario(d.name, d.count)), moduleLoaded, moduleLate];
}
