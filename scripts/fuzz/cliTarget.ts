// The cli target: a workspace case (workspaceCase.ts, hostile entries included) through the
// built command, `node bin/klp-lens.js check|state ...`, in a process with a heap limit, a
// timeout and an RSS bound. Its exit code must be a documented one and its output free of
// stack traces.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { runNode, type Finished } from './bounded';
import { DEBIAN_KERNEL, ROOT } from './corpus';
import { caughtInText, EXIT_CODES, firstLines, hasStackTrace, type Outcome } from './outcome';
import { shellWord, type Target } from './target';
import { argvOf, workspaceCase, writeWorkspace, type WorkspaceCase } from './workspaceCase';

export const KLP_LENS = path.join(ROOT, 'bin/klp-lens.js');

/** A finished command: escaped, over its bounds, or ok with what its safety nets caught. */
export function commandOutcome(run: Finished): Outcome {
  const measured = { ms: run.ms, rssMb: run.peakRssMb };
  if (run.exceeded) return { verdict: 'over-bound', detail: `${run.exceeded.bound} bound passed (${run.exceeded.value.toFixed(0)}); stderr: ${firstLines(run.stderr)}`, ...measured };
  if (run.code === null || !EXIT_CODES.includes(run.code)) return { verdict: 'escaped', detail: `exit ${run.code ?? run.signal}: ${firstLines(run.stderr, 12)}`, ...measured };
  if (hasStackTrace(run.stderr) || hasStackTrace(run.stdout)) return { verdict: 'escaped', detail: `a stack trace: ${firstLines(run.stderr || run.stdout, 12)}`, ...measured };
  return { verdict: 'ok', caught: caughtInText(run.stdout + run.stderr), ...measured };
}

export const cliTarget: Target<WorkspaceCase> = {
  bounds: { ms: 15_000, rssMb: 1024 },
  arbitrary: (corpus) => workspaceCase(corpus, existsSync(DEBIAN_KERNEL), true),
  async run(c) {
    const dir = mkdtempSync(path.join(tmpdir(), 'klp-fuzz-cli-'));
    try {
      writeWorkspace(dir, c.files);
      return commandOutcome(await runNode([KLP_LENS, ...argvOf(c, dir)], this.bounds, { cwd: dir }));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
  save(c, dir) {
    const workspace = path.join(dir, 'workspace');
    writeWorkspace(workspace, c.files);
    return [`node ${shellWord(path.relative(ROOT, KLP_LENS))} ${argvOf(c, workspace).map(shellWord).join(' ')}`];
  },
};
