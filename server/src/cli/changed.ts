// `klp-lens changed --source TREE [--kernel DIR] PATCH...`: the compile check of each patch
// (compiler/compileCheck.ts) beside klp-lens' static prediction, the compiler's answer first.
import { analyze } from '../analysis/analyze';
import { AnalysisSession } from '../analysis/session';
import { nodeFileSource } from '../common/fileSource';
import { CompileChecker, type CompileCheckResult } from '../compiler/compileCheck';
import { defaultCacheDir } from '../common/cacheDir';
import { compilerAnswerOf } from '../compiler/answer';
import type { CompilerVerdict } from '../model/compilerAnswer';
import { readKernelFile } from '../kernel/compressed';
import type { KernelContext } from '../kernel/types';
import type { CliArgs, Output } from './args';
import { readRegularFile } from '../common/fileRead';

interface Checked {
  result: CompileCheckResult;
  /** Where klp-lens' prediction differs from the compiler. */
  prediction?: { missed: string[]; extra: string[] };
}

export async function changed(args: CliArgs, kernel: KernelContext, out: Output): Promise<number> {
  if (!kernel.sourceDir) {
    out.stderr('klp-lens: changed needs the kernel source tree the patches apply to: give --source DIR\n');
    return 2;
  }
  if (!kernel.configFile) {
    out.stderr("klp-lens: changed needs the target's .config: give --kernel DIR (with .config or config.xz) or --config FILE\n");
    return 2;
  }
  const configText = (await readKernelFile(kernel.configFile)).toString('utf8');
  const checker = new CompileChecker({
    source: kernel.sourceDir,
    configText,
    cacheDir: args.cache ?? defaultCacheDir(),
    progress: (message) => out.stderr(`klp-lens: ${message}\n`),
  });
  const session = await AnalysisSession.create();
  const checked: Checked[] = [];
  for (const file of args.paths) {
    const read = readRegularFile(file, args.limits.textBytes);
    if (!read.ok) {
      out.stderr(`klp-lens: cannot read ${file}: ${read.reason}\n`);
      return 2;
    }
    const text = read.bytes.toString('utf8');
    const result = await checker.check(file, text);
    session.compilerAnswers.set(file, compilerAnswerOf(result, text));
    const verdict = analyze({ paths: [file], kernel, fs: nodeFileSource(), session }).livepatches[0]?.compilerVerdict;
    checked.push({ result, prediction: verdict && !result.error ? disagreement(verdict) : undefined });
  }
  out.stdout(args.format === 'json' ? JSON.stringify({ patches: checked.map(({ result, prediction }) => ({ ...result, prediction })) }, null, 2) + '\n' : checked.map(formatChecked).join('\n'));
  return checked.some((c) => c.result.error || c.result.objects.some((o) => o.error)) ? 1 : 0;
}

function disagreement(v: CompilerVerdict): Checked['prediction'] {
  const names = (list: CompilerVerdict['missed']) => list.map((d) => `${d.object}:${d.name}`).sort();
  return { missed: names(v.missed), extra: names(v.extra) };
}

function formatChecked({ result, prediction }: Checked): string {
  const lines = [`${result.patch}:`];
  if (result.error) lines.push(`  error: ${result.error}`);
  for (const o of result.objects) {
    lines.push(`  ${o.source} → ${o.target} (${o.object})`);
    if (o.error) lines.push(`    error: ${o.error.split('\n').join('\n      ')}`);
    const c = o.changes;
    if (!c) continue;
    const rows: [string, string[]][] = [['changed', c.changed], ['new', c.added], ['removed', c.removed], ['changed data', c.changedData], ['new data', c.addedData]];
    const shown = rows.filter(([, list]) => list.length > 0);
    if (shown.length === 0) lines.push('    no change in the compiled code');
    for (const [what, list] of shown) lines.push(`    ${what}: ${list.join(', ')}`);
  }
  for (const note of result.notes) lines.push(`  note: ${note}`);
  if (prediction) {
    const agrees = prediction.missed.length === 0 && prediction.extra.length === 0;
    lines.push(`  prediction: ${agrees ? 'agrees with the compiler' : 'differs from the compiler'}`);
    if (prediction.missed.length > 0) lines.push(`    missed (the compiler changed them): ${prediction.missed.join(', ')}`);
    if (prediction.extra.length > 0) lines.push(`    extra (the compiler did not change them): ${prediction.extra.join(', ')}`);
  }
  lines.push(`  ${result.seconds.toFixed(1)} s, of which compiling ${result.compileSeconds.toFixed(1)} s`);
  return lines.join('\n') + '\n';
}
