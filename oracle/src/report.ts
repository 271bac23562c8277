// An oracle run's report (runOracle's result) and what `npm run oracle` prints of it:
// agreement per scenario, every mismatch with both states and the command that replays it,
// and last `agreement: N/M steps`.
import type { StepResult } from '../../server/src/simulator/types';
import type { StepVerdict } from './compare';
import type { KernelStep } from './kernelState';
import type { Scenario } from './scenario';

export interface ScenarioOutcome {
  scenario: Scenario;
  verdicts: StepVerdict[];
  kernel: KernelStep[];
  /** The simulator's state after each step (null where it was not asked). */
  simulator: Array<StepResult | null>;
  /** Problems that are not one step's: the selftest log, the check's finding, a missing record. */
  problems: string[];
  leftover: string[];
}

export interface OracleReport {
  release: string;
  outcomes: ScenarioOutcome[];
  /** Milliseconds per phase. */
  timings: Record<string, number>;
  skippedSelftests: boolean;
}

export interface Totals {
  agreed: number;
  compared: number;
  skipped: number;
  failedScenarios: number;
}

export function totals(report: OracleReport): Totals {
  const t: Totals = { agreed: 0, compared: 0, skipped: 0, failedScenarios: 0 };
  for (const o of report.outcomes) {
    for (const v of o.verdicts) {
      if (v.kind === 'skipped') t.skipped++;
      else t.compared++;
      if (v.kind === 'agree') t.agreed++;
    }
    if (!passed(o)) t.failedScenarios++;
  }
  return t;
}

export const passed = (o: ScenarioOutcome) => o.problems.length === 0 && o.verdicts.every((v) => v.kind !== 'mismatch');

export function formatReport(report: OracleReport): string {
  const out: string[] = [`kernel ${report.release}`];
  if (report.skippedSelftests) out.push('selftests: skipped (../shared is absent)');
  for (const o of report.outcomes) {
    const agreed = o.verdicts.filter((v) => v.kind === 'agree').length;
    const compared = o.verdicts.filter((v) => v.kind !== 'skipped').length;
    const skipped = o.verdicts.length - compared;
    out.push(`${passed(o) ? 'ok  ' : 'FAIL'} ${o.scenario.name}: ${agreed}/${compared} steps agree${skipped ? `, ${skipped} not modelled` : ''}`);
    o.verdicts.forEach((v, i) => {
      if (v.kind !== 'mismatch') return;
      const step = o.kernel[i]?.result;
      out.push(`  mismatch at step ${i + 1} (${describeStep(o, i)}); replay: ${o.scenario.reproduce}`);
      for (const d of v.differences) out.push(`    - ${d}`);
      out.push(`    kernel:    ${step ? stateJson(step) : '(none)'}`);
      const sim = o.simulator[i];
      out.push(`    simulator: ${sim ? stateJson(sim) : '(none)'}`);
    });
    for (const p of o.problems) out.push(`  ${p}; replay: ${o.scenario.reproduce}`);
    o.verdicts.forEach((v, i) => {
      if (v.kind === 'skipped' && (i === 0 || o.verdicts[i - 1].kind !== 'skipped')) out.push(`  not compared from step ${i + 1}: ${v.reason}`);
    });
    if (o.leftover.length > 0) out.push(`  the end-of-scenario reset still had to: ${o.leftover.join(' ')}`);
  }
  const t = totals(report);
  const seconds = Object.entries(report.timings).map(([k, ms]) => `${k} ${(ms / 1000).toFixed(1)} s`);
  out.push(`time: ${seconds.join(', ')}`);
  if (t.skipped > 0) out.push(`not modelled: ${t.skipped} steps (not compared)`);
  out.push(`scenarios: ${report.outcomes.length - t.failedScenarios}/${report.outcomes.length} pass`);
  out.push(`agreement: ${t.agreed}/${t.compared} steps`);
  return out.join('\n') + '\n';
}

function describeStep(o: ScenarioOutcome, i: number): string {
  const step = o.scenario.items.flatMap((it) => ('step' in it ? [it.step] : []))[i];
  return [step.action, step.target, ...step.args].join(' ');
}

function stateJson(r: StepResult): string {
  return JSON.stringify({ ok: r.ok, error: r.error, patches: r.patches, functions: r.functions });
}
