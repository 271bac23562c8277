import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createKbuildResolver } from '../../../server/src/kernel/kbuild';
import { fixturePath } from '../../helpers/fixtures';

const SRC = '/src/linux';

/** A resolver over an in-memory tree; `reads` counts the reads of each file. */
function resolver(files: Record<string, string>, config?: Record<string, string>) {
  const reads = new Map<string, number>();
  const r = createKbuildResolver(SRC, config && new Map(Object.entries(config)), (p) => {
    reads.set(p, (reads.get(p) ?? 0) + 1);
    return files[p];
  });
  return { resolve: (f: string) => r.resolve(f), reads };
}

// A 6.1-style top directory: the top Kbuild descends into the directories.
const TOP = {
  Kbuild: 'obj-y += kernel/\nobj-y += drivers/\nobj-$(CONFIG_NET) += net/\nobj-y += arch/$(SRCARCH)/\nobj-y += $(ARCH_CORE)\n',
  Makefile: 'libs-y := lib/\n',
};

describe('createKbuildResolver: objects of one directory', () => {
  const files = {
    ...TOP,
    'drivers/Makefile': 'obj-y += cdrom/ misc/\n',
    'drivers/cdrom/Makefile': [
      '# SPDX-License-Identifier: GPL-2.0',
      'obj-$(CONFIG_CDROM)\t+= cdrom.o',
      'obj-$(CONFIG_GDROM)\t+= gdrom.o',
      'obj-y += core.o',
      'obj-m += my-mod.o',
      'obj-m += both.o',
      'obj-y += both.o',
      'ccflags-y += -DDEBUG',
      'CFLAGS_core.o := -O0',
    ].join('\n'),
  };
  const cfg = { CONFIG_CDROM: 'm', CONFIG_NET: 'y' };

  it('obj-$(CONFIG_X)=m builds a module named after the object, and says which line decided', () => {
    expect(resolver(files, cfg).resolve('drivers/cdrom/cdrom.c')).toEqual({
      file: 'drivers/cdrom/cdrom.c',
      object: 'cdrom',
      reason: 'drivers/cdrom/Makefile:2: obj-$(CONFIG_CDROM) += cdrom.o (CONFIG_CDROM=m)',
    });
  });

  it('obj-$(CONFIG_X)=y and obj-y build into vmlinux', () => {
    const r = resolver(files, { ...cfg, CONFIG_CDROM: 'y' });
    expect(r.resolve('drivers/cdrom/cdrom.c')).toMatchObject({ object: 'vmlinux', reason: 'drivers/cdrom/Makefile:2: obj-$(CONFIG_CDROM) += cdrom.o (CONFIG_CDROM=y)' });
    expect(r.resolve('drivers/cdrom/core.c')).toMatchObject({ object: 'vmlinux', reason: 'drivers/cdrom/Makefile:4: obj-y += core.o' });
  });

  it('an unset option builds nothing, and the reason names it', () => {
    expect(resolver(files, cfg).resolve('drivers/cdrom/gdrom.c')).toEqual({
      file: 'drivers/cdrom/gdrom.c',
      object: 'unknown',
      reason: 'not built: drivers/cdrom/Makefile:3: obj-$(CONFIG_GDROM) += gdrom.o (CONFIG_GDROM is not set)',
      notBuilt: true,
    });
  });

  it("names modules with '-' read as '_'", () => {
    expect(resolver(files, cfg).resolve('drivers/cdrom/my-mod.c').object).toBe('my_mod');
  });

  it('an object in both obj-y and obj-m is built in (Makefile.lib filters obj-m by obj-y)', () => {
    expect(resolver(files, cfg).resolve('drivers/cdrom/both.c').object).toBe('vmlinux');
  });

  it('without a .config, says which option is needed', () => {
    expect(resolver(files).resolve('drivers/cdrom/cdrom.c')).toEqual({
      file: 'drivers/cdrom/cdrom.c',
      object: 'unknown',
      reason: 'needs .config: drivers/cdrom/Makefile:2 obj-$(CONFIG_CDROM)',
    });
    // obj-y needs no .config.
    expect(resolver(files).resolve('drivers/cdrom/core.c').object).toBe('vmlinux');
  });

  it('a file no Makefile mentions is unknown, naming the Makefile', () => {
    const r = resolver(files, cfg).resolve('drivers/cdrom/other.c');
    expect(r.object).toBe('unknown');
    expect(r.reason).toMatch(/^not in drivers\/cdrom\/Makefile/);
    expect(r.notBuilt).toBeUndefined();
  });

  it('a directory without a kbuild file is unknown', () => {
    expect(resolver(files, cfg).resolve('drivers/misc/x.c')).toMatchObject({ object: 'unknown', reason: 'no Kbuild or Makefile in drivers/misc' });
  });

  it('headers, other files, and paths outside the tree are unknown with a reason', () => {
    const r = resolver(files, cfg);
    expect(r.resolve('drivers/cdrom/cdrom.h')).toEqual({ file: 'drivers/cdrom/cdrom.h', object: 'unknown', reason: 'a header is compiled into every object that includes it' });
    expect(r.resolve('drivers/cdrom/Kconfig').reason).toMatch(/not a source file/);
    expect(r.resolve('/elsewhere/cdrom.c')).toEqual({ file: '/elsewhere/cdrom.c', object: 'unknown', reason: `outside the kernel source tree ${SRC}` });
    expect(r.resolve('../cdrom.c').reason).toMatch(/^outside/);
  });

  it('takes absolute paths inside the tree and unnormalised relative ones', () => {
    const r = resolver(files, cfg);
    expect(r.resolve(`${SRC}/drivers/cdrom/cdrom.c`)).toMatchObject({ file: 'drivers/cdrom/cdrom.c', object: 'cdrom' });
    expect(r.resolve('./drivers/x/../cdrom/cdrom.c')).toMatchObject({ file: 'drivers/cdrom/cdrom.c', object: 'cdrom' });
  });

  it('compiles .S and .rs sources into objects too', () => {
    expect(resolver(files, cfg).resolve('drivers/cdrom/core.S').object).toBe('vmlinux');
    expect(resolver(files, cfg).resolve('drivers/cdrom/core.rs').object).toBe('vmlinux');
  });

  it('reads each kbuild file once, lazily: the whole tree only for a file its own directories do not build', () => {
    const r = resolver(files, cfg);
    r.resolve('drivers/cdrom/cdrom.c');
    r.resolve('drivers/cdrom/core.c');
    expect(r.reads.get('drivers/cdrom/Makefile')).toBe(1);
    expect(r.reads.get('drivers/cdrom/Kbuild')).toBe(1);
    expect(r.reads.has('net/Makefile')).toBe(false);
    r.resolve('drivers/cdrom/gdrom.c');
    expect(r.reads.get('net/Makefile')).toBe(1);
    expect(Math.max(...r.reads.values())).toBe(1);
  });
});

