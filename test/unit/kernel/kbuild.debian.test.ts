// The resolver on the real 6.1 kbuild files of the corpus with Debian's amd64 .config,
// checked against what Debian's build of that tree produced (modules.order, modules.builtin).
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { beforeAll, expect, it } from 'vitest';
import { parseConfig } from '../../../server/src/kernel/config';
import { createKbuildResolver } from '../../../server/src/kernel/kbuild';
import { kbuildLists } from '../../../server/src/kernel/kbuildLists';
import type { KbuildLists } from '../../../server/src/kernel/kbuildLists';
import { evaluateMakefile } from '../../../server/src/kernel/makefileEval';
import type { KbuildResolver } from '../../../server/src/kernel/types';
import { moduleNameOf } from '../../../server/src/kernel/types';
import { describeShared } from '../../helpers/shared';
import { corpusConfig, corpusFiles, corpusSources, debianModules, debianText, LINUX } from './kbuildDebian';

describeShared('kbuild on linux-6.1 with Debian amd64 config', () => {
  let config: Map<string, string>;
  let kbuild: KbuildResolver;
  let order: string[];
  let builtin: string[];
  /** Each corpus directory with a kbuild file, and its lists under the config. */
  let dirs: Map<string, KbuildLists>;

  beforeAll(async () => {
    config = corpusConfig();
    kbuild = createKbuildResolver(LINUX, config);
    order = await debianModules('modules.order.xz');
    builtin = await debianModules('modules.builtin.xz');
    dirs = new Map(
      corpusFiles('.', /^(Makefile|Kbuild)$/)
        .filter((f) => path.posix.dirname(f) !== '.')
        .map((f) => [path.posix.dirname(f), kbuildLists(evaluateMakefile(readFileSync(path.join(LINUX, f), 'utf8'), f, { config }))]),
    );
  });

  it("the corpus's debian-config is the kernel's real .config (config.xz)", async () => {
    const real = parseConfig(await debianText('config.xz'), 'config.xz');
    expect(real.problems).toEqual([]);
    expect(real.config.size).toBeGreaterThan(6000);
    expect(config).toEqual(real.config);
    expect(config.get('CONFIG_CDROM')).toBe('m');
    expect(config.has('CONFIG_GDROM')).toBe(false);
  });

  it('drivers/cdrom: cdrom.c is the cdrom module; gdrom.c is not built (CONFIG_GDROM is unset on amd64)', () => {
    expect(kbuild.resolve('drivers/cdrom/cdrom.c')).toEqual({
      file: 'drivers/cdrom/cdrom.c',
      object: 'cdrom',
      reason: 'drivers/cdrom/Makefile:2: obj-$(CONFIG_CDROM) += cdrom.o (CONFIG_CDROM=m)',
    });
    expect(kbuild.resolve(path.join(LINUX, 'drivers/cdrom/gdrom.c'))).toEqual({
      file: 'drivers/cdrom/gdrom.c',
      object: 'unknown',
      reason: 'not built: drivers/cdrom/Makefile:3: obj-$(CONFIG_GDROM) += gdrom.o (CONFIG_GDROM is not set)',
      notBuilt: true,
    });
  });

  it('fs/proc: every .c is in vmlinux, except the !MMU files and bootconfig.c (CONFIG_BOOT_CONFIG unset)', () => {
    expect(kbuild.resolve('fs/proc/cmdline.c')).toMatchObject({ object: 'vmlinux', reason: 'fs/proc/Makefile:15: proc-y += cmdline.o; fs/proc/Makefile:6: obj-y += proc.o' });
    const notBuilt = ['fs/proc/bootconfig.c', 'fs/proc/nommu.c', 'fs/proc/task_nommu.c'];
    const files = corpusFiles('fs/proc', /\.c$/);
    expect(files.length).toBeGreaterThan(30);
    for (const f of files) {
      const r = kbuild.resolve(f);
      if (notBuilt.includes(f)) expect(r, f).toMatchObject({ object: 'unknown', notBuilt: true });
      else expect(r.object, `${f}: ${r.reason}`).toBe('vmlinux');
    }
    expect(kbuild.resolve('fs/proc/nommu.c').reason).toContain('proc-$(CONFIG_MMU) := task_mmu.o (CONFIG_MMU=y)');
  });

  it('net/ipv4/netfilter/ip_tables.c is the ip_tables module', () => {
    expect(kbuild.resolve('net/ipv4/netfilter/ip_tables.c')).toMatchObject({ object: 'ip_tables', reason: expect.stringContaining('(CONFIG_IP_NF_IPTABLES=m)') });
  });

  it('drivers/scsi: the parts of the sr_mod composite are sr_mod', () => {
    for (const f of ['sr.c', 'sr_ioctl.c', 'sr_vendor.c']) expect(kbuild.resolve(`drivers/scsi/${f}`).object).toBe('sr_mod');
    expect(kbuild.resolve('drivers/scsi/sr.c').reason).toBe(
      'drivers/scsi/Makefile:177: sr_mod-objs := sr.o; drivers/scsi/Makefile:148: obj-$(CONFIG_BLK_DEV_SR) += sr_mod.o (CONFIG_BLK_DEV_SR=m)',
    );
  });

  it('fs/nfsd/nfs4state.c is nfsd', () => {
    expect(kbuild.resolve('fs/nfsd/nfs4state.c')).toMatchObject({ object: 'nfsd', reason: expect.stringContaining('nfsd-$(CONFIG_NFSD_V4) += nfs4state.o (CONFIG_NFSD_V4=y)') });
  });

  it('kernel/livepatch is built into vmlinux', () => {
    const files = corpusFiles('kernel/livepatch', /\.c$/);
    expect(files).toContain('kernel/livepatch/core.c');
    for (const f of files) expect(kbuild.resolve(f).object, f).toBe('vmlinux');
  });

  it('without the .config, says which option it needs', () => {
    const blind = createKbuildResolver(LINUX, undefined);
    expect(blind.resolve('drivers/cdrom/cdrom.c')).toEqual({
      file: 'drivers/cdrom/cdrom.c',
      object: 'unknown',
      reason: 'needs .config: drivers/cdrom/Makefile:2 obj-$(CONFIG_CDROM)',
    });
    expect(blind.resolve('fs/proc/cmdline.c').reason).toMatch(/^needs \.config: /);
  });

  it('every module the corpus kbuild files build is in modules.order, under its directory', () => {
    const byName = new Map(order.map((p) => [moduleNameOf(p), p]));
    let checked = 0;
    for (const [dir, lists] of dirs) {
      for (const entry of lists.entries.filter((e) => e.kind === 'obj-m' && !e.doubt)) {
        const r = kbuild.resolve(`${dir}/${entry.word.text.replace(/\.o$/, '.c')}`);
        if (r.object === 'unknown') continue;
        expect(byName.get(r.object), `${r.object} (${r.reason})`).toMatch(new RegExp(`^kernel/${dir}/`));
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(100);
  });

  it('every module of modules.order in a corpus directory is resolved from a source of that directory', () => {
    let checked = 0;
    for (const line of order) {
      const dir = path.posix.dirname(line).replace(/^kernel\//, '');
      const lists = dirs.get(dir);
      if (!lists) continue;
      const name = moduleNameOf(line);
      const sources = lists.entries.filter((e) => e.kind === 'obj-m' && e.object === name).map((e) => `${dir}/${e.word.text.replace(/\.o$/, '.c')}`);
      expect(sources, line).not.toEqual([]);
      expect(sources.map((s) => kbuild.resolve(s).object), line).toContain(name);
      checked++;
    }
    expect(checked).toBeGreaterThan(100);
  });

  it('every built-in module of modules.builtin in a corpus directory resolves to vmlinux', () => {
    let checked = 0;
    for (const line of builtin) {
      const dir = path.posix.dirname(line).replace(/^kernel\//, '');
      const lists = dirs.get(dir);
      if (!lists) continue;
      const object = `${path.posix.basename(line, '.ko')}.o`;
      const sources = lists.entries.filter((e) => e.kind === 'obj-y' && e.via[e.via.length - 1].text === object).map((e) => `${dir}/${e.word.text.replace(/\.o$/, '.c')}`);
      expect(sources, line).not.toEqual([]);
      for (const s of sources) expect(kbuild.resolve(s).object, s).toBe('vmlinux');
      checked++;
    }
    // lib/ (btree, crc32 ...), fs/ (binfmt_elf ...), net/ipv4 (tcp_cubic).
    expect(checked).toBeGreaterThanOrEqual(15);
  });

  it('resolves every source file of the corpus with a reason, never a module Debian did not build', () => {
    const names = new Set(order.map(moduleNameOf));
    const files = corpusSources();
    expect(files.length).toBeGreaterThan(250);
    for (const f of files) {
      const r = kbuild.resolve(f);
      expect(r.reason, f).not.toBe('');
      if (r.object !== 'unknown' && r.object !== 'vmlinux') expect(names.has(r.object), `${f} -> ${r.object}`).toBe(true);
    }
  });
});
