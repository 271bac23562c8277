import { describe, expect, it } from 'vitest';
import { emptyKernelContext, type KernelContext } from '../../../server/src/kernel/types';
import { check as inlineFunction } from '../../../server/src/checks/inline-function';
import { livepatchFromDiff } from '../../../server/src/model/fromDiff';
import { contextOf } from '../checks/pitfalls/pitfallContext';
import { functionsOf } from '../../../server/src/model/livepatch';
import { callGraph } from '../../../server/src/syntax/callGraph';
import { parsePatch } from '../../../server/src/syntax/diff';
import { deepFreeze } from '../../../server/src/syntax/diffFileCache';
import { findHunkFunctions } from '../../../server/src/syntax/hunkFunctions';
import { CParser } from '../../../server/src/syntax/treeSitter';
import { kernel as kernelWith } from '../../helpers/builders';
import { readFixture } from '../../helpers/fixtures';

function lpOf(text: string, kernel: KernelContext = emptyKernelContext(), file = 'fix.patch') {
  const diff = findHunkFunctions(parsePatch(text, file));
  return livepatchFromDiff(diff, { name: 'fix', replace: true, kernel });
}

const cdrom = () => readFixture('diff', 'cdrom-media-changed.patch');

describe('livepatchFromDiff: the livepatch', () => {
  it('is a diff livepatch with the caller\'s replace, placed at the first line and the first file header', () => {
    const lp = lpOf(readFixture('diff', 'git-format-patch.patch'));
    expect(lp).toMatchObject({ name: 'fix', kind: 'diff', file: 'fix.patch', replace: true, states: [], klpSymbols: [], livepatchModinfo: undefined });
    expect(lp.replaceLocation?.range.start).toEqual({ line: 0, character: 0 });
    expect(lp.location.range.start.line).toBe(16);
    expect(lp.diff?.files).toHaveLength(7);
    expect(livepatchFromDiff(lp.diff!, { name: 'x', replace: false, kernel: emptyKernelContext() }).replace).toBe(false);
  });

  it('carries the diff\'s problems', () => {
    const lp = lpOf(readFixture('diff', 'bad-counts.patch'));
    expect(lp.problems.map((p) => p.code).filter((c) => c !== 'unknown-build-object')).toEqual(['parse-error', 'parse-error']);
  });
});