describe('createKbuildResolver: composite objects', () => {
  const files = {
    ...TOP,
    'drivers/Makefile': 'obj-y += scsi/\n',
    'drivers/scsi/Makefile': [
      'obj-$(CONFIG_BLK_DEV_SR) += sr_mod.o',
      'sr_mod-objs := sr.o sr_ioctl.o',
      'obj-y += core.o',
      'core-y := core_main.o',
      'core-$(CONFIG_EXTRA) += core_extra.o',
      'core-m += core_modular.o',
      'obj-$(CONFIG_FOO) += foo.o',
      'foo-y := foo_main.o',
      'foo-$(CONFIG_FOO_EXTRA) += foo_extra.o',
      'foo-$(CONFIG_FOO_M) += foo_m.o',
      'obj-$(CONFIG_ZALON) += zalon7xx.o',
      'zalon7xx-objs := zalon.o ncr.o',
      'obj-m += plain.o',
      'plain-m :=',
    ].join('\n'),
  };
  const cfg = { CONFIG_BLK_DEV_SR: 'm', CONFIG_EXTRA: 'y', CONFIG_FOO: 'm', CONFIG_FOO_EXTRA: 'y', CONFIG_FOO_M: 'm' };

  it('<mod>-objs: a part belongs to the module of its composite', () => {
    expect(resolver(files, cfg).resolve('drivers/scsi/sr_ioctl.c')).toEqual({
      file: 'drivers/scsi/sr_ioctl.c',
      object: 'sr_mod',
      reason: 'drivers/scsi/Makefile:2: sr_mod-objs := sr_ioctl.o; drivers/scsi/Makefile:1: obj-$(CONFIG_BLK_DEV_SR) += sr_mod.o (CONFIG_BLK_DEV_SR=m)',
    });
  });

  it('<mod>-y and <mod>-$(CONFIG_X) parts of a built-in composite go into vmlinux; its -m parts are not linked', () => {
    const r = resolver(files, cfg);
    expect(r.resolve('drivers/scsi/core_main.c').object).toBe('vmlinux');
    expect(r.resolve('drivers/scsi/core_extra.c')).toMatchObject({ object: 'vmlinux', reason: expect.stringContaining('core-$(CONFIG_EXTRA) += core_extra.o (CONFIG_EXTRA=y)') });
    expect(r.resolve('drivers/scsi/core_modular.c')).toMatchObject({ object: 'unknown', notBuilt: true, reason: expect.stringContaining('built-in composite takes only core-y and core-objs') });
  });

  it('a modular composite takes its -y and -m parts; a part whose option is unset is not built', () => {
    const r = resolver(files, cfg);
    expect(r.resolve('drivers/scsi/foo_extra.c').object).toBe('foo');
    expect(r.resolve('drivers/scsi/foo_m.c').object).toBe('foo');
    const off = resolver(files, { ...cfg, CONFIG_FOO_EXTRA: '' }).resolve('drivers/scsi/foo_extra.c');
    expect(off).toMatchObject({ object: 'unknown', notBuilt: true, reason: 'not built: drivers/scsi/Makefile:9: foo-$(CONFIG_FOO_EXTRA) += foo_extra.o (CONFIG_FOO_EXTRA=)' });
  });

  it('a part of a composite that is not built is not built, and says why', () => {
    expect(resolver(files, cfg).resolve('drivers/scsi/ncr.c')).toMatchObject({
      object: 'unknown',
      notBuilt: true,
      reason:
        'not built: drivers/scsi/Makefile:12: zalon7xx-objs := ncr.o, and zalon7xx.o is not built: drivers/scsi/Makefile:11: obj-$(CONFIG_ZALON) += zalon7xx.o (CONFIG_ZALON is not set)',
    });
  });

  it('the composite itself is not compiled from a source of its name', () => {
    const r = resolver(files, cfg);
    expect(r.resolve('drivers/scsi/sr_mod.c')).toMatchObject({
      object: 'unknown',
      notBuilt: true,
      reason: expect.stringContaining('sr_mod.o is a composite object, linked from its parts'),
    });
    // An empty <mod>-m does not make a composite.
    expect(r.resolve('drivers/scsi/plain.c').object).toBe('plain');
  });

  it('without a .config, a part is unknown, naming the option its composite needs', () => {
    expect(resolver(files).resolve('drivers/scsi/sr.c')).toMatchObject({ object: 'unknown', reason: 'needs .config: drivers/scsi/Makefile:1 obj-$(CONFIG_BLK_DEV_SR)' });
  });

  it('a .c that is a part of two objects names the other one too', () => {
    const r = resolver({ ...files, 'drivers/scsi/Makefile': 'obj-m += a.o b.o\na-y := shared.o a_main.o\nb-y := shared.o b_main.o\n' }, cfg);
    expect(r.resolve('drivers/scsi/shared.c')).toMatchObject({ object: 'a', reason: expect.stringContaining('also linked into b') });
  });
});

