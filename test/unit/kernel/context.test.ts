import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadKernelContext } from '../../../server/src/kernel/context';
import { fixturePath } from '../../helpers/fixtures';

const kernelFixture = (...parts: string[]) => fixturePath('kernel', ...parts);

/** A fresh folder holding copies of fixture files (name in the folder -> fixture path). */
function folderWith(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'klp-kernel-'));
  for (const [name, from] of Object.entries(files)) copyFileSync(from, path.join(dir, name));
  return dir;
}

describe('loadKernelContext on a build tree', async () => {
  const context = await loadKernelContext({ kernel: kernelFixture('build') });

  it('reads every piece it finds and says so in has', () => {
    expect(context.has).toEqual({ symvers: true, vmlinuxSymbols: true, moduleList: true, config: true, source: true });
    expect(context.release).toBe('6.1.0-test');
    expect(context.exports.get('cdrom_check_events')?.object).toBe('cdrom');
    expect(context.objects.get('vmlinux')?.source).toBe('system-map');
    expect(context.config?.get('CONFIG_LIVEPATCH')).toBe('y');
    expect(context.sourceDir).toBe(kernelFixture('build'));
    expect(context.kbuild).toBeDefined();
  });

  it('reads the .ko files under the tree', () => {
    expect(context.objects.get('tiny')?.count).toBe(10);
    expect(context.modules.get('tiny')).toEqual({
      name: 'tiny',
      builtin: false,
      path: 'drivers/tiny/tiny.ko',
      depends: ['cdrom', 'scsi_mod'],
      vermagic: '6.1.0-test SMP mod_unload',
      livepatch: false,
    });
  });

  it('knows modules from modules.order, modules.builtin and Module.symvers', () => {
    expect(context.modules.get('cdrom')).toEqual({ name: 'cdrom', builtin: false, path: 'drivers/cdrom/cdrom.ko' });
    expect(context.modules.get('zswap')).toMatchObject({ builtin: true });
    expect(context.modules.get('usb_storage')).toEqual({ name: 'usb_storage', builtin: false });
    expect([...context.modules.keys()].sort()).toEqual(['cdrom', 'foo', 'tiny', 'usb_storage', 'zswap']);
  });

  it('passes on the parse problems of the files it read', () => {
    expect(context.problems.map((p) => [p.code, p.severity])).toEqual([
      ['parse-error', 'warning'],
      ['parse-error', 'warning'],
      ['parse-error', 'warning'],
    ]);
  });
});

describe('loadKernelContext on a folder of compressed artifacts', async () => {
  const context = await loadKernelContext({ kernel: kernelFixture('artifacts') });

  it('prefers kallsyms to System.map for vmlinux and takes modules from [mod] lines', () => {
    expect(context.objects.get('vmlinux')?.source).toBe('kallsyms');
    expect(context.objects.get('vmlinux')?.byName.get('type_show')).toHaveLength(4);
    expect(context.objects.get('mymod')?.count).toBe(3);
    expect(context.modules.get('mymod')).toEqual({ name: 'mymod', builtin: false });
  });

  it('reads .xz, .gz and .zst files, and modules/**/*.ko.zst', () => {
    expect(context.has).toEqual({ symvers: true, vmlinuxSymbols: true, moduleList: true, config: true, source: false });
    expect(context.exports.size).toBe(4);
    expect(context.modules.get('sr_mod')?.path).toBe('kernel/drivers/scsi/sr_mod.ko');
    expect(context.modules.get('tiny')?.path).toBe('drivers/tiny/tiny.ko.zst');
    expect(context.objects.get('tiny')?.source).toBe('elf');
    expect(context.release).toBe('6.1.0-test');
  });
});

describe('loadKernelContext on /lib/modules/<release>/build', async () => {
  const context = await loadKernelContext({ kernel: kernelFixture('installed/lib/modules/6.1.0-test/build') });

  it('takes the release from the path and the lists, modules and source from the parent folder', () => {
    expect(context.release).toBe('6.1.0-test'); // not include/config/kernel.release, as Debian's headers hold the upstream version there
    expect(context.has).toMatchObject({ symvers: true, moduleList: true, vmlinuxSymbols: false, source: true });
    expect(context.sourceDir).toBe(kernelFixture('installed/lib/modules/6.1.0-test/source'));
    expect(context.modules.get('tiny')?.path).toBe('kernel/drivers/tiny/tiny.ko.xz');
    expect(context.objects.get('tiny')?.count).toBe(10);
  });
});

