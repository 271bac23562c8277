// Generated scenarios: from one seed, livepatches that patch random subsets of the pool
// with random replace flags and states, loaded, disabled and unloaded in a random order
// among target module loads and unloads; the scenario ends by disabling and unloading
// everything. A few steps are meant to fail (a name already loaded, an ambiguous or missing
// symbol, a duplicated function, an incompatible state, an enabled patch unloaded).
import { shownSympos } from '../../server/src/model/identity';
import { simulate } from '../../server/src/simulator/simulate';
import type { SimState, StepResult } from '../../server/src/simulator/types';
import { genericLoad, type FuncEntry } from './genericPatch';
import { LIVEPATCH_NAMES, TARGET_IDS, targetName } from './modules';
import { observationOf, POOL, poolSymbolCount } from './pool';
import { Prng } from './prng';
import { toSimStep, type Observation, type OracleStep, type Scenario } from './scenario';

const TARGETS = TARGET_IDS.map(targetName);
/** A name no object defines: "symbol not found". */
const MISSING_FUNCTION = 'klp_oracle_no_such_function';

export function generatedScenario(seed: number): Scenario {
  const rng = new Prng(seed);
  const steps: OracleStep[] = [];
  const stateAfter = (): StepResult | undefined => simulate(steps.map(toSimStep), { initiallyUnloaded: TARGETS, countSymbol: poolSymbolCount }).pop();
  const loadedTargets = new Set<string>();
  const count = rng.int(3, 10);
  while (steps.length < count) {
    const state = stateAfter();
    const step = nextStep(rng, state, loadedTargets);
    steps.push(step);
    // The generator picks the next step from the simulator's view (with the pool's symbol
    // tables); the oracle then asks the kernel whether that view holds.
    const ok = stateAfter()?.ok ?? false;
    if (ok && step.action === 'load-module') loadedTargets.add(step.target);
    if (ok && step.action === 'unload-module') loadedTargets.delete(step.target);
  }
  steps.push(...cleanup(stateAfter(), loadedTargets));
  return {
    name: `gen-${seed}`,
    kind: 'generated',
    reproduce: `npm run oracle -- --seed ${seed} --count 1`,
    items: steps.map((step) => ({ step })),
    targets: TARGETS,
    observe: observations(steps),
  };
}

function nextStep(rng: Prng, state: StepResult | undefined, loadedTargets: Set<string>): OracleStep {
  const patches = state?.patches ?? [];
  const enabled = patches.filter((p) => p.enabled).map((p) => p.name);
  const disabled = patches.filter((p) => !p.enabled).map((p) => p.name);
  const loaded = patches.map((p) => p.name);
  const free = LIVEPATCH_NAMES.filter((n) => !loaded.includes(n));
  const roll = rng.next();
  if (roll < 0.4 || loaded.length === 0) {
    const name = free.length === 0 || rng.chance(0.04) ? rng.pick(LIVEPATCH_NAMES) : rng.pick(free);
    return loadStep(rng, name);
  }
  if (roll < 0.58) {
    const name = enabled.length > 0 && !rng.chance(0.1) ? rng.pick(enabled) : rng.pick(loaded);
    return { action: 'disable', target: name, args: [] };
  }
  if (roll < 0.76) {
    const name = disabled.length > 0 && !rng.chance(0.25) ? rng.pick(disabled) : rng.pick(loaded);
    return { action: 'unload', target: name, args: [] };
  }
  const loadedList = [...loadedTargets];
  const unloaded = TARGETS.filter((t) => !loadedTargets.has(t));
  if (roll < 0.9 || loadedList.length === 0) {
    const target = unloaded.length > 0 && !rng.chance(0.1) ? rng.pick(unloaded) : rng.pick(TARGETS);
    return { action: 'load-module', target, args: [] };
  }
  const target = !rng.chance(0.1) ? rng.pick(loadedList) : rng.pick(TARGETS);
  return { action: 'unload-module', target, args: [] };
}

function loadStep(rng: Prng, name: string): OracleStep {
  const entries = POOL.flatMap((fn) => fn.files.map((_, i) => ({ fn, position: i + 1 })));
  const funcs: FuncEntry[] = rng.sample(entries, rng.int(1, 4)).map(({ fn, position }) => ({
    object: fn.object,
    name: fn.name,
    // A unique name resolves with 0 or 1.
    sympos: fn.files.length === 1 ? rng.int(0, 1) : position,
  }));
  if (rng.chance(0.1)) funcs.push(fault(rng, funcs));
  const states: SimState[] = rng.chance(0.4)
    ? rng.sample([1, 2, 3], rng.int(1, 2)).map((id) => ({ id, version: rng.int(1, 3) }))
    : [];
  return genericLoad(name, funcs, { replace: rng.chance(0.35), states });
}

/** A function entry the kernel refuses: ambiguous, past the end, missing, or a duplicate. */
function fault(rng: Prng, funcs: FuncEntry[]): FuncEntry {
  const object = rng.pick(['vmlinux', ...TARGETS]);
  const dupName = object === 'vmlinux' ? 'seq_show' : 'dup_show';
  switch (rng.int(0, 3)) {
    case 0:
      return { object, name: dupName, sympos: 0 };
    case 1:
      return { object, name: dupName, sympos: 3 };
    case 2:
      return { object, name: MISSING_FUNCTION, sympos: 0 };
    default: {
      // The same function again, with 0 where it had 1 or the other way round: one sysfs name.
      const first = funcs[0];
      return { ...first, sympos: first.sympos === 0 ? 1 : first.sympos === 1 ? 0 : first.sympos };
    }
  }
}

/** Disable what is enabled (newest first), unload every livepatch, then the targets. */
function cleanup(state: StepResult | undefined, loadedTargets: Set<string>): OracleStep[] {
  const patches = state?.patches ?? [];
  const enabled = patches.filter((p) => p.enabled).reverse();
  return [
    ...enabled.map((p): OracleStep => ({ action: 'disable', target: p.name, args: [] })),
    ...patches.map((p): OracleStep => ({ action: 'unload', target: p.name, args: [] })),
    ...[...loadedTargets].map((t): OracleStep => ({ action: 'unload-module', target: t, args: [] })),
  ];
}

/** Every pool function any patch of the steps names, with its file. */
export function observations(steps: OracleStep[]): Observation[] {
  const seen = new Map<string, Observation>();
  for (const step of steps) {
    for (const obj of step.patch?.objects ?? []) {
      for (const f of obj.funcs) {
        const o = observationOf(obj.name, f.name, shownSympos(f.sympos));
        if (o) seen.set(`${o.object}:${o.name}:${o.sympos}`, o);
      }
    }
  }
  return [...seen.values()];
}
