// Real modules: every C file of the corpus, the kernel's own livepatch samples and selftest
// modules (their sources say what they patch), and SUSE's production livepatch.
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { beforeAll, expect, it } from 'vitest';
import type { Livepatch } from '../../../server/src/model/livepatch';
import { livepatchFromModule } from '../../../server/src/model/fromModule';
import { parseKernelVersion } from '../../../server/src/kernel/kernelVersion';
import { predefinedFromConfig } from '../../../server/src/model/targetMacros';
import { CParser } from '../../../server/src/syntax/treeSitter';
import { analyze } from '../../../server/src/analysis/analyze';
import { AnalysisSession } from '../../../server/src/analysis/session';
import { nodeFileSource } from '../../../server/src/common/fileSource';
import { loadKernelContext } from '../../../server/src/kernel/context';
import { emptyKernelContext, type KernelContext } from '../../../server/src/kernel/types';
import { CORPUS, DEBIAN_KERNEL, describeShared } from '../../helpers/shared';

let parser: CParser;
beforeAll(async () => {
  parser = await CParser.create();
});

function filesUnder(dir: string, keep: (file: string) => boolean): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return filesUnder(full, keep);
    return keep(full) ? [full] : [];
  });
}

function read(file: string): Livepatch {
  return livepatchFromModule(parser, readFileSync(file, 'utf8'), file, { name: path.basename(file, '.c').replace(/-/g, '_') });
}

/** object -> 'func[,sympos]' list, callbacks count when any. */
function shape(lp: Livepatch): Record<string, string[]> {
  return Object.fromEntries(
    lp.objects.map((o) => [
      `${o.declaredName === null ? '(NULL) ' : ''}${o.object}${o.callbacks.length ? ` +${o.callbacks.length} callbacks` : ''}`,
      o.funcs.map((f) => (f.sympos ? `${f.name},${f.sympos}` : f.name)),
    ]),
  );
}

describeShared('livepatchFromModule on every C file of the corpus', () => {
  it('reads each without an exception and without an internal error', () => {
    const files = filesUnder(CORPUS, (f) => f.endsWith('.c'));
    expect(files.length).toBeGreaterThan(100);
    for (const file of files) {
      const lp = read(file);
      expect(lp.kind, file).toBe('module');
      expect(lp.problems.filter((p) => p.severity === 'error'), file).toEqual([]);
    }
  });
});