describe('livepatchFromDiff: functions', () => {
  it('has one klp_func per changed function that exists and is not init code, at its first changed line, sympos 0', () => {
    const k = emptyKernelContext();
    k.kbuild = { resolve: (file) => ({ file, object: 'vmlinux', reason: 'kernel/Makefile: obj-y += demo.o' }) };
    const lp = lpOf(readFixture('diff', 'demo.patch'), k);
    expect(functionsOf(lp).map((f) => [f.object, f.name, f.sympos, f.newFunc, f.sourceFile, f.location.range.start.line])).toEqual([
      ['vmlinux', '__do_sys_demo', 0, '__do_sys_demo', 'kernel/demo.c', 14],
      ['vmlinux', 'split_head', 0, 'split_head', 'kernel/demo.c', 23],
      ['vmlinux', 'helper', 0, 'helper', 'kernel/demo.c', 30],
      ['vmlinux', 'counter_read', 0, 'counter_read', 'kernel/demo.c', 43],
    ]);
  });

  it('patches what GCC made of a function it inlined: the callers the source shows, a syscall body its entry stubs', async () => {
    const parser = await CParser.create();
    const k = kernelWith({ symbols: { vmlinux: ['split_head', 'counter_read.isra.0', 'callers_caller', '__x64_sys_demo', '__ia32_sys_demo'] } });
    k.kbuild = { resolve: (file) => ({ file, object: 'vmlinux', reason: 'kernel/Makefile: obj-y += demo.o' }) };
    // The original kernel/demo.c as far as the call graph needs it: helper() is called by
    // counter_read() (a clone in the table) and by an inlined wrapper whose caller is in the table.
    const source = 'static int counter_read(void) { return helper(1); }\nstatic int wrap(void) { return helper(2); }\nint callers_caller(void) { return wrap(); }\n';
    const diff = findHunkFunctions(parsePatch(readFixture('diff', 'demo.patch'), 'fix.patch'));
    const lp = livepatchFromDiff(diff, { name: 'fix', replace: true, kernel: k, callGraphOf: () => callGraph(parser, source) });
    expect(functionsOf(lp).map((f) => [f.name, f.inlinedFrom ?? null])).toEqual([
      ['__x64_sys_demo', '__do_sys_demo'],
      ['__ia32_sys_demo', '__do_sys_demo'],
      ['split_head', null],
      ['counter_read.isra.0', 'helper'],
      ['callers_caller', 'helper'],
    ]);
  });

  it("names a function of a header named through a macro as the compiler does, in the object of the .c file that includes it", async () => {
    const parser = await CParser.create();
    const header = ['#if PTTYPE == 64', '\t#define FNAME(name) paging##64_##name', '#elif PTTYPE == 32', '\t#define FNAME(name) paging##32_##name', '#endif', ''];
    const body = ['static int FNAME(page_fault)(struct kvm_vcpu *vcpu)', '{', '\tint r = 0;', '\treturn r;', '}'];
    const patch = [
      '--- a/arch/x86/kvm/mmu/paging_tmpl.h',
      '+++ b/arch/x86/kvm/mmu/paging_tmpl.h',
      '@@ -6,5 +6,6 @@',
      ...body.slice(0, 3).map((l) => ` ${l}`),
      '+\tr++;',
      ...body.slice(3).map((l) => ` ${l}`),
      '',
    ].join('\n');
    const k = kernelWith({ symbols: { kvm: ['paging64_page_fault', 'paging32_page_fault'] } });
    k.kbuild = {
      resolve: (file) => (file.endsWith('.h') ? { file, object: 'unknown', reason: 'a header' } : { file, object: 'kvm', reason: 'kvm-y += mmu/mmu.o' }),
    };
    const sources = new Map([['arch/x86/kvm/mmu/paging_tmpl.h', [...header, ...body].join('\n')], ['arch/x86/kvm/mmu/mmu.c', '#include "paging_tmpl.h"\n']]);
    const diff = findHunkFunctions(parsePatch(patch, 'fix.patch'));
    const lp = livepatchFromDiff(diff, {
      name: 'fix',
      replace: true,
      kernel: k,
      callGraphOf: (p) => callGraph(parser, sources.get(p) ?? ''),
      includersOf: () => ['arch/x86/kvm/mmu/mmu.c'],
    });
    expect(lp.objects.map((o) => [o.object, o.funcs.map((f) => f.name)])).toEqual([['kvm', ['paging64_page_fault', 'paging32_page_fault']]]);
    expect(lp.diff!.files[0].objectReason).toBe('#included by arch/x86/kvm/mmu/mmu.c, built into kvm');
    // The names are in kvm's table: inline-function does not call FNAME(page_fault) inlined (nor the state refused).
    expect(inlineFunction.run(contextOf([lp], k))).toEqual([]);
  });

  it('lists a function changed in several hunks once', () => {
    expect(functionsOf(lpOf(readFixture('diff', 'labels.patch'))).map((f) => f.name)).toEqual(['fib_create_info']);
  });
});

