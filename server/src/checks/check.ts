import type { Memo } from '../common/memo';
import type { Problem, Severity } from '../common/problem';
import type { Fix } from '../edits/fix';
import type { SourceText } from '../edits/sourceText';
import type { KernelContext } from '../kernel/types';
import type { PlanItem } from '../model/plan';
import type { Livepatch, PatchedFunction } from '../model/livepatch';
import type { SimPatch, SimStep, StepResult } from '../simulator/types';

/** What a static check sees: the kernel and the livepatches, before the series is simulated. */
export interface StaticContext {
  kernel: KernelContext;
  /** Every livepatch of the series, in load order (each at most once). */
  livepatches: Livepatch[];
  /** The session's memo: what a check derives from an input object and keeps for the next analysis. */
  memo: Memo;
}

/** What every other check sees: the static checks' verdicts and the simulated series too. */
export interface CheckContext extends StaticContext {
  /** The series as planned: its livepatches and its action lines (disable, unload, load-module, unload-module), in order. */
  plan: readonly PlanItem[];
  /** What the static checks say will not take effect (the simulation already left it out). */
  verdicts: Verdicts;
  /** The steps the series asks for, and the simulator's state after each. */
  steps: SimStep[];
  results: StepResult[];
  /** Each load step of a livepatch, in series order: the one pairing of steps with livepatches. */
  loads: LoadStep[];
}

/** A load step and the livepatch it loads. */
export interface LoadStep {
  /** Index of the step in `steps` (and of its result in `results`). */
  step: number;
  livepatch: Livepatch;
  /** What the livepatch core was given for it. */
  patch: SimPatch;
}

/** A check whose problems carry data of type `D` (its own, declared in its file). */
export interface Check<D = unknown> {
  /** The diagnostic code, e.g. 'overlapping-function'. */
  id: string;
  /** Default severity (a setting can change it). */
  severity: Severity;
  /** One line, for lists. */
  title: string;
  /** A paragraph of documentation, shown by the hover and the README. */
  doc: string;
  run(ctx: CheckContext): Problem<D>[];
  /**
   * The quick fixes of one of its problems, as edits of `source`, the current text of
   * problem.file: none when the text no longer holds at the problem's range what the check saw
   * there (the document changed since). Called through fixesFor() (index.ts).
   */
  fix?(problem: Problem<D>, source: SourceText): Fix[];
  /** The kind of file its fixes edit: a hand-written module's C source (the default), a patch diff, or the series file. */
  fixes?: 'diff' | 'series';
}

/** What a static check's problem says will not take effect. */
export type Verdict =
  /** The build tools make no module of the patch diff the problem is in. */
  | { refuses: 'patch' }
  /** The build tools leave the function `name` of the kernel source file `file` out of the module. */
  | { refuses: 'function'; file: string; name: string }
  /** The object the problem points at matches no module that ever loads: its functions are never patched. */
  | { refuses: 'object' };

/**
 * A check that judges the livepatches before they load (as the build tools, or the object
 * names against the kernel's modules): it runs before the simulation, which leaves out what
 * its verdicts refuse, so that the state and the check say the same (checks/verdicts.ts).
 */
export interface StaticCheck<D = unknown> extends Check<D> {
  run(ctx: StaticContext): Problem<D>[];
  /** What `problem` says will not take effect; undefined when it says nothing of the kind. */
  verdict(problem: Problem<D>): Verdict | undefined;
}

/** Why a function of a livepatch never runs: the build leaves it out ('refused'), or its object never loads ('never'). */
export interface FunctionVerdict {
  role: 'refused' | 'never';
  /** The problem that says so, in the words every shell shows. */
  problem: Problem;
}

/** What will not take effect, decided once per analysis from the static checks' problems (checks/verdicts.ts). */
export interface Verdicts {
  /** Why the build tools make no module of a livepatch: the first problem that says so. */
  unbuilt: ReadonlyMap<Livepatch, Problem>;
  /** Why a klp_func (of one livepatch) never runs, whatever the series does. */
  functions: ReadonlyMap<PatchedFunction, FunctionVerdict>;
  /** The module names of objects that match no module of the kernel (for the simulator). */
  absentModules: readonly string[];
}

/** The verdict of the checks whose every problem says the build tools refuse the patch diff. */
export const refusesThePatch = (): Verdict => ({ refuses: 'patch' });

export function isStaticCheck(check: Check): check is StaticCheck {
  return 'verdict' in check;
}
