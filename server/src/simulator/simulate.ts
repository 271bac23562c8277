// The series simulator: runs load / disable / unload / load-module / unload-module steps
// through the livepatch core's rules (kernel/livepatch/*.c of Linux 6.1) and reports the
// state after each step. Each step's transition completes within the step.
import { errorMessage } from '../common/problem';
import { disablePatch, enablePatch } from './enable';
import { insmodFailed, insmodMessage, insmodNoFile, rmmodInUse, rmmodInUseBy, rmmodNotLoaded, unknownSymbol } from './messages';
import { applyKlpRelocations } from './klpRelocations';
import { loadTargetModule, unloadTargetModule } from './modules';
import { SeriesLog, stepResult } from './snapshot';
import { FuncStacks } from './stack';
import { NEWEST_RULES, type ModuleImport, type SimPatch, type SimStep, type SimulationOptions, type StepResult } from './types';
import { newWorld, removeModule, type World } from './world';

/**
 * insmod of a livepatch module (of none, when the build made no .ko): the loader refuses a second module of the same name
 * (add_unformed_module(), -EEXIST); the module's init is klp_enable_patch(). Livepatch
 * modules and target modules are kept apart: a livepatch never clashes with a target.
 */
function loadLivepatch(world: World, patch: SimPatch): string | null {
  if (patch.unbuilt) return insmodNoFile(patch.name);
  if (world.modulesByName.has(patch.name)) return insmodFailed(patch.name, 'EEXIST');
  // kernel/module/main.c simplify_symbols(): an import whose exporting module is not loaded
  // is an unknown symbol (-ENOENT), before the module's init runs. insmod loads no dependency.
  const loaded = (i: ModuleImport) =>
    i.livepatch ? world.modulesByName.has(i.module) : !world.unloadedTargets.has(i.module);
  const missing = [...(patch.imports ?? []).filter((i) => !loaded(i)).map((i) => i.symbol), ...(patch.undefinedSymbols ?? [])];
  if (missing.length > 0) {
    return insmodMessage(patch.name, { errno: 'ENOENT', log: missing.map((symbol) => unknownSymbol(patch.name, symbol)) });
  }
  // kernel/module/main.c apply_relocations(): the vmlinux livepatch relocation sections.
  const relocation = applyKlpRelocations(world, patch, 'vmlinux', new Set());
  if (relocation) return insmodMessage(patch.name, relocation);
  const failure = enablePatch(world, patch);
  return failure && insmodMessage(patch.name, failure);
}

/**
 * rmmod of a livepatch module: a loaded module that imports one of its exports holds a reference
 * on it (kernel/module/main.c ref_module()), and klp_enable_patch() holds one (try_module_get())
 * until the patch is disabled or replaced and freed, so rmmod refuses either.
 */
function unloadLivepatch(world: World, name: string): string | null {
  const module = world.modulesByName.get(name);
  if (!module) return rmmodNotLoaded(name);
  const holders = world.modules.filter((m) => m.patch.imports?.some((i) => i.livepatch && i.module === name)).map((m) => m.patch.name);
  if (holders.length > 0) return rmmodInUseBy(name, holders);
  if (module.enabled) return rmmodInUse(name);
  removeModule(world, module);
  return null;
}

function runStep(world: World, step: SimStep): string | null {
  switch (step.action) {
    case 'load':
      return loadLivepatch(world, step.patch);
    case 'disable':
      return disablePatch(world, step.target);
    case 'unload':
      return unloadLivepatch(world, step.target);
    case 'load-module':
      return loadTargetModule(world, step.target);
    case 'unload-module':
      return unloadTargetModule(world, step.target);
  }
}

/** One result per step, with the state after it. A failed step leaves the state as it was. */
export function simulate(steps: SimStep[], options: SimulationOptions = {}): StepResult[] {
  const world = newWorld({
    unloadedTargets: new Set(options.initiallyUnloaded ?? []),
    absentModules: new Set(options.absentModules ?? []),
    stacks: new FuncStacks(),
    countSymbol: options.countSymbol,
    hasFtraceLocation: options.hasFtraceLocation,
    rules: options.rules ?? NEWEST_RULES,
  });
  const log = new SeriesLog(world);
  return steps.map((step, index) => {
    world.stacks.step = index;
    let error: string | null;
    try {
      error = runStep(world, step);
    } catch (err) {
      // Malformed input (e.g. a step read from JSON without its patch) must not throw.
      error = `invalid step: ${errorMessage(err)}`;
    }
    log.record(index, step, error === null);
    return stepResult(log, index, {
      action: step.action,
      target: step.action === 'load' ? (step.patch?.name ?? '') : step.target,
      ok: error === null,
      error,
    });
  });
}
