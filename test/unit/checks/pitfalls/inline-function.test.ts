import { describe, expect, it } from 'vitest';
import { check } from '../../../../server/src/checks/inline-function';
import { kernel } from '../../../helpers/builders';
import type { PatchedFunction, PatchObject } from '../../../../server/src/model/livepatch';
import { countingProperties } from '../../../helpers/scaling';
import { fixtureContext, manyFiles, reader } from './pitfallContext';
import { readFixture } from '../../../helpers/fixtures';

describe('inline-function', () => {
  it('reports a changed inline function and a SYSCALL_DEFINE body', () => {
    const problems = check.run(fixtureContext('inline-function', 'bad.patch'));
    expect(problems.map((p) => [p.code, p.severity, p.range.start.line, p.data?.function, p.data?.specifier])).toEqual([
      ['inline-function', 'warning', 12, 'task_context_switch_counts', 'inline'],
      ['inline-function', 'warning', 23, '__do_sys_newuname', 'inline'],
    ]);
    expect(problems[0].message).toContain('patch its callers');
    expect(problems[1].message).toContain('KPATCH_SYSCALL_DEFINE');
  });

  it('says nothing of KPATCH_SYSCALL_DEFINE and ordinary functions when no symbol table is known', () => {
    expect(check.run(fixtureContext('inline-function', 'good.patch'))).toEqual([]);
  });

  it('reports a changed function missing from its object\'s symbol table, but not one present or cloned', () => {
    const builtIn = { resolve: (file: string) => ({ file, object: 'vmlinux', reason: 'obj-y' }) };
    const missing = { ...kernel({ symbols: { vmlinux: ['__do_sys_newuname'] } }), kbuild: builtIn };
    const problems = check.run(fixtureContext('inline-function', 'good.patch', missing));
    expect(problems.map((p) => [p.range.start.line, p.data?.function, p.data?.object])).toEqual([[27, 'meminfo_proc_show', 'vmlinux']]);
    expect(problems[0].message).toContain('has no symbol in the symbol table of vmlinux (vmlinux.syms)');
    const cloned = { ...kernel({ symbols: { vmlinux: ['__do_sys_newuname', 'meminfo_proc_show.isra.0'] } }), kbuild: builtIn };
    expect(check.run(fixtureContext('inline-function', 'good.patch', cloned))).toEqual([]);
  });

  it('names the functions the build patches instead: a syscall body\'s entry stubs', () => {
    const stubs = kernel({ symbols: { vmlinux: ['__x64_sys_newuname', '__ia32_sys_newuname', 'task_context_switch_counts.isra.0'] } });
    stubs.kbuild = { resolve: (file) => ({ file, object: 'vmlinux', reason: 'obj-y' }) };
    const problems = check.run(fixtureContext('inline-function', 'bad.patch', stubs));
    const syscall = problems.find((p) => p.data?.function === '__do_sys_newuname')!;
    expect(syscall.message).toContain('it is inlined into `__x64_sys_newuname`, `__ia32_sys_newuname`: the build patches those instead');
  });
});

describe('inline-function of a file the patch changes in two places', () => {
  it('names each function the build patches instead once (a later file of the path repeats them)', () => {
    const stubs = kernel({ symbols: { vmlinux: ['__x64_sys_newuname', '__ia32_sys_newuname', 'task_context_switch_counts.isra.0'] } });
    stubs.kbuild = { resolve: (file) => ({ file, object: 'vmlinux', reason: 'obj-y' }) };
    const once = readFixture('checks', 'inline-function', 'bad.patch');
    const ctx = reader(stubs)(`${once}\n${once}`);
    expect(ctx.livepatches[0].functionParts!.filter((part) => part.some((f) => f.name === '__x64_sys_newuname'))).toHaveLength(2);
    const syscall = check.run(ctx).find((p) => p.data?.function === '__do_sys_newuname')!;
    expect(syscall.message).toContain('it is inlined into `__x64_sys_newuname`, `__ia32_sys_newuname`: the build patches those instead');
  });
});

describe('inline-function at an edit', () => {
  it("reads the functions the edit made, not every function of the livepatch again", () => {
    /** Reads of the livepatch's functions' source files when one file of `files` changed. */
    const reads = (files: number) => {
      // Each function missing from vmlinux: each a finding.
      const read = reader({ ...kernel({ symbols: { vmlinux: [] } }), kbuild: { resolve: (file) => ({ file, object: 'vmlinux', reason: 'obj-y' }) } });
      const count = { count: 0 };
      const counted = new WeakMap<PatchedFunction, PatchedFunction>();
      const run = (text: string) => {
        const ctx = read(text);
        const lp = ctx.livepatches[0];
        // The same function object, the same counting one.
        const funcs = (o: PatchObject) => o.funcs.map((f) => counted.get(f) ?? counted.set(f, countingProperties(f, ['sourceFile'], count)).get(f)!);
        return check.run({ ...ctx, livepatches: [{ ...lp, objects: lp.objects.map((o) => ({ ...o, funcs: funcs(o) })) }] });
      };
      const patch = manyFiles(files);
      expect(run(patch)).toHaveLength(files);
      count.count = 0;
      expect(run(patch.replace('+\treturn 1;', '+\treturn -1;'))).toHaveLength(files);
      return count.count;
    };
    expect(reads(40)).toBe(reads(10));
  });
});
