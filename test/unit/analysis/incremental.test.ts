// The whole analysis as the language server runs it at every edit (one AnalysisSession, the
// same kernel, so that every per-file cache and the checks' caches are warm) finds what a
// fresh analysis finds (a new session, another kernel object), edit after random edit.
import fc from 'fast-check';
import { beforeAll, expect, it } from 'vitest';
import { generatePatch } from '../../../bench/patchGenerator';
import { analyze } from '../../../server/src/analysis/analyze';
import { AnalysisSession } from '../../../server/src/analysis/session';
import type { KernelContext } from '../../../server/src/kernel/types';
import { CParser } from '../../../server/src/syntax/treeSitter';
import { kernel as kernelWith } from '../../helpers/builders';
import { readFixture } from '../../helpers/fixtures';
import { memoryFiles } from '../../helpers/memoryFiles';

let parser: CParser;
beforeAll(async () => {
  parser = await CParser.create();
});

const pitfalls = ['init-function', 'inline-function', 'struct-layout-change', 'static-local-change', 'once-macro', 'module-jump-label'].map((id) => readFixture('checks', id, 'bad.patch')).join('');
const big = generatePatch(11, 200).text;

function workspaceKernel(): KernelContext {
  return kernelWith({
    symbols: { vmlinux: ['schedule', 'meminfo_proc_show', 'memcg_kmem_enabled_key'], kvm_intel: ['enable_evmcs'] },
    exports: { register_cdrom: 'cdrom', __SCK__kvm_x86_vcpu_after_set_cpuid: 'kvm' },
  });
}

it('finds what a fresh analysis finds after every edit of a series of random edits', () => {
  const lpa = readFixture('cli', 'series', 'lpa.c');
  const edit = fc.record({
    patch: fc.constantFrom('/ws/a.patch', '/ws/b.patch'),
    at: fc.nat({ max: 400 }),
    how: fc.constantFrom('change', 'insert', 'delete'),
    text: fc.constantFrom('+\tret = register_cdrom(disk, cdi);', '+\tpr_err_once("x");', '+\tstatic_call(kvm_x86_vcpu_after_set_cpuid)(v);', '+\tint extra;', ' }', ''),
  });
  fc.assert(
    fc.property(fc.array(edit, { minLength: 1, maxLength: 5 }), (edits) => {
      const k = workspaceKernel();
      const session = new AnalysisSession(parser);
      const files: Record<string, string> = { '/ws/a.patch': big, '/ws/b.patch': pitfalls, '/ws/lpa.c': lpa };
      const check = () => {
        const fs = memoryFiles(files);
        const cached = analyze({ paths: ['/ws'], kernel: k, fs, session });
        expect(cached).toEqual(analyze({ paths: ['/ws'], kernel: { ...k }, fs, session: new AnalysisSession(parser) }));
        return cached;
      };
      expect(check().problems.length).toBeGreaterThan(10);
      for (const { patch, at, how, text } of edits) {
        const lines = files[patch].split('\n');
        const i = at % lines.length;
        if (how === 'change') lines[i] = text;
        else if (how === 'insert') lines.splice(i, 0, text);
        else lines.splice(i, 1);
        files[patch] = lines.join('\n');
        check();
      }
    }),
    { numRuns: 15 },
  );
});

it("gives the simulator an edited diff's unchanged functions as the same objects (what it derives per function is kept)", () => {
  const k = workspaceKernel();
  const session = new AnalysisSession(parser);
  const files: Record<string, string> = { '/ws/a.patch': big };
  const simFunctions = () => {
    const { steps } = analyze({ paths: ['/ws'], kernel: k, fs: memoryFiles(files), session });
    return steps.flatMap((s) => (s.action === 'load' ? s.patch.objects.flatMap((o) => o.funcs) : []));
  };
  const before = simFunctions();
  const lines = big.split('\n');
  const at = lines.findIndex((l, i) => i > lines.length / 2 && /^\+\s+\S.*;$/.test(l));
  lines[at] += ' /* edited */';
  files['/ws/a.patch'] = lines.join('\n');
  const after = simFunctions();
  expect(after).toEqual(before);
  // The other files' functions (made anew at every analysis before).
  expect(after.filter((f, i) => f === before[i]).length).toBeGreaterThan(0);
});

it("keeps the problems of an edited diff's unchanged files as the same objects (a report compares them at once)", () => {
  const k = workspaceKernel();
  const session = new AnalysisSession(parser);
  const files: Record<string, string> = { '/ws/a.patch': readFixture('checks', 'unsupported-file', 'bad.patch') };
  const unsupported = () => analyze({ paths: ['/ws'], kernel: k, fs: memoryFiles(files), session }).problems.filter((p) => p.code === 'unsupported-file');
  const before = unsupported();
  expect(before.map((p) => p.data)).toEqual([
    { file: 'lib/string.c', refusedBy: ['kpatch-build', 'klp-build'] },
    { file: 'arch/x86/entry/entry_64.S', refusedBy: ['kpatch-build', 'klp-build'] },
  ]);
  // An added line of the assembly file's hunk changed: lib/string.c's problem is the one made before.
  const lines = files['/ws/a.patch'].split('\n');
  const at = lines.reduce((last, l, i) => (l.startsWith('+') && !l.startsWith('+++') ? i : last), -1);
  lines[at] += ' # edited';
  files['/ws/a.patch'] = lines.join('\n');
  const after = unsupported();
  expect(after).toEqual(before);
  expect(after[0]).toBe(before[0]);
  expect(after[1]).not.toBe(before[1]);
});
