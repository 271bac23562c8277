// The session keeps the last simulation and reuses it while the series it simulated is the same
// (analysis/simulationCache.ts): an edit of a function's body simulates nothing again; an edit
// that changes what the livepatch core is given does (that the results then equal a fresh
// analysis's, edit after random edit, is incremental.test.ts's property).
import { beforeAll, expect, it } from 'vitest';
import { generatePatch } from '../../../bench/patchGenerator';
import { analyze } from '../../../server/src/analysis/analyze';
import { toSimPatch } from '../../../server/src/analysis/toSimPatch';
import { AnalysisSession } from '../../../server/src/analysis/session';
import { emptyKernelContext } from '../../../server/src/kernel/types';
import { CParser } from '../../../server/src/syntax/treeSitter';
import { readFixture } from '../../helpers/fixtures';
import { memoryFiles } from '../../helpers/memoryFiles';

let parser: CParser;
beforeAll(async () => {
  parser = await CParser.create();
});

it("reuses the last simulation while the steps are the same, and simulates again when they change", () => {
  const kernel = emptyKernelContext();
  const session = new AnalysisSession(parser);
  const lines = generatePatch(11, 200).text.split('\n');
  const files: Record<string, string> = { '/ws/a.patch': lines.join('\n') };
  const run = () => analyze({ paths: ['/ws'], kernel, fs: memoryFiles(files), session });
  const first = run();
  expect(first.results.length).toBe(1);

  // A statement of a function's body: the same functions, the same steps.
  const body = lines.findIndex((l) => /^\+\s+\S.*;$/.test(l));
  lines[body] = `${lines[body]} /* edited */`;
  files['/ws/a.patch'] = lines.join('\n');
  expect(run().results).toBe(first.results);

  // A second livepatch: a step more.
  files['/ws/b.patch'] = readFixture('checks', 'init-function', 'bad.patch');
  const second = run();
  expect(second.results).not.toBe(first.results);
  expect(second.results).toEqual(analyze({ paths: ['/ws'], kernel: { ...kernel }, fs: memoryFiles(files), session: new AnalysisSession(parser) }).results);
});

it("gives an unchanged livepatch the same patch while what it reads is the same (compared at once), another when a function of it is refused", () => {
  const kernel = emptyKernelContext();
  const session = new AnalysisSession(parser);
  const files: Record<string, string> = { '/ws/a.patch': generatePatch(12, 200).text, '/ws/b.patch': generatePatch(13, 200).text };
  const run = () => analyze({ paths: ['/ws'], kernel, fs: memoryFiles(files), session });
  const first = run();
  files['/ws/a.patch'] = `${files['/ws/a.patch']}\n`;
  const second = run();
  const [load1, load2] = [first, second].map((a) => a.loads.find((l) => l.livepatch.file === '/ws/b.patch')!);
  expect(load2.livepatch).toBe(load1.livepatch);
  expect(load2.patch).toBe(load1.patch);
  // The same livepatch with one of its functions refused by the build: another patch, without it.
  const lp = load2.livepatch;
  const refusedOne = lp.objects[0].funcs[0];
  const verdicts = { ...second.verdicts, functions: new Map([...second.verdicts.functions, [refusedOne, { role: 'refused' as const, problem: second.problems[0] }]]) };
  const session2 = { kernel, memo: session.memo, verdicts };
  const refused = toSimPatch(lp, session2);
  expect(refused).not.toBe(load2.patch);
  expect(refused.objects[0].funcs.map((f) => f.name)).toEqual(lp.objects[0].funcs.slice(1).map((f) => f.name));
  expect(toSimPatch(lp, session2)).toBe(refused);
});
