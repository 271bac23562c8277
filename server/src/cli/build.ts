// `klp-lens build [--kernel BUILD_DIR] [--output DIR] MODULE.c...`: hand-written livepatch
// modules built with the kernel's kbuild and converted (compiler/moduleBuild.ts); the
// compiler's and modpost's complaints printed as findings at their lines.
import { existsSync } from 'node:fs';
import { release } from 'node:os';
import * as path from 'node:path';
import { buildModules } from '../compiler/moduleBuild';
import { defaultCacheDir } from '../common/cacheDir';
import type { CliArgs, Output } from './args';
import { formatCheckText, sortProblems } from './formatCheck';

export async function build(args: CliArgs, out: Output): Promise<number> {
  const buildDir = args.kernel.kernel ?? `/lib/modules/${release()}/build`;
  const missing = args.paths.find((p) => !existsSync(p));
  if (missing) {
    out.stderr(`klp-lens: cannot read ${missing}\n`);
    return 2;
  }
  const result = await buildModules({ buildDir, sources: args.paths, cacheDir: args.cache ?? defaultCacheDir(), outputDir: args.output });
  const problems = sortProblems(result.problems);
  if (problems.length > 0) out.stdout(formatCheckText(problems));
  for (const m of result.modules) {
    if (!m.ko) continue;
    const klp = m.klpSymbols.length > 0 ? `, ${m.klpSymbols.length} klp symbol${m.klpSymbols.length === 1 ? '' : 's'} converted (${m.klpSymbols.join(', ')})` : '';
    out.stdout(`${path.relative(process.cwd(), m.ko) || m.ko}: built against ${buildDir}${klp}\n`);
  }
  return problems.some((p) => p.severity === 'error') || result.modules.some((m) => !m.ko) ? 1 : 0;
}
