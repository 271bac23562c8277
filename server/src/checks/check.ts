import type { Memo } from '../common/memo';
import type { Problem, Severity } from '../common/problem';
import type { Fix } from '../edits/fix';
import type { SourceText } from '../edits/sourceText';
import type { KernelContext } from '../kernel/types';
import type { Livepatch } from '../model/livepatch';
import type { SimPatch, SimStep, StepResult } from '../simulator/types';

/** What every check sees: the kernel, the livepatches in load order, and the simulated series. */
export interface CheckContext {
  kernel: KernelContext;
  /** Every livepatch of the series, in load order (each at most once). */
  livepatches: Livepatch[];
  /** The steps the series asks for, and the simulator's state after each. */
  steps: SimStep[];
  results: StepResult[];
  /** Each load step of a livepatch, in series order: the one pairing of steps with livepatches. */
  loads: LoadStep[];
  /** The session's memo: what a check derives from an input object and keeps for the next analysis. */
  memo: Memo;
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
}