describe('createKbuildResolver: lists and conditionals', () => {
  const files = {
    ...TOP,
    'lib/Makefile': 'lib-y := string.o\nlib-$(CONFIG_SMP) += cpumask.o\nobj-y += both.o\nlib-y += both.o\nhostprogs := gen\nextra-y += vmlinux.lds\n',
    'kernel/Makefile': [
      'obj-y := fork.o',
      'ifdef CONFIG_SMP',
      'obj-y += smp.o',
      'else',
      'obj-y += up.o',
      'endif',
      'ifeq ($(CONFIG_KEXEC),y)',
      'obj-y += kexec.o',
      'endif',
      'ifeq ($(BITS),32)',
      'obj-y += only32.o',
      'endif',
      'obj-y += $(call objs-of,x)',
      'proc-y := nommu.o',
      'proc-$(CONFIG_MMU) := task_mmu.o',
      'obj-y += proc.o',
      'obj-y += vmlinux.lds.o',
    ].join('\n'),
  };
  const cfg = { CONFIG_SMP: 'y', CONFIG_KEXEC: 'y', CONFIG_MMU: 'y' };

  it('lib-y is linked into vmlinux from lib.a, and says that a livepatch cannot patch it', () => {
    const r = resolver(files, cfg);
    expect(r.resolve('lib/string.c')).toMatchObject({ object: 'vmlinux', reason: expect.stringMatching(/^lib\/Makefile:1: lib-y := string\.o: linked into vmlinux from lib\.a; kpatch/) });
    expect(r.resolve('lib/cpumask.c').object).toBe('vmlinux');
    // lib-y := $(filter-out $(obj-y), ...): an obj-y object is an ordinary built-in one.
    expect(r.resolve('lib/both.c').reason).toBe('lib/Makefile:3: obj-y += both.o');
  });

  it('ifdef CONFIG_X / else and ifeq ($(CONFIG_X),y) follow the .config', () => {
    const r = resolver(files, cfg);
    expect(r.resolve('kernel/smp.c')).toMatchObject({ object: 'vmlinux', reason: 'kernel/Makefile:3: obj-y += smp.o (under kernel/Makefile:2 ifdef CONFIG_SMP with CONFIG_SMP=y)' });
    expect(r.resolve('kernel/up.c')).toMatchObject({
      object: 'unknown',
      notBuilt: true,
      reason: 'not built: kernel/Makefile:5: obj-y += up.o is in a branch not taken of kernel/Makefile:2 ifdef CONFIG_SMP with CONFIG_SMP=y',
    });
    expect(r.resolve('kernel/kexec.c').object).toBe('vmlinux');
    expect(resolver(files, { CONFIG_MMU: 'y' }).resolve('kernel/kexec.c').notBuilt).toBe(true);
  });

  it('a conditional or a list on something klp-lens cannot evaluate is unknown, with the reason', () => {
    const r = resolver(files, cfg);
    expect(r.resolve('kernel/only32.c')).toMatchObject({ object: 'unknown', reason: 'kernel/Makefile:10: ifeq ($(BITS),32): klp-lens does not evaluate $(BITS)' });
    // A file that only an unevaluated word could name.
    expect(r.resolve('kernel/other.c')).toMatchObject({ object: 'unknown', reason: expect.stringContaining('klp-lens does not evaluate $(call objs-of,x)') });
  });

  it('an object replaced by a later := is not built', () => {
    const r = resolver(files, cfg);
    expect(r.resolve('kernel/nommu.c').reason).toBe('not built: kernel/Makefile:14: proc-y := nommu.o is replaced by kernel/Makefile:15: proc-$(CONFIG_MMU) := task_mmu.o (CONFIG_MMU=y)');
    expect(r.resolve('kernel/task_mmu.c').object).toBe('vmlinux');
  });

  it('a name in a list kbuild does not link is not built', () => {
    expect(resolver(files, cfg).resolve('lib/gen.c').object).toBe('unknown');
  });
});

