// The kernel's state after each step, in the simulator's StepResult form, from what /init
// read: sysfs (patches, their objects and functions), /sys/module (loaded modules) and the
// observed output of each patched function.
import { shownSympos } from '../../server/src/model/identity';
import type { FunctionStatus, PatchStatus, SimPatch, StepResult } from '../../server/src/simulator/types';
import type { LogLine, StepRecord } from './serial';
import type { Observation, OracleStep } from './scenario';
import { observationKey } from './stepFile';

export interface KernelStep {
  result: StepResult;
  settled: boolean;
  log: LogLine[];
}

/** Kernel log lines of no interest to the comparison: the taint notices of unsigned out-of-tree modules. */
export const isTaintLine = (line: LogLine) => /\b(tainting|taints) kernel\b/.test(line.text);

/**
 * The lines dump_stack() adds after a warning (sysfs_warn_dup() calls it): the task and
 * hardware line (lib/dump_stack.c dump_stack_print_info(): `CPU: 0 PID:` in 6.1, `CPU: 0 UID: 0
 * PID:` and the taint flags spelled out, `Tainted: [O]=OOT_MODULE, ...`, in 6.12), the call
 * trace and the registers. They say where, not what.
 */
const isStackDumpLine = (line: LogLine) =>
  /^(CPU: \d+ (UID: \d+ )?PID: \d+ |Tainted: \[|Hardware name: |Call Trace:|Code: |R[A-Z0-9]{2}: |\s)/.test(line.text);

/** Warnings and errors of the kernel itself (not lines user space wrote to /dev/kmsg). */
export const kernelWarnings = (log: LogLine[]) =>
  log.filter((l) => l.facility === 0 && l.level <= 4 && !isTaintLine(l) && !isStackDumpLine(l));

/**
 * Which patch's code a read printed: the oracle's livepatches print "klp-oracle <name>",
 * the selftests' "<name>: this has been live patched"; anything else is the original.
 */
export function observedPatch(output: string | undefined): string | null {
  if (output === undefined || output === '@absent') return null;
  return /^klp-oracle (\S+)/.exec(output)?.[1] ?? /^(\S+): this has been live patched$/.exec(output)?.[1] ?? null;
}

export function kernelResults(steps: OracleStep[], records: StepRecord[], observe: Observation[]): KernelStep[] {
  /** Livepatch modules in the order they loaded, with the patch each declares. */
  const loaded: Array<{ name: string; patch: SimPatch }> = [];
  const replacedBy = new Map<string, string>();
  let enabledBefore = new Set<string>();
  return records.map((record, i) => {
    const step = steps[i];
    const ok = record.rc === 0;
    if (step.action === 'load' && ok && step.patch) {
      loaded.push({ name: step.target, patch: step.patch });
      replacedBy.delete(step.target);
    }
    // A livepatch module that is gone from /sys/module was unloaded.
    for (let j = loaded.length - 1; j >= 0; j--) if (!record.modules.has(loaded[j].name)) loaded.splice(j, 1);

    const dirs = new Map(record.patches.map((p) => [p.name, p]));
    const enabled = new Set(record.patches.filter((p) => p.enabled).map((p) => p.name));
    // A patch that stops being enabled while a replace patch loads was replaced by it.
    if (step.action === 'load' && ok && step.patch?.replace) {
      for (const name of enabledBefore) if (!enabled.has(name) && name !== step.target) replacedBy.set(name, step.target);
    }
    enabledBefore = enabled;

    const patches: PatchStatus[] = loaded.map(({ name, patch }) => ({
      name,
      replace: patch.replace,
      enabled: enabled.has(name),
      replacedBy: replacedBy.get(name) ?? null,
    }));

    const observed = new Map(observe.map((o) => [observationKey(o), o]));
    const functions = new Map<string, FunctionStatus>();
    for (const { patch } of loaded) {
      for (const obj of patch.objects) {
        for (const func of obj.funcs) {
          const sympos = shownSympos(func.sympos);
          const key = observationKey({ object: obj.name, name: func.name, sympos });
          if (functions.has(key)) continue;
          // sysfs shows each enabled patch's functions and whether their object is patched;
          // the stack order is the order the patches loaded (newest on top).
          const stack = loaded
            .filter(({ name }) =>
              dirs.get(name)?.objects.some((o) => o.name === obj.name && o.patched && o.funcs.includes(`${func.name},${sympos}`)),
            )
            .map(({ name }) => name)
            .reverse();
          const active = observed.has(key) ? observedPatch(record.observed.get(key)) : (stack[0] ?? null);
          functions.set(key, { object: obj.name, name: func.name, sympos, stack, active });
        }
      }
    }

    const warnings = kernelWarnings(record.log).map((l) => l.text);
    const result: StepResult = {
      action: step.action,
      target: step.target,
      ok,
      error: ok ? null : [...warnings, ...record.err].join('\n') || `exit ${record.rc}`,
      patches,
      functions: [...functions.values()].sort(
        (a, b) => compare(a.object, b.object) || compare(a.name, b.name) || a.sympos - b.sympos,
      ),
    };
    return { result, settled: record.settled, log: record.log };
  });
}

const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
