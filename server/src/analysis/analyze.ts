// The whole engine in one call: plan the series, read every livepatch, simulate
// the series as the livepatch core would load it, and run the checks. The session keeps
// what the next analysis reuses: an edit re-reads only the files it touches (analysis/session.ts).
import type { FileSource } from '../common/fileSource';
import type { Memo } from '../common/memo';
import { errorMessage, problem, type Problem, type Severity } from '../common/problem';
import { FILE_START } from '../common/range';
import type { Check, CheckContext, LoadStep } from '../checks/check';
import { allChecks } from '../checks/index';
import type { KernelContext } from '../kernel/types';
import type { Livepatch } from '../model/livepatch';
import { planSeries, type PlanItem } from '../model/plan';
import { simulate } from '../simulator/simulate';
import type { SimStep, StepResult } from '../simulator/types';
import { fileSnapshot } from './fileSnapshot';
import type { AnalysisSession } from './session';
import { toSimPatch } from './toSimPatch';

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
  /** Input problems first (unreadable files, parse errors), then the checks' findings. */
  problems: Problem[];
  /** The session's memo, for what the shells derive from this analysis. */
  memo: Memo;
}

export function analyze(options: AnalyzeOptions): Analysis {
  const { kernel, session } = options;
  const fs = fileSnapshot(options.fs);
  const planned = planSeries(options.paths, options.seriesFile, fs);
  const problems: Problem[] = [...planned.problems];
  const livepatches: Livepatch[] = [];
  const steps: SimStep[] = [];
  const loads: LoadStep[] = [];

  for (const item of planned.items) {
    if (item.kind === 'action') {
      steps.push({ action: item.action, target: item.target });
      continue;
    }
    const read = session.livepatches.read(item, { kernel, fs, parser: session.parser, memo: session.memo, callGraphs: session.callGraphs });
    if ('error' in read) {
      problems.push(read.error);
      continue;
    }
    problems.push(...read.problems);
    livepatches.push(read);
    const patch = toSimPatch(read, { kernel, memo: session.memo });
    loads.push({ step: steps.length, livepatch: read, patch });
    steps.push({ action: 'load', patch });
  }

  session.livepatches.prune();

  const results = simulate(steps, {
    // A known table without the name counts 0 (klp_find_object_symbol() refuses it); an unknown table, undefined.
    countSymbol: (object, name) => {
      const table = kernel.objects.get(object);
      return table ? (table.byName.get(name)?.length ?? 0) : undefined;
    },
  });
  const ctx: CheckContext = { kernel, livepatches, steps, results, loads, memo: session.memo };
  problems.push(...runChecks(ctx, options.checks ?? allChecks, options.severities ?? {}));
  return { plan: planned.items, livepatches, steps, results, loads, problems, memo: session.memo };
}

/** Runs each check in isolation: a check that throws reports itself instead of losing the others. */
export function runChecks(
  ctx: CheckContext,
  checks: readonly Check[],
  severities: Record<string, Severity | 'off'>,
): Problem[] {
  const out: Problem[] = [];
  for (const check of checks) {
    const override = severities[check.id];
    if (override === 'off') continue;
    let found: Problem[];
    try {
      found = check.run(ctx);
    } catch (err) {
      // A bug in one check must not hide the others' findings.
      const at = ctx.livepatches[0]?.location ?? { file: '', range: FILE_START };
      out.push(problem('internal-error', 'error', at, `check ${check.id} failed: ${errorMessage(err)}`));
      continue;
    }
    out.push(...(override ? found.map((p) => ({ ...p, severity: override })) : found));
  }
  return out;
}