describe('createKbuildResolver: directories', () => {
  const files = {
    ...TOP,
    'drivers/Makefile': [
      'obj-y += base/',
      'obj-m += modonly/',
      'obj-$(CONFIG_CDROM) += cdrom/',
      'obj-$(CONFIG_OFF) += off/',
      'obj-$(CONFIG_INPUT) += input/serio/',
      'subdir-y += tools',
    ].join('\n'),
    'drivers/base/Makefile': 'obj-y += core.o sub/deep.o\n',
    'drivers/modonly/Makefile': 'obj-y += builtin.o\nobj-m += mod.o\nobj-y += nested/\n',
    'drivers/modonly/nested/Makefile': 'obj-y += n.o\nobj-m += nm.o\n',
    'drivers/cdrom/Makefile': 'obj-y += cdrom.o\nobj-m += cdmod.o\n',
    'drivers/off/Makefile': 'obj-y += off.o\n',
    'drivers/input/serio/Makefile': 'obj-y += serio.o\n',
    'drivers/tools/Makefile': 'obj-y += tool.o\n',
    'net/Makefile': 'obj-y += socket.o\n',
    'arch/x86/Makefile': 'obj-y += setup.o\n',
    'lib/Makefile': 'obj-y += sort.o\n',
  };
  const cfg = { CONFIG_CDROM: 'm', CONFIG_INPUT: 'y', CONFIG_NET: 'y' };

  it('reaches directories through obj-y += dir/ from the top Kbuild down', () => {
    const r = resolver(files, cfg);
    expect(r.resolve('drivers/base/core.c').object).toBe('vmlinux');
    expect(r.resolve('net/socket.c').object).toBe('vmlinux');
  });

  it('an object listed with a subdirectory path belongs to the listing directory', () => {
    expect(resolver(files, cfg).resolve('drivers/base/sub/deep.c')).toMatchObject({ object: 'vmlinux', reason: 'drivers/base/Makefile:1: obj-y += sub/deep.o' });
  });

  it('a directory listed with a deeper path (input/serio/) is reached too', () => {
    expect(resolver(files, cfg).resolve('drivers/input/serio/serio.c').object).toBe('vmlinux');
  });

  it('in a directory reached only through obj-m, obj-y objects are not built in; modules are', () => {
    const r = resolver(files, cfg);
    expect(r.resolve('drivers/modonly/mod.c').object).toBe('mod');
    const b = r.resolve('drivers/modonly/builtin.c');
    expect(b).toMatchObject({ object: 'unknown', notBuilt: true });
    expect(b.reason).toContain('drivers/modonly/ is reached only through obj-m (drivers/Makefile:2: obj-m += modonly/)');
    expect(r.resolve('drivers/modonly/nested/n.c').notBuilt).toBe(true);
    expect(r.resolve('drivers/modonly/nested/nm.c').object).toBe('nm');
  });

  it('obj-$(CONFIG_X) += dir/ with X=m reaches the directory for modules only', () => {
    const r = resolver(files, cfg);
    expect(r.resolve('drivers/cdrom/cdmod.c').object).toBe('cdmod');
    expect(r.resolve('drivers/cdrom/cdrom.c').notBuilt).toBe(true);
  });

  it('a directory whose option is unset builds nothing, and the reason names the line', () => {
    expect(resolver(files, cfg).resolve('drivers/off/off.c')).toMatchObject({
      object: 'unknown',
      notBuilt: true,
      reason: 'not built: drivers/off/Makefile:1: obj-y += off.o, but drivers/off/ is not built: drivers/Makefile:4: obj-$(CONFIG_OFF) += off/ (CONFIG_OFF is not set)',
    });
    expect(resolver(files, { ...cfg, CONFIG_NET: '' }).resolve('net/socket.c').notBuilt).toBe(true);
  });

  it('without a .config, a directory behind an option is unknown', () => {
    expect(resolver(files).resolve('net/socket.c')).toMatchObject({ object: 'unknown', reason: 'needs .config: Kbuild:3 obj-$(CONFIG_NET)' });
  });

  it('subdir-y descends without linking anything', () => {
    expect(resolver(files, cfg).resolve('drivers/tools/tool.c')).toMatchObject({ object: 'unknown', notBuilt: true, reason: expect.stringContaining('subdir-y descends') });
  });

  it('arch/$(SRCARCH)/ is not evaluated: unknown, naming the variable', () => {
    expect(resolver(files, cfg).resolve('arch/x86/setup.c')).toMatchObject({ object: 'unknown', reason: 'Kbuild:4: arch/$(SRCARCH)/: klp-lens does not evaluate $(SRCARCH)' });
  });

  it('the top Makefile lists reach directories (libs-y := lib/ in 6.1; core-y, drivers-y, net-y before 5.x)', () => {
    expect(resolver(files, cfg).resolve('lib/sort.c')).toMatchObject({ object: 'vmlinux' });
    const old = resolver(
      {
        Makefile: 'ifeq ($(KBUILD_EXTMOD),)\ncore-y := usr/\ncore-y += kernel/\ndrivers-y := drivers/\nnet-y := net/\nlibs-y := lib/\nendif\n',
        'kernel/Makefile': 'obj-y += fork.o\n',
        'net/Makefile': 'obj-y += socket.o\n',
      },
      cfg,
    );
    expect(old.resolve('kernel/fork.c').object).toBe('vmlinux');
    expect(old.resolve('net/socket.c').object).toBe('vmlinux');
  });

  it('prefers a directory\'s Kbuild to its Makefile (scripts/Makefile.build kbuild-file)', () => {
    const r = resolver({ ...files, 'drivers/base/Kbuild': 'obj-m += core.o\n' }, cfg);
    expect(r.resolve('drivers/base/core.c').object).toBe('core');
  });
});

describe('createKbuildResolver: reading the tree from disk', () => {
  const tree = fixturePath('kbuild', 'tree');

  it('reads the kbuild files of a real directory', () => {
    const r = createKbuildResolver(tree, new Map([['CONFIG_DEMO', 'm']]));
    expect(r.resolve(path.join(tree, 'drivers/demo/demo-main.c'))).toEqual({
      file: 'drivers/demo/demo-main.c',
      object: 'demo_drv',
      reason: 'drivers/demo/Makefile:3: demo-drv-y := demo-main.o; drivers/demo/Makefile:2: obj-$(CONFIG_DEMO) += demo-drv.o (CONFIG_DEMO=m)',
    });
    expect(r.resolve('drivers/demo/missing.c').reason).toMatch(/^not in drivers\/demo\/Makefile/);
    expect(r.resolve('drivers/nowhere/x.c').reason).toBe('no Kbuild or Makefile in drivers/nowhere');
  });
});
