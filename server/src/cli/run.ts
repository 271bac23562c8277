// `klp-lens`: a thin shell over the engine. Exit 0 clean, 1 when an
// error-severity finding exists, 2 for bad usage or unreadable input.
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { analyze } from '../analysis/analyze';
import { compareWithRunning, describeComparison, differences } from '../analysis/running';
import { readRunning } from '../kernel/running';
import { AnalysisSession } from '../analysis/session';
import { allChecks } from '../checks/index';
import { nodeFileSource } from '../common/fileSource';
import { Memo } from '../common/memo';
import { packageVersion } from '../common/packageRoot';
import type { Problem } from '../common/problem';
import { CacheWrites } from '../kernel/cacheWrites';
import { loadKernelContext } from '../kernel/context';
import { withDefaultKernel } from '../kernel/defaultKernel';
import type { KernelContext } from '../kernel/types';
import { rulesSummary } from '../kernel/capabilities';
import { definedInFile, objectOf } from '../model/objectOfFile';
import { parseCliArgs, USAGE, type CliArgs, type Output } from './args';
import { build } from './build';
import { tryInVm } from './try';
import { changed } from './changed';
import { convert } from './convert';
import { formatCheckJson, formatCheckSarif, formatCheckText, sortProblems } from './formatCheck';
import { formatStateJson, formatStateText } from './formatState';
import { terminalOutput } from './terminalText';
import { readRegularFile } from '../common/fileRead';

export type { Output } from './args';

export async function run(argv: string[], terminal: Output): Promise<number> {
  const out = terminalOutput(terminal);
  const args = parseCliArgs(argv);
  if ('help' in args) {
    out.stdout(USAGE + '\n');
    return 0;
  }
  if ('error' in args) {
    out.stderr(`klp-lens: ${args.error}\n${USAGE.split('\n')[0]}\n`);
    return 2;
  }
  if (args.command === 'convert') return convert(args, out);
  if (args.command === 'build') return build(args, out);
  if (args.command === 'try') return tryInVm(args, out);
  // The kernel's caches are written once the answer is out.
  const writes = new CacheWrites();
  const kernel = await loadKernelContext({ ...withDefaultKernel(args.kernel), cacheWrites: writes });
  try {
    const unreadable = firstUnreadable(kernel.problems);
    if (unreadable) {
      out.stderr(`klp-lens: ${unreadable.message}\n`);
      return 2;
    }
    if (args.command === 'object') return objects(args, kernel, out);
    if (args.command === 'changed') return await changed(args, kernel, out);
    return await series(args, kernel, out);
  } finally {
    writes.flush();
  }
}

function firstUnreadable(problems: Problem[]): Problem | undefined {
  return problems.find((p) => p.code === 'unreadable-input' && p.severity === 'error');
}

function objects(args: CliArgs, kernel: KernelContext, out: Output): number {
  const memo = new Memo();
  const rows = args.paths.map((file) => {
    const read = readRegularFile(file, args.limits.textBytes);
    const text = read.ok ? read.bytes.toString('utf8') : undefined;
    const resolved = objectOf(memo, kernel, treePath(file, kernel), () => definedInFile(file, text ?? ''));
    const unread = resolved.object === 'unknown' && text === undefined && !kernel.kbuild && kernel.objects.size > 0 ? ` (${file} cannot be read here)` : '';
    return { file, object: resolved.object, reason: resolved.reason + unread };
  });
  if (args.format === 'json') out.stdout(JSON.stringify({ objects: rows }, null, 2) + '\n');
  // `unknown` carries its reason as a third column; cut -f2 still reads the object.
  else out.stdout(rows.map((r) => `${r.file}\t${r.object}${r.object === 'unknown' ? `\t${r.reason}` : ''}`).join('\n') + '\n');
  return 0;
}

/**
 * The file as kbuild and the artifacts name it: a file that exists here by its absolute path
 * when the source tree is known, else by its path inside the kernel tree that holds it (the
 * nearest directory above it with a Kbuild and include/linux: arch/x86 has a Kbuild too); any
 * other as given, relative to the tree ('net/sctp/associola.c').
 */
function treePath(file: string, kernel: KernelContext): string {
  if (existsSync(file) && kernel.sourceDir) return path.resolve(file);
  const absolute = path.resolve(file);
  for (let dir = path.dirname(absolute); dir !== path.dirname(dir); dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, 'Kbuild')) && existsSync(path.join(dir, 'include/linux'))) return path.relative(dir, absolute).split(path.sep).join('/');
  }
  return path.normalize(file).split(path.sep).join('/');
}

async function series(args: CliArgs, kernel: KernelContext, out: Output): Promise<number> {
  const session = await AnalysisSession.create();
  const analysis = analyze({ paths: args.paths, seriesFile: args.series, kernel, fs: nodeFileSource(new Map(), args.limits), session });
  const unreadable = firstUnreadable(analysis.problems);
  if (unreadable) {
    out.stderr(`klp-lens: ${unreadable.message}\n`);
    return 2;
  }
  if (args.command === 'state') {
    const machine = args.running === undefined ? undefined : readRunning(nodeFileSource(new Map(), args.limits), args.running);
    const cannotRead = machine?.problems.find((p) => p.severity === 'error');
    if (cannotRead) {
      out.stderr(`klp-lens: ${cannotRead.message}\n`);
      return 2;
    }
    const running = machine && compareWithRunning(analysis.livepatches.map((lp) => lp.name), analysis.results.at(-1), machine);
    const text = () => `${formatStateText(analysis)}${rulesSummary(kernel.capabilities)}\n${running ? describeComparison(running).join('\n') + '\n' : ''}`;
    out.stdout(args.format === 'json' ? formatStateJson(analysis, running) : text());
    return running && differences(running) > 0 ? 1 : 0;
  }
  const problems = sortProblems([...kernel.problems, ...analysis.problems]);
  if (args.format === 'json') out.stdout(formatCheckJson(problems));
  else if (args.format === 'sarif') out.stdout(formatCheckSarif(problems, allChecks, packageVersion()));
  else out.stdout(formatCheckText(problems, rulesSummary(kernel.capabilities)));
  return problems.some((p) => p.severity === 'error') ? 1 : 0;
}
