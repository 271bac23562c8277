// The simulation of the last analysis, reused while what it simulated is the same: most edits
// change a function's body, not what the livepatch core is given (issue 14: simulating the same
// 100 steps again was ~15% of an edit in a series of 100 livepatches, and the state read from
// new results was made again for each hover).
import equal from 'fast-deep-equal';
import type { KernelContext } from '../kernel/types';
import type { Verdicts } from '../checks/check';
import { simulate } from '../simulator/simulate';
import type { KernelRules, SimStep, SimulationOptions, StepResult, SymbolCounter } from '../simulator/types';
import type { KernelCapabilities } from '../kernel/capabilities';

export class SimulationCache {
  private last: { steps: SimStep[]; absent: string[]; kernel: KernelContext; results: StepResult[] } | undefined;

  /** simulate() of `steps` with what `kernel` and `verdicts` tell it; the last results when those are the same. */
  run(steps: SimStep[], kernel: KernelContext, verdicts: Verdicts): StepResult[] {
    const options = simulationOptions(kernel, verdicts);
    const last = this.last;
    // simulate() copies the patches it is given: the last steps are as they were. The functions of
    // a livepatch not read again are the same objects (toSimPatch's memo): compared by identity first.
    // Not node:util's isDeepStrictEqual: it lists the keys of every array, and an edit of the
    // 50,000-line patch compared its 2,936 functions in 0.9 ms; fast-deep-equal walks them by index.
    if (last && last.kernel === kernel && equal(last.absent, options.absentModules) && equal(last.steps, steps)) return last.results;
    const results = simulate(steps, options);
    this.last = { steps, absent: options.absentModules ?? [], kernel, results };
    return results;
  }
}

/** What simulate() knows of the kernel: its symbol tables, as klp_find_object_symbol() walks them, the modules it lacks, the rules of its livepatch core. */
export function simulationOptions(kernel: KernelContext, verdicts: Verdicts): SimulationOptions {
  return { countSymbol: symbolCounter(kernel), absentModules: [...verdicts.absentModules], rules: simulatorRules(kernel.capabilities) };
}

/** The simulator's rules for a kernel of these capabilities (kernel/capabilities.ts). */
export function simulatorRules(capabilities: KernelCapabilities): KernelRules {
  return {
    symposZeroIsOne: capabilities['sympos-zero-is-one'].has,
    clearsModuleRelocations: capabilities['module-reload'].has,
    patchAttributes: [...(capabilities['sysfs-replace'].has ? ['replace'] : []), ...(capabilities['sysfs-stack-order'].has ? ['stack_order'] : [])],
    kobjectLogPrefix: capabilities['kobject-log-prefix'].has,
  };
}

/** As klp_find_object_symbol() counts: a known table without the name counts 0 (it refuses it); an unknown table, undefined. */
export function symbolCounter(kernel: KernelContext): SymbolCounter {
  return (object, name) => {
    const table = kernel.objects.get(object);
    return table ? (table.byName.get(name)?.length ?? 0) : undefined;
  };
}
