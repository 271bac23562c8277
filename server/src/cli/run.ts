// `klp-lens`: a thin shell over the engine. Exit 0 clean, 1 when an
// error-severity finding exists, 2 for bad usage or unreadable input.
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { analyze } from '../analysis/analyze';
import { AnalysisSession } from '../analysis/session';
import { allChecks } from '../checks/index';
import { nodeFileSource } from '../common/fileSource';
import { Memo } from '../common/memo';
import { packageVersion } from '../common/packageRoot';
import type { Problem } from '../common/problem';
import { loadKernelContext } from '../kernel/context';
import { withDefaultKernel } from '../kernel/defaultKernel';
import { singleFileModule } from '../kernel/moduleSources';
import type { KernelContext } from '../kernel/types';
import { parseCliArgs, USAGE, type CliArgs, type Output } from './args';
import { changed } from './changed';
import { formatCheckJson, formatCheckSarif, formatCheckText, sortProblems } from './formatCheck';
import { formatStateJson, formatStateText } from './formatState';

export type { Output } from './args';

export async function run(argv: string[], out: Output): Promise<number> {
  const args = parseCliArgs(argv);
  if ('help' in args) {
    out.stdout(USAGE + '\n');
    return 0;
  }
  if ('error' in args) {
    out.stderr(`klp-lens: ${args.error}\n${USAGE.split('\n')[0]}\n`);
    return 2;
  }
  const kernel = await loadKernelContext(withDefaultKernel(args.kernel));
  const unreadable = firstUnreadable(kernel.problems);
  if (unreadable) {
    out.stderr(`klp-lens: ${unreadable.message}\n`);
    return 2;
  }
  if (args.command === 'object') return objects(args, kernel, out);
  if (args.command === 'changed') return changed(args, kernel, out);
  return series(args, kernel, out);
}

function firstUnreadable(problems: Problem[]): Problem | undefined {
  return problems.find((p) => p.code === 'unreadable-input' && p.severity === 'error');
}

function objects(args: CliArgs, kernel: KernelContext, out: Output): number {
  const memo = new Memo();
  const rows = args.paths.map((file) => {
    // A file that exists here is resolved by its absolute path; otherwise it is read as relative to the source tree.
    const target = existsSync(file) ? path.resolve(file) : file;
    const resolved = kernel.kbuild?.resolve(target) ?? fromArtifacts(memo, kernel, file);
    return { file, object: resolved.object, reason: resolved.reason };
  });
  if (args.format === 'json') out.stdout(JSON.stringify({ objects: rows }, null, 2) + '\n');
  // `unknown` carries its reason as a third column; cut -f2 still reads the object.
  else out.stdout(rows.map((r) => `${r.file}\t${r.object}${r.object === 'unknown' ? `\t${r.reason}` : ''}`).join('\n') + '\n');
  return 0;
}

/** Without a source tree: the module the kernel's artifacts say is built from the file alone, else unknown. */
function fromArtifacts(memo: Memo, kernel: KernelContext, file: string): { object: string; reason: string } {
  const found = singleFileModule(memo, kernel, file);
  if (found) return found;
  const hasArtifacts = kernel.exports.size > 0 || kernel.modules.size > 0;
  return {
    object: 'unknown',
    reason: hasArtifacts
      ? "no kernel source tree, and the kernel's module lists and Module.symvers name no module built from this file alone: give --source DIR"
      : 'no kernel source tree: give --source DIR or --kernel DIR',
  };
}

async function series(args: CliArgs, kernel: KernelContext, out: Output): Promise<number> {
  const session = await AnalysisSession.create();
  const analysis = analyze({ paths: args.paths, seriesFile: args.series, kernel, fs: nodeFileSource(), session });
  const unreadable = firstUnreadable(analysis.problems);
  if (unreadable) {
    out.stderr(`klp-lens: ${unreadable.message}\n`);
    return 2;
  }
  if (args.command === 'state') {
    out.stdout(args.format === 'json' ? formatStateJson(analysis.results) : formatStateText(analysis.results));
    return 0;
  }
  const problems = sortProblems([...kernel.problems, ...analysis.problems]);
  if (args.format === 'json') out.stdout(formatCheckJson(problems));
  else if (args.format === 'sarif') out.stdout(formatCheckSarif(problems, allChecks, packageVersion()));
  else out.stdout(formatCheckText(problems));
  return problems.some((p) => p.severity === 'error') ? 1 : 0;
}
