// Reading the check fixtures of hand-written modules into the model, and a CheckContext for them.
import { Memo } from '../../../../server/src/common/memo';
import type { CheckContext } from '../../../../server/src/checks/check';
import { verdictsOf } from '../../../../server/src/checks/verdicts';
import { emptyKernelContext, type KernelContext } from '../../../../server/src/kernel/types';
import type { Livepatch } from '../../../../server/src/model/livepatch';
import { livepatchFromModule } from '../../../../server/src/model/fromModule';
import { CParser } from '../../../../server/src/syntax/treeSitter';
import { fixturePath, readFixture } from '../../../helpers/fixtures';

let parser: Promise<CParser> | undefined;

/** test/fixtures/checks/<check>/<file>, read as a module named after the file ('-' as '_'). */
export async function moduleFixture(check: string, file: string): Promise<Livepatch> {
  parser ??= CParser.create();
  const name = file.replace(/\.c$/, '').replace(/-/g, '_');
  return livepatchFromModule(await parser, readFixture('checks', check, file), fixturePath('checks', check, file), { name });
}

export function context(livepatches: Livepatch[], kernel: KernelContext = emptyKernelContext()): CheckContext {
  return { kernel, livepatches, plan: [], steps: [], results: [], loads: [], verdicts: verdictsOf(livepatches, []), memo: new Memo() };
}

/** The text a problem's range covers in a fixture (one line). */
export function textAt(check: string, file: string, range: { start: { line: number; character: number }; end: { line: number; character: number } }): string {
  const line = readFixture('checks', check, file).split('\n')[range.start.line];
  return line.slice(range.start.character, range.start.line === range.end.line ? range.end.character : undefined);
}