describeShared('livepatchFromModule on the kernel\'s own livepatch modules (Linux 6.1)', () => {
  const linux = (p: string) => path.join(CORPUS, 'linux-6.1', p);
  const CASES: Array<[string, Record<string, string[]>, { replace?: boolean; states?: string[] }?]> = [
    ['samples/livepatch/livepatch-sample.c', { '(NULL) vmlinux': ['cmdline_proc_show'] }],
    ['samples/livepatch/livepatch-shadow-fix1.c', { livepatch_shadow_mod: ['dummy_alloc', 'dummy_free'] }],
    ['samples/livepatch/livepatch-shadow-fix2.c', { livepatch_shadow_mod: ['dummy_check', 'dummy_free'] }],
    [
      'samples/livepatch/livepatch-callbacks-demo.c',
      {
        '(NULL) vmlinux +4 callbacks': [],
        'livepatch_callbacks_mod +4 callbacks': [],
        'livepatch_callbacks_busymod +4 callbacks': ['busymod_work_func'],
      },
    ],
    ['lib/livepatch/test_klp_livepatch.c', { '(NULL) vmlinux': ['cmdline_proc_show'] }],
    ['lib/livepatch/test_klp_atomic_replace.c', { '(NULL) vmlinux': ['meminfo_proc_show'] }, { replace: false }],
    [
      'lib/livepatch/test_klp_callbacks_demo.c',
      {
        '(NULL) vmlinux +4 callbacks': [],
        'test_klp_callbacks_mod +4 callbacks': [],
        'test_klp_callbacks_busy +4 callbacks': ['busymod_work_func'],
      },
    ],
    ['lib/livepatch/test_klp_callbacks_demo2.c', { '(NULL) vmlinux +4 callbacks': [] }, { replace: false }],
    ['lib/livepatch/test_klp_state.c', { '(NULL) vmlinux +4 callbacks': [] }, { replace: true, states: ['1v1'] }],
    ['lib/livepatch/test_klp_state2.c', { '(NULL) vmlinux +4 callbacks': [] }, { replace: true, states: ['1v2'] }],
  ];

  it.each(CASES)('%s', (file, objects, extra = {}) => {
    const lp = read(linux(file));
    expect(shape(lp)).toEqual(objects);
    expect(lp.replace).toBe(extra.replace ?? false);
    expect(lp.states.map((s) => `${s.id}v${s.version}`)).toEqual(extra.states ?? []);
    expect(lp.livepatchModinfo).toBe(true);
    expect(lp.arrays?.every((a) => a.terminated === true)).toBe(true);
    expect(lp.objects.every((o) => o.hasFuncs && o.funcsTerminated === true)).toBe(true);
  });

  it('notes that replace comes from the `replace` module parameter, default 0', () => {
    for (const file of ['lib/livepatch/test_klp_atomic_replace.c', 'lib/livepatch/test_klp_callbacks_demo2.c']) {
      const lp = read(linux(file));
      expect(lp.problems.map((p) => p.message)).toEqual([
        'replace comes from the module parameter `replace`: klp-lens uses its default, false (load with replace=1 for the other behaviour)',
      ]);
    }
  });

  it('sees no livepatch in the target modules, and says test_klp_state3.c only includes test_klp_state2.c', () => {
    for (const file of ['samples/livepatch/livepatch-callbacks-mod.c', 'samples/livepatch/livepatch-shadow-mod.c', 'lib/livepatch/test_klp_callbacks_mod.c', 'lib/livepatch/test_klp_callbacks_busy.c', 'lib/livepatch/test_klp_shadow_vars.c']) {
      const lp = read(linux(file));
      expect(lp.objects, file).toEqual([]);
      expect(lp.livepatchModinfo, file).toBe(false);
    }
    const state3 = read(linux('lib/livepatch/test_klp_state3.c'));
    expect(state3.objects).toEqual([]);
    expect(state3.problems.map((p) => p.message)).toContain('klp-lens reads this file alone: the klp structures of the included test_klp_state2.c are not seen');
  });

  it('reads the exports of kernel/livepatch/shadow.c', () => {
    expect(read(linux('kernel/livepatch/shadow.c')).exports.map((e) => e.name)).toEqual([
      'klp_shadow_get',
      'klp_shadow_alloc',
      'klp_shadow_get_or_alloc',
      'klp_shadow_free',
      'klp_shadow_free_all',
    ]);
  });
});

describeShared('livepatchFromModule on the selftest module that names a syscall per architecture (Linux 6.12 and later)', () => {
  const file = path.join(CORPUS, 'upstream-klp-build/torvalds-linux/tools/testing/selftests/livepatch/test_modules/test_klp_syscall.c');
  const text = () => readFileSync(file, 'utf8');

  it('reads `__stringify(FN_PREFIX) "sys_getpid"` with the FN_PREFIX of the target\'s architecture', () => {
    const x86 = livepatchFromModule(parser, text(), file, { name: 'test_klp_syscall', predefined: predefinedFromConfig(new Map([['CONFIG_X86_64', 'y']])) });
    expect(shape(x86)).toEqual({ '(NULL) vmlinux': ['__x64_sys_getpid'] });
    expect(x86.problems.filter((p) => p.code === 'parse-error')).toEqual([]);
    const arm = livepatchFromModule(parser, text(), file, { name: 'test_klp_syscall', predefined: predefinedFromConfig(new Map([['CONFIG_ARM64', 'y']])) });
    expect(shape(arm)).toEqual({ '(NULL) vmlinux': ['__arm64_sys_getpid'] });
  });

  it('is read with the kernel\'s architecture in an analysis (the .config of Debian 6.1: x86-64; an arm64 one)', async () => {
    const names = (kernel: KernelContext) =>
      analyze({ paths: [file], kernel, fs: nodeFileSource(), session: new AnalysisSession(parser) }).livepatches.flatMap((lp) => lp.objects.flatMap((o) => o.funcs.map((f) => f.name)));
    expect(names(await loadKernelContext({ kernel: DEBIAN_KERNEL }))).toEqual(['__x64_sys_getpid']);
    const empty = emptyKernelContext();
    expect(names({ ...empty, config: new Map([['CONFIG_ARM64', 'y']]), has: { ...empty.has, config: true } })).toEqual(['__arm64_sys_getpid']);
  });

  it('says it cannot read the name where the target is not known', () => {
    const lp = read(file);
    expect(shape(lp)).toEqual({ '(NULL) vmlinux': [] });
    expect(lp.problems.map((p) => p.message)).toContainEqual(expect.stringMatching(/^cannot read the function name `.*__stringify\(FN_PREFIX\) "sys_getpid"`: klp-lens leaves this klp_func out$/));
  });
});