describe('loadKernelContext with explicit files', () => {
  it('lets an explicit file override the discovered one', async () => {
    const context = await loadKernelContext({ kernel: kernelFixture('artifacts'), systemMap: kernelFixture('System.map') });
    expect(context.objects.get('vmlinux')?.source).toBe('system-map');
    expect(context.objects.has('mymod')).toBe(false);
  });

  it('works without a kernel folder', async () => {
    const context = await loadKernelContext({ symvers: kernelFixture('Module.symvers'), modules: kernelFixture('elf') });
    expect(context.has).toMatchObject({ symvers: true, vmlinuxSymbols: false, moduleList: false });
    expect(context.objects.get('tiny')?.count).toBe(10);
  });

  it.each([
    ['symvers', { symvers: '/nonexistent/Module.symvers' }, 'cannot read Module.symvers /nonexistent/Module.symvers: no such file or directory'],
    ['kallsyms', { kallsyms: '/nonexistent/kallsyms' }, 'cannot read kallsyms /nonexistent/kallsyms: no such file or directory'],
    ['systemMap', { systemMap: '/nonexistent/System.map' }, 'cannot read System.map /nonexistent/System.map: no such file or directory'],
    ['config', { config: '/nonexistent/.config' }, 'cannot read .config /nonexistent/.config: no such file or directory'],
    ['kernel', { kernel: '/nonexistent/build' }, 'cannot read kernel directory /nonexistent/build: no such file or directory'],
    ['source', { source: '/nonexistent/src' }, 'cannot read source tree /nonexistent/src: no such file or directory'],
    ['modules', { modules: kernelFixture('Module.symvers') }, `cannot read modules folder ${kernelFixture('Module.symvers')}: not a directory`],
  ])('reports an unreadable explicit %s as one unreadable-input error', async (_, options, message) => {
    const context = await loadKernelContext(options);
    expect(context.problems).toHaveLength(1);
    expect(context.problems[0]).toMatchObject({ code: 'unreadable-input', severity: 'error', message });
    expect(context.has).toEqual({ symvers: false, vmlinuxSymbols: false, moduleList: false, config: false, source: false });
  });

  it('reports a corrupt module found in a folder as a warning and goes on', async () => {
    const context = await loadKernelContext({ modules: kernelFixture('elf') });
    expect(context.problems.map((p) => [p.code, p.severity, p.file.split('/').pop()])).toEqual([['parse-error', 'warning', 'tiny_truncated.ko']]);
  });

  it('reads nothing and reports nothing when given nothing', async () => {
    const context = await loadKernelContext({});
    expect(context.problems).toEqual([]);
    expect(context.objects.size).toBe(0);
  });
});

describe('loadKernelContext on a build tree with a vmlinux ELF file', () => {
  const folders: string[] = [];
  afterAll(() => folders.forEach((dir) => rmSync(dir, { recursive: true, force: true })));
  const folder = (files: Record<string, string>) => {
    const dir = folderWith(files);
    folders.push(dir);
    return dir;
  };

  it('reads the symbol table of vmlinux when there is neither kallsyms nor System.map', async () => {
    const context = await loadKernelContext({ kernel: kernelFixture('vmlinux') });
    expect(context.problems).toEqual([]);
    expect(context.has).toEqual({ symvers: false, vmlinuxSymbols: true, moduleList: false, config: false, source: false });
    expect(context.objects.get('vmlinux')).toMatchObject({ source: 'elf', file: kernelFixture('vmlinux', 'vmlinux'), count: 14 });
    expect(context.objects.get('vmlinux')?.byName.get('helper')?.map((e) => e.index)).toEqual([1, 6]);
    expect([...context.objects.keys()]).toEqual(['vmlinux']);
  });

  it('prefers System.map to vmlinux', async () => {
    const dir = folder({ vmlinux: kernelFixture('vmlinux', 'vmlinux'), 'System.map': kernelFixture('System.map') });
    const context = await loadKernelContext({ kernel: dir });
    expect(context.objects.get('vmlinux')).toMatchObject({ source: 'system-map', count: 5 });
  });

  it('does not look for vmlinux when System.map is named explicitly, even unreadable', async () => {
    const context = await loadKernelContext({ kernel: kernelFixture('vmlinux'), systemMap: '/nonexistent/System.map' });
    expect(context.objects.has('vmlinux')).toBe(false);
    expect(context.problems.map((p) => p.code)).toEqual(['unreadable-input']);
  });

  it('reports a vmlinux that is not ELF as a warning and goes on', async () => {
    const dir = folder({ 'Module.symvers': kernelFixture('Module.symvers') });
    writeFileSync(path.join(dir, 'vmlinux'), 'not an ELF file, only some words that are long enough for a header');
    const context = await loadKernelContext({ kernel: dir });
    expect(context.has).toMatchObject({ symvers: true, vmlinuxSymbols: false });
    expect(context.problems.filter((p) => p.message.startsWith('not a readable vmlinux')).map((p) => [p.code, p.severity, p.file])).toEqual([
      ['parse-error', 'warning', path.join(dir, 'vmlinux')],
    ]);
  });
});
