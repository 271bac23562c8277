// A workspace as a hostile one would be (issue 13): links to devices and to `/`, FIFOs, links
// that fan out, series lines and patch headers that leave the tree. Planned and read on the
// real disk (nodeFileSource): nothing hangs, nothing outside is read, each refusal says why.
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyze } from '../../../server/src/analysis/analyze';
import { AnalysisSession } from '../../../server/src/analysis/session';
import { DEFAULT_LIMITS } from '../../../server/src/common/fileRead';
import { nodeFileSource } from '../../../server/src/common/fileSource';
import { emptyKernelContext } from '../../../server/src/kernel/types';
import { planSeries } from '../../../server/src/model/plan';
import { CParser } from '../../../server/src/syntax/treeSitter';
import { packageRoot } from '../../../server/src/common/packageRoot';

const PATCH = path.join(packageRoot(), 'examples', 'proc-fix.patch');
const tmp = mkdtempSync(path.join(os.tmpdir(), 'klp-hostile-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
let parser: CParser;
beforeAll(async () => {
  parser = await CParser.create();
});

/** A fresh workspace folder holding proc-fix.patch. */
function workspace(name: string): string {
  const dir = path.join(tmp, name);
  mkdirSync(dir, { recursive: true });
  cpSync(PATCH, path.join(dir, 'fix.patch'));
  return dir;
}

const briefProblems = (problems: Array<{ code: string; severity: string; message: string }>, dir: string) =>
  problems.map((p) => `${p.code} ${p.severity}: ${p.message.split(dir).join('WS')}`);

describe('a hostile workspace', () => {
  it('does not follow links out of it: /dev/zero as a patch, / as a folder', () => {
    const dir = workspace('links');
    symlinkSync('/dev/zero', path.join(dir, 'zero.patch'));
    symlinkSync('/', path.join(dir, 'root'));
    const plan = planSeries([dir], undefined, nodeFileSource());
    expect(plan.items.map((i) => i.kind === 'patch' && path.basename(i.file))).toEqual(['fix.patch']);
    expect(briefProblems(plan.problems, dir)).toEqual([
      'outside-workspace warning: WS/root leads to /, outside the workspace: not read',
      'outside-workspace warning: WS/zero.patch leads to /dev/zero, outside the workspace: not read',
    ]);
  });

  it('refuses a FIFO and a device named as a patch, with the reason, without blocking', () => {
    const dir = workspace('fifo');
    execFileSync('mkfifo', [path.join(dir, 'f.patch')]);
    const session = new AnalysisSession(parser);
    const walked = analyze({ paths: [dir], kernel: emptyKernelContext(), fs: nodeFileSource(), session });
    expect(briefProblems(walked.problems.filter((p) => p.code === 'unreadable-input'), dir)).toEqual(['unreadable-input error: cannot read WS/f.patch: is a FIFO, not a regular file']);
    const named = analyze({ paths: ['/dev/zero'], kernel: emptyKernelContext(), fs: nodeFileSource(), session });
    expect(briefProblems(named.problems, dir)).toEqual(['unreadable-input error: cannot read /dev/zero: is a character device, not a regular file']);
  });

  it('refuses a file over the size limit, saying which limit', () => {
    const dir = workspace('large');
    writeFileSync(path.join(dir, 'big.patch'), 'x'.repeat(2048));
    const plan = analyze({ paths: [path.join(dir, 'big.patch')], kernel: emptyKernelContext(), fs: nodeFileSource(new Map(), { ...DEFAULT_LIMITS, textBytes: 1024 }), session: new AnalysisSession(parser) });
    expect(briefProblems(plan.problems, dir)).toEqual(['unreadable-input error: cannot read WS/big.patch: is larger than the limit of 1024 bytes (2048 bytes)']);
  });

  it('walks each real folder once: ten links to the parent end, two links give one livepatch', () => {
    const dir = workspace('fanout');
    mkdirSync(path.join(dir, 'sub'));
    for (let i = 0; i < 10; i++) symlinkSync('..', path.join(dir, 'sub', `up${i}`));
    symlinkSync(path.join(dir, 'fix.patch'), path.join(dir, 'sub', 'again.patch'));
    const plan = planSeries([dir], undefined, nodeFileSource());
    expect(plan.items.map((i) => i.kind === 'patch' && path.relative(dir, i.file))).toEqual(['fix.patch']);
    expect(plan.problems).toEqual([]);
  });

  it('stops a walk after the entry limit, and says so', () => {
    const dir = workspace('many');
    for (let i = 0; i < 30; i++) writeFileSync(path.join(dir, `n${i}.txt`), '');
    const plan = planSeries([dir], undefined, nodeFileSource(new Map(), { ...DEFAULT_LIMITS, workspaceEntries: 10 }));
    expect(briefProblems(plan.problems, dir)).toEqual([
      'unreadable-input warning: stopped looking for livepatches after 10 entries (klpLens.limits.workspaceEntries, --limit-workspace-entries)',
    ]);
  });

  it('does not read the original source a patch header names outside the source tree', () => {
    const dir = workspace('header');
    const secret = path.join(tmp, 'secret');
    mkdirSync(secret, { recursive: true });
    // The hunk does not show the function's name: only the file would tell it.
    writeFileSync(path.join(secret, 'x.c'), 'int hidden_name(void)\n{\n\tint a = 1;\n\tint b = 2;\n\treturn 42;\n}\n');
    const source = path.join(tmp, 'src');
    mkdirSync(source, { recursive: true });
    const hops = path.relative(source, secret).split(path.sep).length;
    const patch = `--- a/${'../'.repeat(hops)}${path.relative('/', secret)}/x.c\n+++ b/${'../'.repeat(hops)}${path.relative('/', secret)}/x.c\n@@ -3,4 +3,4 @@\n \tint a = 1;\n \tint b = 2;\n-\treturn 42;\n+\treturn 43;\n }\n`;
    writeFileSync(path.join(dir, 'fix.patch'), patch);
    const kernel = { ...emptyKernelContext(), sourceDir: source };
    const read = analyze({ paths: [dir], kernel, fs: nodeFileSource(), session: new AnalysisSession(parser) });
    expect(read.problems.map((p) => p.code)).toContain('outside-workspace');
    expect(JSON.stringify(read.livepatches)).not.toContain('hidden_name');
  });
});
