// The session keeps the last simulation and reuses it while the series it simulated is the same
// (analysis/simulationCache.ts): an edit of a function's body simulates nothing again; an edit
// that changes what the livepatch core is given does (that the results then equal a fresh
// analysis's, edit after random edit, is incremental.test.ts's property).
import { beforeAll, expect, it } from 'vitest';
import { generatePatch } from '../../../bench/patchGenerator';
import { analyze } from '../../../server/src/analysis/analyze';
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