describeShared('livepatchFromModule on a module written for several kernel versions (hackman/kernel-livepatches)', () => {
  const file = path.join(CORPUS, 'github/hackman__kernel-livepatches/ptrace-fix-livepatch.c');
  const references = (version: string) =>
    livepatchFromModule(parser, readFileSync(file, 'utf8'), file, { name: 'ptrace_fix_livepatch', predefined: predefinedFromConfig(new Map([['CONFIG_X86_64', 'y']]), parseKernelVersion(version, 'the test')) })
      .references.map((r) => r.name);

  // From 5.7 it defines NEED_KPROBE_FALLBACK (under `#if LINUX_VERSION_CODE >= KERNEL_VERSION(5, 7, 0)`) and finds
  // kallsyms_lookup_name with a kprobe; before, its `#else` branch takes the function's address (exported until 5.7).
  it('references kallsyms_lookup_name only on the kernels whose #if branch does', () => {
    expect(references('6.1.192')).not.toContain('kallsyms_lookup_name');
    expect(references('6.1.192')).toContain('register_kprobe');
    expect(references('5.4.10')).toContain('kallsyms_lookup_name');
    expect(references('5.4.10')).not.toContain('register_kprobe');
  });
});

describeShared('livepatchFromModule on the small public livepatch modules', () => {
  const github = (p: string) => path.join(CORPUS, 'github', p);

  it.each([
    ['cupnes__livepatch-read-dev-null/livepatch-read-dev-null.c', { '(NULL) vmlinux': ['read_null'] }],
    ['hackman__kernel-livepatches/ptrace-fix-livepatch.c', { '(NULL) vmlinux': ['ptrace_may_access'] }],
    ['hackman__kernel-livepatches/nft-catchall-fix-livepatch.c', { nf_tables: ['nft_map_catchall_activate'] }],
    ['hackman__kernel-livepatches/loadavg-lxd-livepatch.c', { '(NULL) vmlinux': ['__x64_sys_sysinfo'] }],
    ['kazuru-chidumbwe__livepatch-differential-harness/pilot/handbuild/LP-PILOT-02/livepatch-version.c', { '(NULL) vmlinux': ['version_proc_show'] }],
  ])('%s', (file, objects) => {
    expect(shape(read(github(file)))).toEqual(objects);
  });

  it('reads the kallsyms lookups through a pointer to kallsyms_lookup_name', () => {
    const lp = read(github('hackman__kernel-livepatches/nft-catchall-fix-livepatch.c'));
    expect(lp.klpSymbols.map((k) => [k.spelling, k.name, k.anyObject])).toEqual([['kallsyms_lookup_name', 'nft_setelem_data_activate', true]]);
  });

  it('says the objects of filter-functions-livepatch.c are built at run time', () => {
    const lp = read(github('hackman__kernel-livepatches/filter-functions-livepatch.c'));
    expect(lp.objects).toEqual([]);
    expect(lp.problems.map((p) => p.message)).toEqual(['cannot read the objects of this patch (`objs`, e.g. built at run time): klp-lens sees none']);
  });
});

