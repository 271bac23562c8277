// The whole engine in one call: plan the series, read every livepatch, simulate
// the series as the livepatch core would load it, and run the checks. The session keeps
// what the next analysis reuses: an edit re-reads only the files it touches (analysis/session.ts).
import type { FileSource } from '../common/fileSource';
import type { Memo } from '../common/memo';
import { errorMessage, problem, type Problem, type Severity } from '../common/problem';
import { FILE_START } from '../common/range';
import { isStaticCheck, type Check, type CheckContext, type LoadStep, type StaticContext, type Verdicts } from '../checks/check';
import { allChecks } from '../checks/index';
import { livepatchExportUses } from '../checks/livepatch-export';
import { verdictsOf } from '../checks/verdicts';
import type { KernelContext } from '../kernel/types';
import type { Livepatch } from '../model/livepatch';
import { planSeries, type PlanItem } from '../model/plan';
import { namingParts } from '../model/suseLayout';
import type { SimStep, StepResult } from '../simulator/types';
import { fileSnapshot } from './fileSnapshot';
import type { AnalysisSession } from './session';
import { toSimPatch } from './toSimPatch';

type ActionItem = Extract<PlanItem, { kind: 'action' }>;

export interface AnalyzeOptions {
  paths: string[];
  seriesFile?: string;
  kernel: KernelContext;
  fs: FileSource;
  session: AnalysisSession;
  /** Per-check severity overrides; 'off' silences a check. */
  severities?: Record<string, Severity | 'off'>;
  checks?: readonly Check[];
}

export interface Analysis {
  plan: PlanItem[];
  livepatches: Livepatch[];
  steps: SimStep[];
  results: StepResult[];
  /** Each load step of a livepatch (the one pairing of steps with livepatches). */
  loads: LoadStep[];
  /** What the static checks say will not take effect (the simulation left it out; every shell shows why). */
  verdicts: Verdicts;
  /** Input problems first (unreadable files, parse errors), then the checks' findings. */
  problems: Problem[];
  /** The session's memo, for what the shells derive from this analysis. */
  memo: Memo;
}

export function analyze(options: AnalyzeOptions): Analysis {
  const { kernel, session } = options;
  const memo = session.memo;
  const fs = fileSnapshot(options.fs);
  const planned = planSeries(options.paths, options.seriesFile, fs);
  const problems: Problem[] = [...planned.problems];
  // Each plan item's livepatch (or its action), in series order.
  const read: Array<Livepatch | ActionItem> = [];
  for (const item of planned.items) {
    if (item.kind === 'action') {
      read.push(item);
      continue;
    }
    const lp = session.livepatches.read(item, { kernel, fs, parser: session.parser, memo, callGraphs: session.callGraphs, compilerAnswers: session.compilerAnswers });
    if ('error' in lp) problems.push(lp.error);
    else {
      read.push(lp);
      problems.push(...lp.problems);
    }
  }
  session.livepatches.prune();
  const livepatches = read.filter((r): r is Livepatch => !('action' in r));

  // The static checks judge the livepatches first: what they refuse, the simulation leaves out.
  const staticCtx: StaticContext = { kernel, livepatches, memo };
  const staticChecks = allChecks.filter(isStaticCheck);
  const judged = new Map<Check, Found>(staticChecks.map((check) => [check, runCheck(check.id, staticCtx, () => check.run(staticCtx))]));
  const verdicts = verdictsOf(
    livepatches,
    staticChecks.flatMap((check) => {
      const found = judged.get(check)!;
      return 'failure' in found ? [] : found.map((problem) => ({ check, problem }));
    }),
    memo,
  );

  const steps: SimStep[] = [];
  const loads: LoadStep[] = [];
  // Without an export there is no use of one: most series have none, and the search reads every reference.
  const livepatchExports = livepatches.some((lp) => lp.exports.length > 0) ? livepatchExportUses(livepatches) : [];
  for (const r of read) {
    if ('action' in r) {
      steps.push({ action: r.action, target: r.target });
      continue;
    }
    const patch = toSimPatch(r, { kernel, memo, verdicts, livepatchExports });
    loads.push({ step: steps.length, livepatch: r, patch });
    steps.push({ action: 'load', patch });
  }

  const results = session.simulations.run(steps, kernel, verdicts);
  const ctx: CheckContext = { ...staticCtx, plan: planned.items, verdicts, steps, results, loads };
  problems.push(...namingParts(runChecks(ctx, options.checks ?? allChecks, options.severities ?? {}, judged), livepatches));
  return { plan: planned.items, livepatches, steps, results, loads, verdicts, problems, memo };
}

/** A check's problems, or the problem saying it failed. */
type Found = Problem[] | { failure: Problem };

/** `run()`, or the problem saying check `id` failed: a bug in one check must not hide the others' findings. */
function runCheck(id: string, ctx: StaticContext, run: () => Problem[]): Found {
  try {
    return run();
  } catch (err) {
    const at = ctx.livepatches[0]?.location ?? { file: '', range: FILE_START };
    return { failure: problem('internal-error', 'error', at, `check ${id} failed: ${errorMessage(err)}`) };
  }
}

/**
 * Runs each check in isolation (a check that throws reports itself instead of losing the
 * others); `done` holds what some of them found already (the static checks, run before the simulation).
 */
export function runChecks(
  ctx: CheckContext,
  checks: readonly Check[],
  severities: Record<string, Severity | 'off'>,
  done: ReadonlyMap<Check, Found> = new Map(),
): Problem[] {
  const out: Problem[] = [];
  for (const check of checks) {
    const override = severities[check.id];
    if (override === 'off') continue;
    const found = done.get(check) ?? runCheck(check.id, ctx, () => check.run(ctx));
    if ('failure' in found) out.push(found.failure);
    else out.push(...(override ? found.map((p) => ({ ...p, severity: override })) : found));
  }
  return out;
}
