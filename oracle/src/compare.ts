// Compares the kernel's state after each step with simulate()'s.
import { isSimulatedLine } from '../../server/src/simulator/messages';
import type { StepResult } from '../../server/src/simulator/types';
import type { KernelStep } from './kernelState';
import { kernelWarnings } from './kernelState';
import type { OracleStep } from './scenario';

export type StepVerdict =
  | { kind: 'agree' }
  | { kind: 'mismatch'; differences: string[] }
  | { kind: 'skipped'; reason: string };

/** Lines of a simulator error that the kernel logs (the others are insmod's, rmmod's or the shell's). */
function simulatedKernelLines(error: string | null): string[] {
  return (error ?? '')
    .split('\n')
    .filter((l) => l && !/^(insmod|rmmod|bash): /.test(l) && !l.includes(' is a livepatch module: '));
}

export function compareStep(kernel: KernelStep, sim: StepResult): string[] {
  const differences: string[] = [];
  if (!kernel.settled) differences.push('the kernel did not finish the transition (or free a disabled patch) within 30 s');
  if (kernel.result.ok !== sim.ok) differences.push(`ok: kernel ${kernel.result.ok}, simulator ${sim.ok}`);
  if (JSON.stringify(kernel.result.patches) !== JSON.stringify(sim.patches)) differences.push('patches differ');
  if (JSON.stringify(kernel.result.functions) !== JSON.stringify(sim.functions)) differences.push('functions differ');
  const logged = kernel.log.filter((l) => l.facility === 0).map((l) => l.text);
  const simulated = simulatedKernelLines(sim.error);
  for (const line of simulated) {
    if (!logged.some((l) => isSimulatedLine(line, l))) differences.push(`the simulator's line is not in the kernel log: ${line}`);
  }
  for (const line of kernelWarnings(kernel.log)) {
    if (!simulated.some((s) => isSimulatedLine(s, line.text))) differences.push(`the kernel's warning is not in the simulator's message: ${line.text}`);
  }
  return differences;
}

export interface ScenarioComparison {
  verdicts: StepVerdict[];
  /** The simulator's state after each step it was asked about (null for a skipped step). */
  simulator: Array<StepResult | null>;
}

/**
 * One verdict per step. A step the simulator cannot model is left out of the simulated
 * series when it failed in the kernel (a refused insmod changes nothing there), and the
 * comparison goes on; when it succeeded, it and every step after it are skipped.
 */
export function compareScenario(steps: OracleStep[], kernel: KernelStep[], simulateSteps: (steps: OracleStep[]) => StepResult[]): ScenarioComparison {
  const asked: OracleStep[] = [];
  const askedIndex: Array<number | undefined> = [];
  let stoppedBy: string | undefined;
  steps.forEach((step, i) => {
    if (stoppedBy) return;
    if (!step.notModelled) askedIndex[i] = asked.push(step) - 1;
    else if (kernel[i].result.ok) stoppedBy = step.notModelled;
  });
  const results = simulateSteps(asked);
  const simulator = steps.map((_, i) => (askedIndex[i] === undefined ? null : results[askedIndex[i]]));
  const verdicts = steps.map((step, i): StepVerdict => {
    const sim = simulator[i];
    if (!sim) return { kind: 'skipped', reason: step.notModelled ?? stoppedBy ?? '' };
    const differences = compareStep(kernel[i], sim);
    return differences.length === 0 ? { kind: 'agree' } : { kind: 'mismatch', differences };
  });
  return { verdicts, simulator };
}