describeShared('livepatchFromModule on SUSE\'s SLE15-SP6 livepatch', () => {
  const suse = path.join(CORPUS, 'github/SUSE__kernel-livepatch/SLE15-SP6_Update_0');

  it('turns every KLP_RELOC_SYMBOL declaration into a klp symbol of the right object, in order', () => {
    const files = filesUnder(suse, (f) => f.endsWith('.c'));
    let total = 0;
    for (const file of files) {
      const text = readFileSync(file, 'utf8');
      const written = [...text.matchAll(/^(?!\s*#\s*define).*?\bKLP_RELOC_SYMBOL\s*\(\s*(\w+)\s*,\s*(\w+)\s*,\s*(\w+)\s*\)/gm)].map((m) => `${m[2]}.${m[3]}`);
      const lp = read(file);
      expect(lp.klpSymbols.map((k) => `${k.object}.${k.name}`), file).toEqual(written);
      expect(lp.klpSymbols.every((k) => k.sympos === 0 && k.spelling === 'KLP_RELOC_SYMBOL')).toBe(true);
      total += written.length;
    }
    expect(total).toBeGreaterThan(400);
  });

  it('gives the C name of a klpe_ declaration', () => {
    const lp = read(path.join(suse, 'bsc1225011/livepatch_bsc1225011.c'));
    expect(lp.klpSymbols.map((k) => [k.object, k.name, k.localName])).toEqual([
      ['cifs', 'cifs_tcp_ses_lock', 'klpe_cifs_tcp_ses_lock'],
      ['cifs', 'cifs_queue_oplock_break', 'klpe_cifs_queue_oplock_break'],
      ['cifs', 'cifsFYI', 'klpe_cifsFYI'],
    ]);
  });

  it('reads the template main module: .replace = true and MODULE_INFO(livepatch)', () => {
    const lp = read(path.join(suse, 'livepatch_main.c'));
    expect(lp.replace).toBe(true);
    expect(lp.livepatchModinfo).toBe(true);
  });

  let bash = true;
  try {
    execFileSync('bash', ['-c', 'true']);
  } catch {
    bash = false;
  }

  it.skipIf(!bash)('reads the main module register-patches.sh generates: every patched_funcs.csv row, by object', () => {
    const work = mkdtempSync(path.join(tmpdir(), 'klp-lens-suse-'));
    try {
      cpSync(suse, work, { recursive: true });
      writeFileSync(path.join(work, 'empty.spec'), '');
      execFileSync('bash', ['scripts/register-patches.sh', 'livepatch_main.c', 'empty.spec'], { cwd: work, stdio: 'ignore' });
      const lp = read(path.join(work, 'livepatch_main.c'));

      const expected = new Map<string, string[]>([['vmlinux', []]]);
      for (const csv of filesUnder(work, (f) => f.endsWith('patched_funcs.csv'))) {
        for (const line of readFileSync(csv, 'utf8').split('\n')) {
          const [object, oldFunc] = line.trim().split(/\s+/);
          if (object && oldFunc) expected.set(object, [...(expected.get(object) ?? []), oldFunc]);
        }
      }
      const got = new Map(lp.objects.map((o) => [o.object, o.funcs.map((f) => f.name).sort()]));
      expect(new Map([...expected].map(([o, fs]) => [o, fs.sort()]))).toEqual(got);
      expect(lp.objects[0].declaredName).toBeNull();
      expect(lp.replace).toBe(true);
      expect(lp.arrays?.every((a) => a.terminated === true)).toBe(true);
      // Only the uname functions, written with KLP_SYSCALL_SYM(), cannot be read.
      expect(lp.problems.map((p) => p.message)).toEqual([
        'cannot read the function name `__stringify(KLP_SYSCALL_SYM(newuname))`: klp-lens leaves this klp_func out',
        'cannot read the function name `__stringify(KLP_SYSCALL_COMPAT_STUB_SYM(newuname))`: klp-lens leaves this klp_func out',
      ]);
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  });
});
