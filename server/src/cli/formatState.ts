// Output of `klp-lens state`: the JSON form the oracle also writes (with the refusals
// beside its steps), or a readable text. Both say what the checks say will not take effect,
// in the checks' words (checks/verdicts.ts): the one truth the editor shows too.
import type { Analysis } from '../analysis/analyze';
import { refusalsOf, type Refusal } from '../analysis/refusals';
import { checkReason } from '../analysis/roles';
import type { LoadStep } from '../checks/check';
import type { RunningComparison } from '../analysis/running';
import type { StepResult } from '../simulator/types';

type Series = Pick<Analysis, 'results' | 'loads' | 'verdicts'>;

/** `running`: the comparison with a machine (`state --running`), beside the steps. */
export function formatStateJson({ results, loads, verdicts }: Series, running?: RunningComparison): string {
  return JSON.stringify({ steps: results, refusals: loads.flatMap((l) => refusalsOf(l, verdicts)), ...(running ? { running } : {}) }, null, 2) + '\n';
}

const ROLE_WORDS: Record<Refusal['role'], string> = { refused: 'refused by the build', never: 'never patched' };

export function formatStateText({ results, loads, verdicts }: Series): string {
  const out: string[] = [];
  results.forEach((step, i) => {
    out.push(`${i + 1}. ${step.action} ${step.target}: ${step.ok ? 'ok' : `FAILED: ${step.error}`}`);
    // What of the patch this step loads, and of the patches enabled after it, never runs, and why.
    const load = loads.find((l) => l.step === i);
    if (load && !step.ok) out.push(...refusalsOf(load, verdicts).map(refusalText));
    out.push(...stateLines(step));
    for (const held of heldLoads(step, loads, i)) out.push(...refusalsOf(held, verdicts).map(refusalText));
  });
  return out.join('\n') + '\n';
}

/** The patches and functions after a step, one line each. */
export function stateLines(step: StepResult): string[] {
  const out: string[] = [];
  for (const p of step.patches) {
    const state = p.enabled ? 'enabled' : p.replacedBy ? `replaced by ${p.replacedBy}` : 'disabled';
    out.push(`   patch ${p.name}${p.replace ? ' (replace)' : ''}: ${state}`);
  }
  for (const f of step.functions) {
    const runs = f.active ?? 'original';
    const stack = f.stack.length ? ` [stack: ${f.stack.join(' > ')}]` : '';
    out.push(`   ${f.object}:${f.name},${f.sympos} runs ${runs}${stack}`);
  }
  return out;
}

function refusalText(v: Refusal): string {
  const what = v.function ? `${v.function} of ${v.patch}` : v.patch;
  return `   ${what} ${ROLE_WORDS[v.role]}: ${checkReason(v)}`;
}

/** The load of each patch enabled after step `i` (the last load of its name up to then). */
function heldLoads(step: StepResult, loads: readonly LoadStep[], i: number): LoadStep[] {
  return step.patches.flatMap((p) => {
    if (!p.enabled) return [];
    const load = loads.filter((l) => l.step <= i && l.livepatch.name === p.name).at(-1);
    return load ? [load] : [];
  });
}
