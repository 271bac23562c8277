// What the oracle runs: scenarios of steps, each replayed on the real kernel and by simulate().
import type { SimPatch, SimStep } from '../../server/src/simulator/types';

/** Reading a file calls a patched function: its first line tells which implementation runs. */
export interface Observation {
  object: string;
  name: string;
  /** As sysfs shows it (0 as 1). */
  sympos: number;
  path: string;
}

/** A step the simulator models, as the harness runs it. */
export interface OracleStep {
  action: SimStep['action'];
  target: string;
  /** Module parameters of a load. */
  args: string[];
  /** The livepatch as klp_enable_patch() will see it (load of a livepatch only). */
  patch?: SimPatch;
  /** Do not wait for the transition to finish (the selftests' load_lp_nowait). */
  nowait?: boolean;
  /** Why the simulator cannot be asked about this step (and those after it). */
  notModelled?: string;
}

/** Something the harness does between steps that is not a simulated step. */
export type HarnessCommand =
  | { kind: 'param'; module: string; param: string; value: string }
  | { kind: 'kmsg-grep'; pattern: string; file: string };

export type ScenarioItem = { step: OracleStep } | { command: HarnessCommand };

export type ScenarioKind = 'selftest' | 'generated' | 'sympos' | 'exported' | 'klp-symbol' | 'try';

export interface Scenario {
  name: string;
  kind: ScenarioKind;
  /** Replays it alone: `npm run oracle -- --seed S --count 1` (generated), or `--only NAME`. */
  reproduce: string;
  items: ScenarioItem[];
  /** Target modules (unloaded at the start; the simulator's initiallyUnloaded). */
  targets: string[];
  /** Modules inserted before the first step, in this order, with no report (`klp-lens try`: the modules the series names). */
  preload?: string[];
  observe: Observation[];
  /** The kernel log the selftest script expects (check_result), when it is a selftest. */
  expectedLog?: string[];
  /** Whenever an observation shows `patch`'s code running, it must read exactly `text` (what the code computes works). */
  expectedOutput?: { patch: string; text: string };
}

export function stepsOf(scenario: Scenario): OracleStep[] {
  return scenario.items.flatMap((item) => ('step' in item ? [item.step] : []));
}

/** The names of the scenario's livepatch modules. */
export function livepatchNames(scenario: Scenario): string[] {
  return [...new Set(stepsOf(scenario).flatMap((s) => (s.patch ? [s.patch.name] : [])))];
}

export function toSimStep(step: OracleStep): SimStep {
  if (step.action === 'load') {
    if (!step.patch) throw new Error(`load of ${step.target} without its patch`);
    return { action: 'load', patch: step.patch };
  }
  return { action: step.action, target: step.target };
}