describe('livepatchFromDiff: objects', () => {
  const resolver = (object: string) => ({
    resolve: (file: string) =>
      file.startsWith('drivers/cdrom/')
        ? { file, object, reason: 'drivers/cdrom/Makefile: obj-$(CONFIG_CDROM) += cdrom.o' }
        : { file, object: 'unknown', reason: 'no Makefile names it' },
  });

  it('takes the file\'s object from kbuild', () => {
    const k = emptyKernelContext();
    k.kbuild = resolver('cdrom');
    const lp = lpOf(cdrom(), k);
    expect(lp.objects.map((o) => [o.declaredName, o.object, o.funcs.map((f) => f.name), o.location.range.start.line])).toEqual([
      ['cdrom', 'cdrom', ['media_changed'], 0],
    ]);
    expect(lp.diff!.files[0]).toMatchObject({ object: 'cdrom', objectReason: 'drivers/cdrom/Makefile: obj-$(CONFIG_CDROM) += cdrom.o' });
  });

  it('changes neither the parse nor its functions: each step makes a value of its own (frozen ones do)', () => {
    const k = emptyKernelContext();
    k.kbuild = resolver('cdrom');
    const parsed = deepFreeze(parsePatch(cdrom(), 'fix.patch'));
    const diff = deepFreeze(findHunkFunctions(parsed));
    const lp = livepatchFromDiff(diff, { name: 'fix', replace: true, kernel: k });
    expect(lp.diff!.files[0]).toMatchObject({ object: 'cdrom', hunks: diff.files[0].hunks });
    expect(diff.files[0]).not.toHaveProperty('object');
    expect(diff.files[0].hunks[0].functions.map((f) => f.name)).toEqual(['media_changed']);
    expect(parsed.files[0].hunks[0]).not.toHaveProperty('functions');
    expect(parsed).toEqual(parsePatch(cdrom(), 'fix.patch'));
  });

  it('reads a module listed in modules.builtin as vmlinux', () => {
    const k = emptyKernelContext();
    k.kbuild = resolver('cdrom');
    k.modules.set('cdrom', { name: 'cdrom', builtin: true });
    const lp = lpOf(cdrom(), k);
    expect(lp.objects[0]).toMatchObject({ declaredName: null, object: 'vmlinux' });
    expect(lp.diff!.files[0].objectReason).toContain('modules.builtin');
  });

  it('uses the symbol tables without kbuild: the one object that holds the functions, not two that both do', () => {
    expect(lpOf(cdrom(), kernelWith({ symbols: { vmlinux: ['media_changed'], cdrom: ['media_changed'] } })).objects[0].object).toBe('unknown');
    const lp = lpOf(cdrom(), kernelWith({ symbols: { vmlinux: ['schedule'], cdrom: ['media_changed'], sr_mod: ['sr_open'] } }));
    expect(lp.objects[0].object).toBe('cdrom');
    expect(lp.diff!.files[0].objectReason).toBe('1 of its 1 symbols (`media_changed` among them) are in the symbol table of cdrom (cdrom.syms)');
  });

  it('takes the module Module.symvers says exports a function the file defines, or an EXPORT_SYMBOL it shows', () => {
    const usb = [
      '--- a/drivers/usb/core/usb.c',
      '+++ b/drivers/usb/core/usb.c',
      '@@ -697,6 +697,8 @@ EXPORT_SYMBOL_GPL(usb_alloc_dev);',
      ' */',
      ' struct usb_device *usb_get_dev(struct usb_device *dev)',
      ' {',
      '+\tbarrier();',
      '+',
      ' \tif (dev)',
      ' \t\tget_device(&dev->dev);',
      ' \treturn dev;',
      '',
    ].join('\n');
    const byFunction = lpOf(usb, kernelWith({ exports: { usb_get_dev: 'usbcore' } }));
    expect(byFunction.objects.map((o) => o.object)).toEqual(['usbcore']);
    expect(byFunction.diff!.files[0].objectReason).toBe('`usb_get_dev`, a global symbol defined in this file, is exported by usbcore (Module.symvers)');
    expect(lpOf(usb, kernelWith({ exports: { usb_alloc_dev: 'usbcore' } })).objects[0].object).toBe('usbcore');
    // The EXPORT_SYMBOL the file shows decides before a global function of a name another module exports (a copy of its code).
    expect(lpOf(usb, kernelWith({ exports: { usb_alloc_dev: 'usbcore', usb_get_dev: 'other' } })).diff!.files[0].object).toBe('usbcore');
  });

  it('takes the module built from the file alone, as the module lists or Module.symvers place it', () => {
    const k = kernelWith({ exports: { register_cdrom: 'cdrom' } });
    k.exports.get('register_cdrom')!.path = 'drivers/cdrom/cdrom';
    const lp = lpOf(cdrom(), k);
    expect(lp.objects[0].object).toBe('cdrom');
    expect(lp.diff!.files[0].objectReason).toBe('Module.symvers names module cdrom at drivers/cdrom/cdrom: built from drivers/cdrom/cdrom.c alone');
    const listed = emptyKernelContext();
    listed.modules.set('cdrom', { name: 'cdrom', builtin: true, path: 'kernel/drivers/cdrom/cdrom.ko' });
    expect(lpOf(cdrom(), listed).diff!.files[0]).toMatchObject({ object: 'vmlinux', objectReason: expect.stringContaining('built into vmlinux (modules.builtin)') });
  });

  it("patches a changed function's clones with it, a split-off part as its parent, and only its clones when the compiler left no symbol of its own", () => {
    const names = (k: KernelContext) => functionsOf(lpOf(cdrom(), k)).map((f) => [f.name, f.sourceFunction ?? null]);
    expect(names(kernelWith({ symbols: { cdrom: ['media_changed', 'media_changed.part.0', 'media_changed_other'] } }))).toEqual([
      ['media_changed', null],
    ]);
    expect(names(kernelWith({ symbols: { cdrom: ['media_changed.isra.0', 'media_changed.cold'] } }))).toEqual([
      ['media_changed.cold', 'media_changed'],
      ['media_changed.isra.0', 'media_changed'],
    ]);
  });

  it('never guesses vmlinux: unknown, with the reason, and a warning on the file header', () => {
    const twoModules = lpOf(cdrom(), kernelWith({ symbols: { a: ['media_changed'], b: ['media_changed'] } }));
    expect(twoModules.objects.map((o) => o.object)).toEqual(['unknown']);
    const reason = 'the symbol tables do not decide: its symbols are in a (1), b (1)';
    expect(twoModules.diff!.files[0]).toMatchObject({ object: 'unknown', objectReason: reason });
    expect(twoModules.problems).toEqual([
      expect.objectContaining({ code: 'unknown-build-object', severity: 'warning', range: twoModules.diff!.files[0].location.range, message: expect.stringContaining(reason) }),
    ]);
    expect(lpOf(cdrom()).diff!.files[0]).toMatchObject({ object: 'unknown', objectReason: 'no kernel source tree: give --source DIR or --kernel DIR' });
  });
});

