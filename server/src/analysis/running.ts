// "Compare with this machine": each livepatch of the series as the series leaves it (the last
// step's state), beside what the machine's sysfs and /proc/modules show (kernel/running.ts).
import type { RunningLivepatch, RunningState } from '../kernel/running';
import type { StepResult } from '../simulator/types';

export interface RunningRow {
  name: string;
  /** enabled, disabled, replaced by X, not loaded */
  predicted: string;
  /** enabled, in transition (patching|unpatching), loaded, not enabled, not loaded */
  running: string;
  differs: boolean;
}

export interface RunningComparison {
  root: string;
  rows: RunningRow[];
  /** Livepatches the machine has that the series does not. */
  others: RunningLivepatch[];
}

/** `names`: the series' livepatches in order; `final`: the state after its last step (undefined: nothing loaded). */
export function compareWithRunning(names: readonly string[], final: StepResult | undefined, running: RunningState): RunningComparison {
  const rows = [...new Set(names)].map((name): RunningRow => {
    const status = final?.patches.find((p) => p.name === name);
    const predicted = !status ? 'not loaded' : status.enabled ? 'enabled' : status.replacedBy ? `replaced by ${status.replacedBy}` : 'disabled';
    const sysfs = running.livepatches.find((p) => p.name === name);
    // A disabled or replaced patch is freed with its sysfs directory; its module stays until rmmod.
    const runs = sysfs
      ? sysfs.transition
        ? `in transition (${sysfs.enabled ? 'patching' : 'unpatching'})`
        : sysfs.enabled
          ? 'enabled'
          : 'disabled'
      : running.modules.includes(name)
        ? 'loaded, not enabled'
        : 'not loaded';
    const same = (predicted === 'enabled' && runs === 'enabled') || (predicted === 'not loaded' && runs === 'not loaded') || (predicted !== 'enabled' && predicted !== 'not loaded' && runs === 'loaded, not enabled');
    return { name, predicted, running: runs, differs: !same };
  });
  return { root: running.root, rows, others: running.livepatches.filter((p) => !names.includes(p.name)) };
}

/** The comparison in words, one line per livepatch, then the machine's others, then the count (the CLI's text and the editor's output). */
export function describeComparison(c: RunningComparison): string[] {
  const out = [`compared with the machine at ${c.root}:`];
  for (const r of c.rows) out.push(`   ${r.differs ? 'DIFFERS' : 'same   '} ${r.name}: series ${r.predicted}, machine ${r.running}`);
  for (const o of c.others) out.push(`   extra   ${o.name}: ${o.transition ? 'in transition' : o.enabled ? 'enabled' : 'disabled'} on the machine, not in the series`);
  out.push(differences(c) === 0 ? '   the machine is where the series leads' : `   ${differences(c)} difference${differences(c) === 1 ? '' : 's'}`);
  return out;
}

export const differences = (c: RunningComparison) => c.rows.filter((r) => r.differs).length + c.others.length;
