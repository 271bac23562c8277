// Output of `klp-lens state`: the JSON form the oracle also writes, or a readable text.
import type { StepResult } from '../simulator/types';

export function formatStateJson(results: StepResult[]): string {
  return JSON.stringify({ steps: results }, null, 2) + '\n';
}

export function formatStateText(results: StepResult[]): string {
  const out: string[] = [];
  results.forEach((step, i) => {
    out.push(`${i + 1}. ${step.action} ${step.target}: ${step.ok ? 'ok' : `FAILED: ${step.error}`}`);
    for (const p of step.patches) {
      const state = p.enabled ? 'enabled' : p.replacedBy ? `replaced by ${p.replacedBy}` : 'disabled';
      out.push(`   patch ${p.name}${p.replace ? ' (replace)' : ''}: ${state}`);
    }
    for (const f of step.functions) {
      const runs = f.active ?? 'original';
      const stack = f.stack.length ? ` [stack: ${f.stack.join(' > ')}]` : '';
      out.push(`   ${f.object}:${f.name},${f.sympos} runs ${runs}${stack}`);
    }
  });
  return out.join('\n') + '\n';
}
