// Every check's fixture folder, through the whole engine (plan, read, simulate, check):
// the diagnostics must be exactly those recorded in its `expected` file, which a person
// reviewed. UPDATE_FIXTURES=1 rewrites the files after a deliberate change.
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { analyze } from '../../../server/src/analysis/analyze';
import { AnalysisSession } from '../../../server/src/analysis/session';
import { sortProblems } from '../../../server/src/cli/formatCheck';
import { nodeFileSource } from '../../../server/src/common/fileSource';
import { loadKernelContext } from '../../../server/src/kernel/context';
import type { CompilerAnswer } from '../../../server/src/model/compilerAnswer';
import { CParser } from '../../../server/src/syntax/treeSitter';
import { fixturePath } from '../../helpers/fixtures';

const ROOT = fixturePath('checks');
const dirs = readdirSync(ROOT).filter((d) => !d.startsWith('.')).sort();

let parser: CParser;
beforeAll(async () => {
  parser = await CParser.create();
});

/** Analyzes a folder with a series as one series; without one, each livepatch in it on its own. */
async function diagnose(dir: string): Promise<string> {
  const kernelDir = path.join(dir, 'kernel');
  const kernel = await loadKernelContext(existsSync(kernelDir) ? { kernel: kernelDir } : {});
  const runs = existsSync(path.join(dir, 'series'))
    ? [[dir]]
    : readdirSync(dir)
        .filter((f) => /\.(patch|diff|c|csv)$/.test(f))
        .sort()
        .map((f) => [path.join(dir, f)]);
  const problems = runs.flatMap((paths) => analyze({ paths, kernel, fs: nodeFileSource(), session: withCompilerAnswers(new AnalysisSession(parser), dir) }).problems);
  return (
    sortProblems([...kernel.problems, ...problems])
      .map((p) => `${path.relative(dir, p.file)}:${p.range.start.line + 1}:${p.range.start.character + 1} ${p.severity} ${p.code}`)
      .join('\n') + '\n'
  );
}

/** The compiler's answers a fixture gives in compiler.json (by patch file name), as "Verify with the compiler" leaves them in the session. */
function withCompilerAnswers(session: AnalysisSession, dir: string): AnalysisSession {
  const file = path.join(dir, 'compiler.json');
  if (!existsSync(file)) return session;
  const answers = JSON.parse(readFileSync(file, 'utf8')) as Record<string, Omit<CompilerAnswer, 'patchText'>>;
  for (const [patch, answer] of Object.entries(answers)) {
    const patchFile = path.join(dir, patch);
    session.compilerAnswers.set(patchFile, { ...answer, patchText: readFileSync(patchFile, 'utf8') });
  }
  return session;
}

describe('check fixtures through the whole engine', () => {
  it.each(dirs)('%s', async (id) => {
    const dir = path.join(ROOT, id);
    const got = await diagnose(dir);
    const expectedFile = path.join(dir, 'expected');
    if (process.env.UPDATE_FIXTURES) writeFileSync(expectedFile, got);
    expect(got).toBe(readFileSync(expectedFile, 'utf8'));
    // The folder exists to show its check: it must fire there.
    expect(got).toContain(` ${id}\n`);
  });
});
