// `klp-lens try`: the series run on a real kernel under qemu (oracle/src/trySeries.ts), each
// step's real state printed beside the predicted one, in the `state --format json` form with
// the kernel's log. Exit 0 when every step agrees, 1 when one differs, 2 when it cannot run.
import { ToolError } from '../../../tools/src/toolError';
import { trySeries, type TryReport } from '../../../oracle/src/trySeries';
import { errorMessage } from '../common/problem';
import { defaultCacheDir } from '../common/cacheDir';
import type { CliArgs, Output } from './args';
import { stateLines } from './formatState';

export async function tryInVm(args: CliArgs, out: Output): Promise<number> {
  let report: TryReport;
  try {
    report = await trySeries({
      paths: args.paths,
      seriesFile: args.series,
      release: args.vm.release,
      vmlinuz: args.vm.vmlinuz,
      modulesDir: args.vm.modules,
      buildDir: args.kernel.kernel,
      kos: args.vm.kos,
      cacheDir: args.cache ?? defaultCacheDir(),
      log: (line) => out.stderr(`klp-lens try: ${line}\n`),
    });
  } catch (err) {
    out.stderr(`klp-lens try: ${err instanceof ToolError ? err.message : `internal error: ${errorMessage(err)}`}\n`);
    return 2;
  }
  out.stdout(args.format === 'json' ? JSON.stringify(report, null, 2) + '\n' : formatTryText(report));
  return report.steps.every((s) => s.differences.length === 0) ? 0 : 1;
}

export function formatTryText(report: TryReport): string {
  const out = [`kernel ${report.release}`, ...report.leftOut.map((l) => `left out: ${l}`), ...report.preloadFailures.map((f) => `not loaded before the first step: ${f}`)];
  report.steps.forEach((step, i) => {
    const verdict = step.differences.length === 0 ? 'agree' : 'DIFFER';
    const result = (r: { ok: boolean; error: string | null }) => (r.ok ? 'ok' : `FAILED: ${r.error}`);
    out.push(`${i + 1}. ${step.action} ${step.target}: ${verdict}`, `   predicted: ${result(step.predicted)}`, `   kernel:    ${result(step.kernel)}`);
    out.push(...stateLines(step.kernel));
    for (const d of step.differences) out.push(`   differs: ${d}`);
    for (const line of step.log) out.push(`   log: ${line}`);
  });
  const differ = report.steps.filter((s) => s.differences.length > 0).length;
  out.push(`the VM's sysfs after the last step: ${report.machine} (klp-lens state --running-root reads it)`);
  out.push(differ === 0 ? `all ${report.steps.length} steps agree` : `${differ} of ${report.steps.length} steps differ`);
  return out.join('\n') + '\n';
}