describe('livepatchFromDiff: references, exports, callbacks', () => {
  it('records the names added lines use, with their function and exact place', () => {
    const lp = lpOf(cdrom());
    expect(lp.references.map((r) => [r.name, r.inFunction, r.location.range])).toEqual([
      ['pr_info', 'media_changed', { start: { line: 19, character: 1 }, end: { line: 19, character: 8 } }],
      ['cdrom_check_events', 'media_changed', { start: { line: 19, character: 34 }, end: { line: 19, character: 52 } }],
    ]);
  });

  it('skips keywords, members, macros, strings, comments, declared locals, parameters and the patch\'s own functions', () => {
    const lp = lpOf(
      [
        '--- a/kernel/k.c',
        '+++ b/kernel/k.c',
        '@@ -10,3 +10,12 @@ static int work(struct task_struct *tsk, int flags)',
        ' \tint ret;',
        '+\tstruct foo *p = lookup_foo(tsk->pid, "a string with call()");',
        '+\t/* comment_call(); */',
        '+\tif (unlikely(!p) || flags & GFP_KERNEL)',
        '+\t\treturn helper_new(ret);',
        '+\tp->count = jiffies + sizeof(u32);',
        '+out:',
        '+\tgoto out;',
        '+\tkfree(p);',
        ' \treturn ret;',
        ' }',
        '+static int helper_new(int v)',
        '+{',
        '+\treturn v + extra;',
        '+}',
        '',
      ].join('\n'),
    );
    expect(lp.references.map((r) => `${r.name}@${r.inFunction ?? ''}`)).toEqual(['lookup_foo@work', 'jiffies@work', 'kfree@work', 'extra@helper_new']);
  });

  it('records EXPORT_SYMBOL lines and kpatch callback macros', () => {
    const k = emptyKernelContext();
    k.kbuild = { resolve: (file) => ({ file, object: 'joydev', reason: 'drivers/input/Makefile' }) };
    const lp = lpOf(
      [
        '--- a/drivers/input/joydev.c',
        '+++ b/drivers/input/joydev.c',
        '@@ -1,2 +1,7 @@',
        ' int joydev_a;',
        '+EXPORT_SYMBOL_GPL(joydev_a);',
        '+static int pre(patch_object *obj)',
        '+{',
        '+\treturn 0;',
        '+}',
        '+KPATCH_PRE_PATCH_CALLBACK(pre);',
        ' int joydev_b;',
        '',
      ].join('\n'),
      k,
    );
    expect(lp.exports.map((e) => [e.name, e.macro, e.location.range.start])).toEqual([['joydev_a', 'EXPORT_SYMBOL_GPL', { line: 4, character: 19 }]]);
    expect(lp.objects).toEqual([expect.objectContaining({ object: 'joydev', funcs: [], callbacks: ['pre_patch'] })]);
  });
});
